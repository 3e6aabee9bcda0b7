/**
 * The commands of durable workflows: `workflows` (runs, one run) and `dlq` (dead letters
 * listed, shown, retried, dropped), through the running daemon or straight on the store.
 * Each action is loaded only when it runs.
 */
import { RUN_STATUSES } from '../core/workflows/records.js';
import type { CommandKit } from './command-kit.js';
import { offerFirstWords, offerOptionValues } from './completion/offered.js';
import { withRemoteOptions } from './remote-options.js';

/** Collects a repeated option into a list. */
const repeated = (value: string, previous: string[]) => [...previous, value];

/** `overseer workflows [ID]`. */
export function defineWorkflows({ program, Option, lazy, fileOption }: CommandKit): void {
  const command = program
    .command('workflows')
    .description(
      "the project's durable workflow runs (newest first); one with its steps and dead letters",
    )
    .argument('[args...]', 'none: the list; ID: that run, its steps, its error, its dead letters')
    .addOption(fileOption())
    .option('--workflow <name>', 'only runs of this workflow')
    .option(
      '--status <status>',
      'only runs in this status: pending, running, sleeping, completed, failed (repeatable)',
      repeated,
      [],
    )
    .option('--limit <n>', 'at most this many runs, 1 to 1000 (default 100)')
    .option('--json', 'print as JSON');
  withRemoteOptions(command, Option)
    .addHelpText(
      'after',
      '\nExamples:\n  overseer workflows\n  overseer workflows --workflow order --status failed\n  overseer workflows order-1 --json',
    )
    .action(lazy(async () => (await import('./commands/workflows.js')).workflows));
  offerOptionValues(command, '--status', RUN_STATUSES);
}

/** `overseer dlq [ls|show ID|retry ID|drop ID]`. */
export function defineDlq({ program, Option, lazy, fileOption }: CommandKit): void {
  const command = program
    .command('dlq')
    .description(
      'dead letters of workflow steps out of retries: list, show, retry (the run resumes at the failed step), drop',
    )
    .argument('[args...]', 'none or ls: the list; show ID; retry ID; drop ID')
    .addOption(fileOption())
    .option('--workflow <name>', 'only letters of this workflow (ls)')
    .option('--limit <n>', 'at most this many letters, 1 to 1000 (default 100)')
    .option('--json', 'print as JSON');
  withRemoteOptions(command, Option)
    .addHelpText(
      'after',
      '\nExamples:\n  overseer dlq\n  overseer dlq show 3f9c…\n  overseer dlq retry 3f9c…\n  overseer dlq drop 3f9c… --json',
    )
    .action(lazy(async () => (await import('./commands/dlq.js')).dlq));
  // What commands/dlq.ts accepts first (none: ls).
  offerFirstWords(command, ['ls', 'show', 'retry', 'drop']);
}
