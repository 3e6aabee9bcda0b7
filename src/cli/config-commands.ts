/**
 * The commands that help write a config rather than run one: `init` writes a starter
 * overseer.yaml, `schema` prints the JSON Schema editors check it with. Each action is
 * loaded only when it runs.
 */
import type { CommandKit } from './command-kit.js';

/** `overseer init`: a commented starter overseer.yaml. */
export function defineInit({ program, lazy }: CommandKit): void {
  program
    .command('init')
    .description('write a commented starter overseer.yaml (a service, a job, settings)')
    .option('-f, --file <file>', 'the file to write', 'overseer.yaml')
    .option('--force', 'overwrite the file if it exists')
    .addHelpText(
      'after',
      '\nExamples:\n  overseer init\n  overseer init -f deploy/overseer.yaml --force',
    )
    .action(lazy(async () => (await import('./commands/init.js')).init));
}

/** `overseer schema`: the JSON Schema of overseer.yaml. */
export function defineSchema({ program, lazy }: CommandKit): void {
  program
    .command('schema')
    .description('print the JSON Schema of overseer.yaml, for editors and other tools')
    .addHelpText('after', '\nExample:\n  overseer schema > overseer.schema.json')
    .action(lazy(async () => (await import('./commands/schema.js')).schema, { printsOnly: true }));
}
