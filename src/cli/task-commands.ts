/**
 * The commands of one-off tasks: `run` (a task, its output streamed, its exit code kept)
 * and `tasks` (list, show, cancel). Each action is loaded only when it runs.
 */
import { TASK_STATUSES } from '../core/tasks/task-filter.js';
import type { CommandKit } from './command-kit.js';
import { offerFirstWords, offerOptionValues } from './completion/offered.js';
import { withRemoteOptions } from './remote-options.js';

/** Collects a repeated option into a list. */
const repeated = (value: string, previous: string[]) => [...previous, value];

/** `overseer run -- CMD [ARG…]`: one task, through the running daemon or in this process. */
export function defineRun({ program, Option, lazy, fileOption }: CommandKit): void {
  const command = program
    .command('run')
    .description(
      'run a one-off task under supervision (through the running daemon, else here): its output streamed, its exit code kept',
    )
    .argument(
      '<command...>',
      'after --: one string runs through /bin/sh -c, several words directly',
    )
    .addOption(fileOption())
    .option('--timeout <duration>', 'stop it after this long (exit 124)')
    .option(
      '--priority <priority>',
      'its place in the queue for a slot: low, normal, high, critical',
    )
    .option('--memory <size>', 'stop it past this much memory (e.g. 256MB)')
    .option('--cpu <percent>', 'its CPU limit (e.g. 150%): alerts when over')
    .option('--cwd <dir>', 'its working folder (default: this one)')
    .option('-e, --env <key=value>', 'an environment variable (repeatable)', repeated, [])
    .option('--name <name>', 'its name in lists')
    .option('--label <key=value>', 'a label (repeatable)', repeated, [])
    .option('--retry <attempts>', 'tries in all, the first included, while it fails')
    .option('--stdin', "give it this command's stdin (read to its end first, at most 16 MiB)")
    .option('--json', 'print nothing but its result, as JSON, at its end');
  withRemoteOptions(command, Option)
    .addHelpText(
      'after',
      '\nExit codes: the task\'s own; 124 timed out, 125 refused or bad input, 130 cancelled by Ctrl-C.\n\nExamples:\n  overseer run -- npm test\n  overseer run --timeout 10m --memory 1GB -- node migrate.js\n  overseer run --json -- "ls | wc -l"\n  gzip -c data.csv | overseer run --stdin -- node import.js',
    )
    .action(lazy(async () => (await import('./commands/run.js')).run));
  // Checked by the task itself, with its own message; offered to completion only.
  offerOptionValues(command, '--priority', ['low', 'normal', 'high', 'critical']);
}

/** `overseer tasks [ID]`, `overseer tasks cancel ID`. */
export function defineTasks({ program, Option, lazy, fileOption }: CommandKit): void {
  const command = program
    .command('tasks')
    .description(
      'the tasks of the running supervisor (recent first); one with its result; cancel one',
    )
    .argument('[args...]', 'none: the list; ID: that task; cancel ID: cancel it')
    .addOption(fileOption())
    .option('--status <status>', 'only tasks in this status (repeatable)', repeated, [])
    .option('--label <key=value>', 'only tasks carrying this label (repeatable)', repeated, [])
    .option('--json', 'print as JSON');
  withRemoteOptions(command, Option)
    .addHelpText(
      'after',
      '\nExamples:\n  overseer tasks\n  overseer tasks --status failed --label team=ci\n  overseer tasks mxd9xhfx-7a0b3cb6 --json\n  overseer tasks cancel mxd9xhfx-7a0b3cb6',
    )
    .action(lazy(async () => (await import('./commands/tasks.js')).tasks));
  // An ID can come first too, but only the daemon knows those.
  offerFirstWords(command, ['cancel']);
  offerOptionValues(command, '--status', TASK_STATUSES);
}
