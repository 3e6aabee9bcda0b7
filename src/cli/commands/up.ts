/**
 * `overseer up`: start the stack in the foreground (prefixed output, Ctrl-C stops it in
 * reverse dependency order), or leave a daemon running with `-d`. On a stack that already
 * runs, the config is applied again: new processes start, changed ones restart, removed
 * ones stop.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serialize } from 'node:v8';
import type { Project } from '../../config/load.js';
import { OverseerError } from '../../core/errors.js';
import { buildGraph } from '../../core/stack/graph.js';
import {
  ALL,
  instancesToStart,
  parseSelector,
  resolveSelectors,
} from '../../core/stack/selector.js';
import type { Daemon } from '../../daemon/daemon.js';
import { lockHolder } from '../../daemon/lock.js';
import { DAEMON_LOG_FILE, DAEMON_OUTPUT_FILE } from '../../daemon/paths.js';
import type { HttpSupervisorClient } from '../../protocol/client.js';
import { type ConfigOption, clientAt, openProject } from '../context.js';
import { colourOf, type Painter, painterFor } from '../output.js';
import { describeEvent } from '../views.js';
import {
  describeProgress,
  describeTimeout,
  isWaiting,
  ProgressWatch,
  parseWaitTimeout,
} from '../wait.js';

interface UpOptions extends ConfigOption {
  readonly detach?: boolean;
  readonly tui?: boolean;
  readonly waitTimeout: string;
}

/** How often `up -d` looks for the new daemon's socket. */
const DAEMON_POLL_MS = 20;

export async function up(names: string[], options: UpOptions): Promise<number> {
  const waitMs = parseWaitTimeout(options.waitTimeout);
  const project = await openProject(options);
  const selected = selectInstances(project, names);
  const client = clientAt(project.settings.stateDir);
  if (await isServing(client)) {
    const applied = await client.apply(names);
    reportApplied(applied);
    return waitUntilSettled(client, selected, waitMs);
  }
  if (!options.detach) return runInForeground(project, names);
  await startDaemon(project, names, client);
  return waitUntilSettled(client, selected, waitMs);
}

/** The instance names `up NAME…` will start: what the names select, and their dependencies. */
function selectInstances(project: Project, names: readonly string[]): Set<string> {
  const selectors = (names.length > 0 ? names : [ALL]).map(parseSelector);
  const resolved = resolveSelectors(project.specs, selectors);
  if (!resolved.ok) {
    throw new OverseerError('UNKNOWN_PROCESS', `${resolved.message} in ${project.configPath}`);
  }
  return new Set(instancesToStart(project.specs, buildGraph(project.specs), resolved.selection));
}

async function isServing(client: HttpSupervisorClient): Promise<boolean> {
  try {
    await client.status();
    return true;
  } catch (error) {
    if (error instanceof OverseerError && error.code === 'UNAVAILABLE') return false;
    throw error;
  }
}

function reportApplied({
  started,
  restarted,
  removed,
}: Awaited<ReturnType<HttpSupervisorClient['apply']>>): void {
  const parts = [
    started.length > 0 ? `added ${started.join(', ')}` : '',
    restarted.length > 0 ? `restarted ${restarted.join(', ')} (changed)` : '',
    removed.length > 0 ? `removed ${removed.join(', ')}` : '',
  ].filter(Boolean);
  process.stdout.write(
    `already running: ${parts.length > 0 ? parts.join('; ') : 'config unchanged'}\n`,
  );
}

/**
 * Spawns `overseer daemon` detached (it logs to `<state_dir>/overseer.log`; what escapes
 * the log, such as a crash's trace, goes to `daemon.out`) and waits until it answers. If
 * another `up -d` won the race for the state dir, the daemon that answers is that one.
 */
async function startDaemon(
  project: Project,
  names: readonly string[],
  client: HttpSupervisorClient,
): Promise<void> {
  const { stateDir } = project.settings;
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const logPath = join(stateDir, DAEMON_LOG_FILE);
  const outputPath = join(stateDir, DAEMON_OUTPUT_FILE);
  const output = openSync(outputPath, 'a');
  const main = fileURLToPath(new URL('../main.js', import.meta.url));
  const args = [main, 'daemon', '-f', project.configPath, '--project-on-stdin', ...names];
  const child = spawn(process.execPath, args, {
    cwd: project.baseDir,
    detached: true,
    stdio: ['pipe', output, output],
  });
  // A daemon that exits at once (a rival holds the lock) is handled below, by its exit.
  child.stdin?.on('error', () => {});
  child.stdin?.end(serialize(project));
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  child.unref();
  while (!(await isServing(client))) {
    // Ours may have exited because a rival took the lock first: wait for that one instead.
    if (exited && lockHolder(stateDir) === undefined && !(await isServing(client))) {
      throw new OverseerError('INTERNAL', `the daemon did not start:\n${tail(outputPath, 10)}`);
    }
    await sleep(DAEMON_POLL_MS);
  }
  // The daemon that answers, which is not ours when a rival won the race.
  const { pid, orphansCleaned } = await client.status();
  process.stdout.write(`${project.name}: supervisor running (pid ${pid}), log in ${logPath}\n`);
  if (orphansCleaned > 0) {
    process.stdout.write(
      `stopped ${orphansCleaned} process(es) left running by a supervisor that died\n`,
    );
  }
}

