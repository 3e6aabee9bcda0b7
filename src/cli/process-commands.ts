/**
 * The commands that act on processes of a running supervisor: `start`, `stop`, `restart`,
 * and the everyday controls `reload`, `scale`, `signal`. One definition a function, so the
 * program lists them in the order of `--help`; each action is loaded only when it runs.
 */
import type { CommandKit } from './command-kit.js';
import { withRemoteOptions } from './remote-options.js';
import { namespaceOption } from './selection.js';

/** `overseer start`, `stop` and `restart`: one definition, three verbs. */
export function defineStartStopRestart({ program, Option, lazy, fileOption }: CommandKit): void {
  for (const verb of ['start', 'stop', 'restart'] as const) {
    const command = program
      .command(verb)
      .description(`${verb} processes of the running supervisor`)
      .argument(
        '[names...]',
        'processes (all their instances), instances (worker-1), or all; within -n NAMESPACE, or the whole namespace',
      )
      .addOption(fileOption())
      .addOption(namespaceOption(Option))
      .option('--json', 'print the new states as JSON')
      .option(
        '--wait-timeout <duration>',
        'how long to wait for them to settle; then exit 1 naming who still waits and why',
        '60s',
      );
    withRemoteOptions(command, Option)
      .addHelpText(
        'after',
        `\nExamples:\n  overseer ${verb} api worker-1\n  overseer ${verb} all\n  overseer ${verb} -n backend`,
      )
      .action(lazy(async () => (await import('./commands/act.js')).actOn(verb)));
  }
}

/** `overseer reload`: a rolling restart, each instance ready before the next is stopped. */
export function defineReload({ program, Option, lazy, fileOption }: CommandKit): void {
  const command = program
    .command('reload')
    .description('rolling restart: one instance at a time, each ready before the next is stopped')
    .argument(
      '[names...]',
      'processes (their running instances), instances (web-1), or all; within -n NAMESPACE, or the whole namespace',
    )
    .addOption(namespaceOption(Option))
    .addOption(fileOption())
    .option('--json', 'print what became of each instance as JSON')
    .option(
      '--wait-timeout <duration>',
      'how long to wait for the reload to finish; then exit 1 naming who still waits',
      '5m',
    );
  withRemoteOptions(command, Option)
    .addHelpText(
      'after',
      '\nExamples:\n  overseer reload web\n  overseer reload api worker\n  overseer reload -n backend',
    )
    .action(lazy(async () => (await import('./commands/reload.js')).reload));
}

/** `overseer scale NAME N`: N instances from now on, until the config is applied again. */
export function defineScale({ program, Option, lazy, fileOption }: CommandKit): void {
  const command = program
    .command('scale')
    .description('run N instances of a process from now on (until the config is applied again)')
    .argument('<name>', 'a process declared with instances:')
    .argument('<count>', 'instances to run, from 1 to 1000')
    .addOption(fileOption())
    .option('--json', 'print the instances as JSON')
    .option(
      '--wait-timeout <duration>',
      'how long to wait for added instances to settle; then exit 1 naming who still waits',
      '60s',
    );
  withRemoteOptions(command, Option)
    .addHelpText('after', '\nExamples:\n  overseer scale web 4\n  overseer scale worker 1')
    .action(lazy(async () => (await import('./commands/scale.js')).scale));
}

/** `overseer signal SIGNAL NAME…`: a signal to the group of each running instance. */
export function defineSignal({ program, Option, lazy, fileOption }: CommandKit): void {
  const command = program
    .command('signal')
    .description("send a signal to each running process's group")
    .argument('<signal>', 'a signal name: SIGHUP, HUP, SIGUSR1, USR2…')
    .argument(
      '[names...]',
      'processes (all their instances), instances (web-1), or all; within -n NAMESPACE, or the whole namespace',
    )
    .addOption(namespaceOption(Option))
    .addOption(fileOption())
    .option('--json', 'print who was signalled and who was not running as JSON');
  withRemoteOptions(command, Option)
    .addHelpText(
      'after',
      '\nExamples:\n  overseer signal HUP nginx\n  overseer signal SIGUSR1 web-0',
    )
    .action(lazy(async () => (await import('./commands/signal.js')).signal));
}
