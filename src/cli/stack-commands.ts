/**
 * The commands that bring a stack up and down: `up`, `down`, and the hidden `daemon` that
 * `up -d` runs. One definition a function, so the program lists them in the order of
 * `--help`; each action is loaded only when it runs.
 */

import type { CommandKit } from './command-kit.js';
import type { DaemonOptions } from './commands/daemon.js';
import type { DownOptions } from './commands/down.js';
import type { UpOptions } from './commands/up.js';
import { localOnly, withRemoteOptions } from './remote-options.js';

/** `overseer up`: the stack, or NAMEs and what they depend on. */
export function defineUp({ program, Option, lazy, fileOption, daemonSide }: CommandKit): void {
  const command = program
    .command('up')
    .description('start the stack (or NAMEs and what they depend on)')
    .argument('[names...]', 'processes to start')
    .addOption(fileOption())
    .option('-d, --detach', 'leave a daemon running and return once every process is up')
    // Part of the command line scripts rely on: the foreground view is prefixed lines.
    .option('--no-tui', 'on a terminal too, print prefixed log lines instead of the dashboard')
    .option('--wait-timeout <duration>', 'with -d: how long to wait for processes to settle', '60s')
    .option('--watch', 'apply every later change of the config file (as settings.reload)');
  localOnly(command, Option, 'starts a supervisor on this machine (run it where the stack runs)')
    .addHelpText(
      'after',
      '\nExamples:\n  overseer up\n  overseer up -d api worker\n  overseer up -f stack.yaml\n  overseer up -d --watch',
    )
    .action(
      lazy(async () => {
        const { up } = await import('./commands/up.js');
        return (names: string[], options: UpOptions) => up(names, options, daemonSide);
      }),
    );
}

/** `overseer down`: everything stopped, dependents first, and the daemon ended. */
export function defineDown({ program, Option, lazy, fileOption, daemonSide }: CommandKit): void {
  const command = program
    .command('down')
    .description('stop everything in reverse dependency order and end the daemon')
    .addOption(fileOption());
  withRemoteOptions(command, Option)
    .addHelpText(
      'after',
      '\nExamples:\n  overseer down\n  OVERSEER_TOKEN=… overseer down --api http://10.0.0.5:9615',
    )
    .action(
      lazy(async () => {
        const { down } = await import('./commands/down.js');
        return (options: DownOptions) => down(options, daemonSide);
      }),
    );
}

/** `overseer daemon` (hidden): the supervisor of a project in this process, for `up -d`. */
export function defineDaemon({ program, Option, lazy, fileOption, daemonSide }: CommandKit): void {
  const command = program
    .command('daemon', { hidden: true })
    .description('run the supervisor of a project in this process (used by up -d)')
    .argument('[names...]', 'processes to start')
    .addOption(fileOption())
    .option('--project-on-stdin', 'take the project up -d has loaded from stdin, not the file')
    .option('--watch', 'apply every later change of the config file (as settings.reload)');
  localOnly(command, Option, 'runs a supervisor in this process').action(
    lazy(async () => {
      const { daemon } = await import('./commands/daemon.js');
      return (names: string[], options: DaemonOptions) => daemon(names, options, daemonSide);
    }),
  );
}
