/**
 * The `overseer` command line: commands over `SupervisorApi`, each loaded only when it
 * runs (so `overseer ps` does not pay for the daemon), and a plain `overseer ps` without
 * commander. The commands are defined by group (stack-commands.ts, process-commands.ts,
 * reading-commands.ts); this builds the program from them and runs it. Exit codes: 0
 * success, 1 runtime failure, 2 usage or config error.
 */
import type { Command } from 'commander';
import { OverseerError } from '../core/errors.js';
import { defineMcp } from './agent-commands.js';
import { defineStartup, defineUnstartup } from './boot-commands.js';
import type { Action, CommandKit } from './command-kit.js';
import type { DaemonOptions } from './commands/daemon.js';
import type { PsOptions } from './commands/ps.js';
import { defineCompletion } from './completion-commands.js';
import { defineInit, defineSchema } from './config-commands.js';
import type { DaemonSide } from './daemon-side.js';
import { defineExport } from './export-command.js';
import { stdoutClosed } from './output.js';
import {
  defineReload,
  defineScale,
  defineSignal,
  defineStartStopRestart,
} from './process-commands.js';
import {
  defineInspect,
  defineLogs,
  definePs,
  defineTop,
  defineValidate,
} from './reading-commands.js';
import { defineDaemon, defineDown, defineUp } from './stack-commands.js';
import { defineRun, defineTasks } from './task-commands.js';
import { VERSION } from './version.js';
import { defineDlq, defineWorkflows } from './workflow-commands.js';

/** Exit codes by error code: bad input is a usage error (2), the rest a runtime failure (1). */
const USAGE_ERRORS = new Set([
  'INVALID_SPEC',
  'BAD_REQUEST',
  'UNKNOWN_PROCESS',
  'UNKNOWN_NAMESPACE',
]);

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** What the completion scripts run on each Tab: answered from the program, never parsed by it. */
const COMPLETE = '__complete';

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
  if (argv[2] === COMPLETE) {
    const program = buildProgram(commander, () => {}, daemonSide);
    return (await import('./completion/complete.js')).printCompletion(program, argv.slice(3));
  }
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

/** The whole command line, every action loaded only when it runs (shell completion reads it too). */
export function buildProgram(
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

  // Registered in the order `--help` lists them.
  const kit: CommandKit = { program, Option, lazy, fileOption, daemonSide };
  defineUp(kit);
  defineDown(kit);
  definePs(kit);
  defineStartStopRestart(kit);
  defineReload(kit);
  defineScale(kit);
  defineSignal(kit);
  defineLogs(kit);
  defineInspect(kit);
  defineRun(kit);
  defineTasks(kit);
  defineWorkflows(kit);
  defineDlq(kit);
  defineValidate(kit);
  defineInit(kit);
  defineSchema(kit);
  defineExport(kit);
  defineTop(kit);
  defineStartup(kit);
  defineUnstartup(kit);
  defineMcp(kit);
  defineCompletion(kit);
  defineDaemon(kit);

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

export { VERSION };