/**
 * Shows each selected process's status as it changes, and what it waits for, until every
 * one is running, completed, failed or stopped, or the wait runs out, naming then who still
 * waits and why. Exit 0 unless one failed or the wait ran out.
 */
function waitUntilSettled(
  client: HttpSupervisorClient,
  selected: ReadonlySet<string>,
  waitMs: number,
): Promise<number> {
  const paint = painterFor(process.stdout);
  return new Promise((resolve, reject) => {
    let finished = false;
    const finish = (code: number) => {
      finished = true;
      clearTimeout(timer);
      watch.close();
      resolve(code);
    };
    const timer = setTimeout(async () => {
      // The rows as they are now: a reason's count and time move between two events.
      const rows = await client.list({ names: [...selected] }).catch(() => watch.current());
      if (finished) return;
      const message = describeTimeout(waitMs, rows.filter(isWaiting), painterFor(process.stderr));
      process.stderr.write(`overseer: ${message}\n`);
      finish(1);
    }, waitMs);
    const check = () => {
      const rows = watch.current();
      if (rows.length < selected.size || rows.some(isWaiting)) return;
      finish(rows.some((info) => info.status === 'failed') ? 1 : 0);
    };
    const watch = new ProgressWatch(
      client,
      selected,
      (info) => process.stdout.write(`${describeProgress(info, paint)}\n`),
      check,
    );
    client.onBreak((error) => {
      clearTimeout(timer);
      reject(error);
    });
    void watch.start();
  });
}

/**
 * The supervisor in this process: every line and state change printed with the process's
 * name; SIGINT, SIGTERM or SIGHUP stops the stack in reverse dependency order, a second
 * one forces.
 */
async function runInForeground(project: Project, names: readonly string[]): Promise<number> {
  // Loaded only here: `up -d` hands the stack to a daemon process and never needs it.
  const { Daemon } = await import('../../daemon/daemon.js');
  const daemon = await Daemon.open(project);
  const paint = painterFor(process.stdout);
  if (daemon.orphansCleaned > 0) {
    process.stdout.write(
      `stopped ${daemon.orphansCleaned} process(es) left running by a supervisor that died\n`,
    );
  }
  const width = Math.max(...project.specs.map((spec) => spec.name.length));
  const label = (name: string) => paint(colourOf(name), name.padEnd(width));
  daemon.supervisor.onLog(({ name, stream, text }) => {
    process.stdout.write(`${label(name)} │ ${stream === 'stderr' ? paint('red', text) : text}\n`);
  });
  daemon.supervisor.onAny((event) => {
    // The admission says nothing `pending` and `started` do not; a start held up by its
    // readiness check does.
    if (!('name' in event) || (event.type === 'process:starting' && !event.reason)) return;
    process.stdout.write(`${label(event.name)} │ ${paint('dim', describeEvent(event))}\n`);
  });
  handleStopSignals(daemon, paint);
  daemon.up(names.length > 0 ? names : undefined).catch((error: Error) => {
    process.stderr.write(`overseer: ${error.message}\n`);
  });
  await daemon.closed;
  return daemon.supervisor.list().some((process) => process.status === 'failed') ? 1 : 0;
}

/**
 * Ctrl-C, SIGTERM, or SIGHUP (the terminal closed, the SSH session dropped) stop the stack
 * gracefully, whatever became of the output (see `tolerateClosedOutput`). A second one
 * SIGKILLs every process tree at once and the shutdown ends with them: the lock, pid file
 * and socket are still let go of. A third gives up waiting.
 */
function handleStopSignals(daemon: Daemon, paint: Painter): void {
  let received = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    received += 1;
    if (received === 1) {
      process.stderr.write(paint('bold', `\n${signal}: stopping the stack (again to force)…\n`));
      void daemon.shutdown();
    } else if (received === 2) {
      process.stderr.write(paint('bold', `${signal}: forced: killing every process tree now\n`));
      void daemon.supervisor.shutdown({ force: true });
    } else {
      // The supervisor's exit hook SIGKILLs whatever is left on the way out.
      process.exit(130);
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
}

function tail(path: string, lines: number): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return `(no log at ${path})`;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
