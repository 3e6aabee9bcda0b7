/**
 * The `overseer` command line: commands over `SupervisorApi`, each loaded only when it
 * runs (so `overseer ps` does not pay for the daemon), and a plain `overseer ps` without
 * commander. Exit codes: 0 success, 1 runtime failure, 2 usage or config error.
 */
import type { Command } from 'commander';
import { OverseerError } from '../core/errors.js';
import type { DaemonOptions } from './commands/daemon.js';
import type { PsOptions } from './commands/ps.js';
import type { UpOptions } from './commands/up.js';
import type { ConfigOption } from './context.js';
import type { DaemonSide } from './daemon-side.js';
import { stdoutClosed } from './output.js';
import { namespaceOption } from './selection.js';

/** Exit codes by error code: bad input is a usage error (2), the rest a runtime failure (1). */
const USAGE_ERRORS = new Set([
  'INVALID_SPEC',
  'BAD_REQUEST',
  'UNKNOWN_PROCESS',
  'UNKNOWN_NAMESPACE',
]);

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

type Action = (...args: never[]) => Promise<number | undefined>;

type Commander = typeof import('commander');

/**
 * Runs the CLI on `argv` and resolves with the exit code; prints, never exits. What it needs
 * of the daemon (to start one, run one, end what a dead one left) comes from `daemonSide`.
 */
