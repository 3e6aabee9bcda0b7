/** `overseer export`: its definition on the command line (the action is commands/export.ts). */
import type { CommandKit } from './command-kit.js';

export function defineExport({ program, lazy, fileOption }: CommandKit): void {
  program
    .command('export')
    .description('write the stack for kubernetes, nomad, compose or systemd')
    .requiredOption('--format <format>', 'kubernetes | nomad | compose | systemd')
    .addOption(fileOption())
    .option('-o, --output <dir>', 'write the files in this folder (created) instead of stdout')
    .option('--force', 'replace files in the folder that differ from this export')
    .option(
      '--root <dir>',
      "the project's folder on the target machines (systemd, nomad, compose; default: the config's)",
    )
    .addHelpText(
      'after',
      '\nExamples:\n  overseer export --format kubernetes > stack.yaml\n  overseer export --format systemd -o deploy/systemd --root /srv/app',
    )
    .action(lazy(async () => (await import('./commands/export.js')).exportCommand));
}