export async function runCli(argv: readonly string[], daemonSide: DaemonSide): Promise<number> {
  const quickPs = plainPs(argv.slice(2));
  if (quickPs) {
    try {
      return await (await import('./commands/ps.js')).ps(quickPs.names, quickPs.options);
    } catch (error) {
      return reportError(error);
    }
  }
  const spawnedDaemon = daemonFromUp(argv.slice(2));
  if (spawnedDaemon) {
    try {
      const { daemon } = await import('./commands/daemon.js');
      return await daemon(spawnedDaemon.names, spawnedDaemon.options, daemonSide);
    } catch (error) {
      return reportError(error);
    }
  }
  const commander = await import('commander');
  let exitCode: number = EXIT.ok;
  const program = buildProgram(
    commander,
    (code) => {
      exitCode = code;
    },
    daemonSide,
  );
  try {
    await program.parseAsync(argv as string[]);
    return exitCode;
  } catch (error) {
    if (error instanceof commander.CommanderError) {
      // Help and version exit 0; commander has already printed what was wrong otherwise.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return reportError(error);
  }
}

/**
 * The names and options of `overseer ps` when the arguments are `ps` and nothing but
 * names, `--json`, `-f FILE`, `--file FILE`, `--file=FILE`, and one `-n NS`,
 * `--namespace NS` or `--namespace=NS`; else undefined, and commander parses them. `ps` is
 * what scripts and people run most, and loading commander alone costs about a sixth of a
 * bare node's start; the options, the output and the errors are the same.
 */
function plainPs(args: readonly string[]): { names: string[]; options: PsOptions } | undefined {
  if (args[0] !== 'ps') return undefined;
  const options: { -readonly [K in keyof PsOptions]: PsOptions[K] } = {};
  const names: string[] = [];
  const valued = (long: string, short: string | undefined, index: number) => {
    const arg = args[index]!;
    const next = args[index + 1];
    if (arg.startsWith(`${long}=`) && arg.length > long.length + 1) {
      return { value: arg.slice(long.length + 1), used: 1 };
    }
    if ((arg === long || arg === short) && next !== undefined && !next.startsWith('-')) {
      return { value: next, used: 2 };
    }
    return undefined;
  };
  for (let index = 1; index < args.length; index++) {
    const arg = args[index]!;
    const file = valued('--file', '-f', index);
    const namespace = options.namespace === undefined && valued('--namespace', '-n', index);
    if (arg === '--json') options.json = true;
    else if (file) {
      options.file = file.value;
      index += file.used - 1;
    } else if (namespace) {
      options.namespace = namespace.value;
      index += namespace.used - 1;
    } else if (!arg.startsWith('-')) names.push(arg);
    else return undefined;
  }
  return { names, options };
}

/**
 * The names and options of the daemon as `up -d` spawns it (`daemon -f FILE
 * --project-on-stdin [names...]`); else undefined, and commander parses them. The daemon
 * lives for as long as the stack does, and commander would stay in its memory all along
 * (about 1 MB of the idle daemon) for a command line no person types.
 */
function daemonFromUp(
  args: readonly string[],
): { names: string[]; options: DaemonOptions & { projectOnStdin: true } } | undefined {
  if (args[0] !== 'daemon' || args[1] !== '-f' || args[3] !== '--project-on-stdin') {
    return undefined;
  }
  const file = args[2];
  const watch = args[4] === '--watch';
  const names = args.slice(watch ? 5 : 4);
  if (file === undefined || file.startsWith('-') || names.some((name) => name.startsWith('-'))) {
    return undefined;
  }
  return { names, options: { file, projectOnStdin: true, watch } };
}

function buildProgram(
  { Command, Option }: Commander,
  setExitCode: (code: number) => void,
  daemonSide: DaemonSide,
): Command {
  const program = new Command('overseer')
    .description(
      'A process supervisor: keep services, workers and jobs alive, healthy and in order.',
    )
    .version(VERSION, '-v, --version')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text) })
    .showHelpAfterError('(run with --help for usage)');

  /**
   * Wraps a lazily imported action so its exit code is kept. A command that only prints
   * (`printsOnly`) has nothing left to do once its reader has gone (`logs -f | head`): it
   * ends then, with 0, as `tail -f | head` does. Any other goes on, its output dropped.
   */
  const lazy =
    <A extends Action>(load: () => Promise<A>, { printsOnly = false } = {}) =>
    async (...args: Parameters<A>) => {
      const action = await load();
      const done = action(...args);
      if (!printsOnly) return setExitCode((await done) ?? EXIT.ok);
      // Whatever it does after losing the race, nobody is there to hear it.
      done.catch(() => {});
      setExitCode((await Promise.race([done, stdoutClosed.then(() => EXIT.ok)])) ?? EXIT.ok);
    };
  const fileOption = () =>
    new Option('-f, --file <file>', 'config file (default: ./overseer.yaml)');

  program
    .command('up')
    .description('start the stack (or NAMEs and what they depend on)')
    .argument('[names...]', 'processes to start')
    .addOption(fileOption())
    .option('-d, --detach', 'leave a daemon running and return once every process is up')
    // Part of the command line scripts rely on: the foreground view is prefixed lines.
    .option('--no-tui', 'print prefixed log lines (the foreground view)')
    .option('--wait-timeout <duration>', 'with -d: how long to wait for processes to settle', '60s')
    .option('--watch', 'apply every later change of the config file (as settings.reload)')
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

  program
    .command('down')
    .description('stop everything in reverse dependency order and end the daemon')
    .addOption(fileOption())
    .addHelpText('after', '\nExample:\n  overseer down')
    .action(
      lazy(async () => {
        const { down } = await import('./commands/down.js');
        return (options: ConfigOption) => down(options, daemonSide);
      }),
    );

  program
    .command('ps')
    .description(
      'one row per process: namespace, status, health, pid, restarts, uptime, cpu, memory',
    )
    .argument('[names...]', 'processes (all their instances), instances (worker-1), or all')
    .addOption(fileOption())
    .addOption(namespaceOption(Option))
    .option('--json', 'print {"processes": [...]} as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  overseer ps\n  overseer ps -n backend\n  overseer ps --json | jq ".processes[].status"',
    )
    .action(lazy(async () => (await import('./commands/ps.js')).ps));

  for (const verb of ['start', 'stop', 'restart'] as const) {
    program
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
      )
      .addHelpText(
        'after',
        `\nExamples:\n  overseer ${verb} api worker-1\n  overseer ${verb} all\n  overseer ${verb} -n backend`,
      )
      .action(lazy(async () => (await import('./commands/act.js')).actOn(verb)));
  }

  program
    .command('reload')
    .description('rolling restart: one instance at a time, each ready before the next is stopped')
    .argument('<names...>', 'processes (their running instances), instances (web-1), or all')
    .addOption(fileOption())
    .option('--json', 'print what became of each instance as JSON')
    .option(
      '--wait-timeout <duration>',
      'how long to wait for the reload to finish; then exit 1 naming who still waits',
      '5m',
    )
    .addHelpText('after', '\nExamples:\n  overseer reload web\n  overseer reload api worker')
    .action(lazy(async () => (await import('./commands/reload.js')).reload));

  program
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
    )
    .addHelpText('after', '\nExamples:\n  overseer scale web 4\n  overseer scale worker 1')
    .action(lazy(async () => (await import('./commands/scale.js')).scale));

  program
    .command('signal')
    .description("send a signal to each running process's group")
    .argument('<signal>', 'a signal name: SIGHUP, HUP, SIGUSR1, USR2…')
    .argument('<names...>', 'processes (all their instances), instances (web-1), or all')
    .addOption(fileOption())
    .option('--json', 'print who was signalled and who was not running as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  overseer signal HUP nginx\n  overseer signal SIGUSR1 web-0',
    )
    .action(lazy(async () => (await import('./commands/signal.js')).signal));

  program
    .command('logs')
    .description(
      'the last lines of processes (from their log files), merged by time, then follow with -f',
    )
    .argument('[names...]', 'processes (all their instances) or instances; none: every process')
    // -f means follow here, as in tail: the config file is --file only.
    .addOption(new Option('--file <file>', 'config file (default: ./overseer.yaml)'))
    // -n is the line count here, as in tail: the namespace is --namespace only.
    .addOption(namespaceOption(Option, '--namespace <namespace>'))
    .option('-f, --follow', 'keep printing new lines')
    .option('-n, --lines <count>', 'how many lines', '100')
    .option('--since <time>', 'only lines since an ISO time, or a duration ago (10m, 2h)')
    .option('--grep <regex>', 'only lines whose text matches')
    .option(
      '--json',
      'one JSON object per line: {at, name, stream, text} (the record itself with --supervisor)',
    )
    .option('--supervisor', "the supervisor's own log (time, level, category, message, fields)")
    .addHelpText(
      'after',
      '\nExamples:\n  overseer logs\n  overseer logs api -n 50\n  overseer logs worker-0 -f\n  overseer logs api --since 10m --grep "error|warn" --json\n  overseer logs --supervisor --grep probe',
    )
    .action(lazy(async () => (await import('./commands/logs.js')).logs, { printsOnly: true }));

  program
    .command('inspect')
    .description('everything known about a process: spec, state, runs, probes')
    .argument('<name>', 'a process of one instance, or an instance (worker-1)')
    .addOption(fileOption())
    .addOption(namespaceOption(Option))
    .option('--json', 'print as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  overseer inspect api --json\n  overseer inspect web -n frontend',
    )
    .action(lazy(async () => (await import('./commands/inspect.js')).inspect));

  program
    .command('validate')
    .description('check the config and print what would start, in order')
    .addOption(fileOption())
    .option('--json', 'print the normalized processes and start order as JSON')
    .addHelpText('after', '\nExample:\n  overseer validate -f overseer.yaml')
    .action(lazy(async () => (await import('./commands/validate.js')).validate));

  program
    .command('top')
    .description('a live view of a running supervisor')
    .addOption(fileOption())
    .addHelpText('after', '\nExample:\n  overseer top')
    .action(lazy(async () => (await import('./commands/top.js')).top, { printsOnly: true }));

  program
    .command('daemon', { hidden: true })
    .description('run the supervisor of a project in this process (used by up -d)')
    .argument('[names...]', 'processes to start')
    .addOption(fileOption())
    .option('--project-on-stdin', 'take the project up -d has loaded from stdin, not the file')
    .option('--watch', 'apply every later change of the config file (as settings.reload)')
    .action(
      lazy(async () => {
        const { daemon } = await import('./commands/daemon.js');
        return (names: string[], options: DaemonOptions) => daemon(names, options, daemonSide);
      }),
    );

  return program;
}

/** Prints an error as the user should see it and picks its exit code. */
function reportError(error: unknown): number {
  if (error instanceof OverseerError) {
    process.stderr.write(`overseer: ${error.message}\n`);
    return USAGE_ERRORS.has(error.code) ? EXIT.usage : EXIT.failure;
  }
  process.stderr.write(`overseer: ${(error as Error)?.stack ?? String(error)}\n`);
  return EXIT.failure;
}

/** Kept in step with package.json by the tests. */
export const VERSION = '0.1.0';
