/**
 * `overseer up`: start the stack in the foreground (prefixed output, Ctrl-C stops it in
 * reverse dependency order), or leave a daemon running with `-d`. On a stack that already
 * runs, the config is applied again: new processes start, changed ones restart, removed
 * ones stop.
 */
import { extname } from 'node:path';
import { findConfigFile } from '../../config/files.js';
import type { Project } from '../../config/load.js';
import { locateStateDir } from '../../config/state-dir.js';
import { describeConfigOutcome } from '../../core/config-outcome.js';
import { OverseerError } from '../../core/errors.js';
import { categoryLevels, DEFAULT_LOG_SETTINGS } from '../../core/logging.js';
import { SPAWNING } from '../../core/process/reasons.js';
import {
  ALL,
  instancesToStart,
  parseSelector,
  resolveSelectors,
} from '../../core/stack/selector.js';
import type { HttpSupervisorClient } from '../../protocol/client.js';
import type { ApplyResult } from '../../protocol/daemon-control.js';
import { type ConfigOption, clientAt } from '../context.js';
import type { DaemonSide, LocalDaemon } from '../daemon-side.js';
import { DetachedDaemon, isServing } from '../detached-daemon.js';
import { colourOf, type Painter, painterFor } from '../output.js';
import { stopLadder } from '../stop-ladder.js';
import { wantsDashboard } from '../terminal.js';
import { describeEvent } from '../views.js';
import {
  describeProgress,
  describeTimeout,
  isWaiting,
  ProgressWatch,
  parseWaitTimeout,
} from '../wait.js';

export interface UpOptions extends ConfigOption {
  readonly detach?: boolean;
  readonly waitTimeout: string;
  /** Apply every later change of the config file, for the supervisor's life (as `settings.reload`). */
  readonly watch?: boolean;
  /** `--no-tui` sets it false: prefixed lines even on a terminal. */
  readonly tui?: boolean;
}

export async function up(
  names: string[],
  options: UpOptions,
  daemonSide: DaemonSide,
): Promise<number> {
  const waitMs = parseWaitTimeout(options.waitTimeout);
  // A misspelt OVERSEER_LOG_LEVEL or OVERSEER_DEBUG is a usage error before anything starts.
  categoryLevels(DEFAULT_LOG_SETTINGS, process.env);
  const configPath = findConfigFile(process.cwd(), options.file);
  const watch = options.watch === true;
  let early = options.detach ? await startEarly(configPath, names, watch, daemonSide) : undefined;
  let project: Project;
  let selected: Set<string>;
  try {
    const { loadProject } = await import('../../config/load.js');
    project = await loadProject(configPath);
    selected = selectInstances(project, names);
  } catch (error) {
    await early?.cancel();
    throw error;
  }
  if (early && early.layout.root !== project.settings.stateDir) {
    // Found apart from the loaded config, the state dir should agree with it; if ever not,
    // the config is what counts.
    await early.cancel();
    early = undefined;
  }
  const client = clientAt(project.settings.stateDir);
  if (!early && (await isServing(client))) {
    reportApplied(await client.apply(names, { watch }));
    return waitUntilSettled(client, selected, waitMs);
  }
  if (!options.detach) {
    if (options.tui !== false && wantsDashboard()) {
      const { upWithDashboard } = await import('./up-dashboard.js');
      return upWithDashboard(project, names, watch, daemonSide);
    }
    return runInForeground(project, names, watch, daemonSide);
  }
  const daemon =
    early ??
    DetachedDaemon.start(daemonSide, {
      stateDir: project.settings.stateDir,
      configPath,
      names,
      watch,
    });
  daemon.handOver(project);
  await daemon.answered(client);
  await reportStarted(client, project.name, daemon.layout.daemonLog);
  return waitUntilSettled(client, selected, waitMs);
}

/**
 * For `up -d` with no supervisor serving the config's state dir yet: its daemon, started
 * now so that it loads while the config does. None when one serves (the config is applied
 * to it), or for a script config, whose state dir is only known by running it.
 */
async function startEarly(
  configPath: string,
  names: readonly string[],
  watch: boolean,
  daemonSide: DaemonSide,
): Promise<DetachedDaemon | undefined> {
  if (!['.yaml', '.yml'].includes(extname(configPath))) return undefined;
  let stateDir: string;
  try {
    stateDir = await locateStateDir(configPath);
  } catch {
    // A config that does not say where: loading it reports why, as without a daemon.
    return undefined;
  }
  if (await isServing(clientAt(stateDir))) return undefined;
  return DetachedDaemon.start(daemonSide, { stateDir, configPath, names, watch });
}

/** The instance names `up NAME…` will start: what the names select, and their dependencies. */
function selectInstances(project: Project, names: readonly string[]): Set<string> {
  const selectors = (names.length > 0 ? names : [ALL]).map(parseSelector);
  const resolved = resolveSelectors(project.specs, selectors);
  if (!resolved.ok) {
    throw new OverseerError('UNKNOWN_PROCESS', `${resolved.message} in ${project.configPath}`);
  }
  return new Set(instancesToStart(project.specs, project.graph, resolved.selection));
}

function reportApplied({ started, restarted, removed }: ApplyResult): void {
  const parts = [
    started.length > 0 ? `added ${started.join(', ')}` : '',
    restarted.length > 0 ? `restarted ${restarted.join(', ')} (changed)` : '',
    removed.length > 0 ? `removed ${removed.join(', ')}` : '',
  ].filter(Boolean);
  process.stdout.write(
    `already running: ${parts.length > 0 ? parts.join('; ') : 'config unchanged'}\n`,
  );
}

/** Names the daemon that answers, which is not ours when a rival won the race. */
async function reportStarted(
  client: HttpSupervisorClient,
  project: string,
  logPath: string,
): Promise<void> {
  const { pid, orphansCleaned } = await client.status();
  process.stdout.write(`${project}: supervisor running (pid ${pid}), log in ${logPath}\n`);
  if (orphansCleaned > 0) {
    process.stdout.write(
      `stopped ${orphansCleaned} process(es) left running by a supervisor that died\n`,
    );
  }
}

/**
 * Shows each selected process's status as it changes, and what it waits for, until every
 * one is running, completed, failed, stopped, or pending on what will not come unasked, or
 * the wait runs out, naming then who still waits and why. Exit 0 unless one failed, stays
 * pending, or the wait ran out.
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
      // Left pending on what will not come unasked (or not soon): said, not waited out.
      const blocked = rows.filter((info) => info.status === 'pending');
      for (const info of blocked) {
        process.stderr.write(`overseer: ${info.name} stays pending: ${info.reason}\n`);
      }
      finish(blocked.length > 0 || rows.some((info) => info.status === 'failed') ? 1 : 0);
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
 * one forces, a third gives up waiting (exit 130).
 */
async function runInForeground(
  project: Project,
  names: readonly string[],
  watch: boolean,
  daemonSide: DaemonSide,
): Promise<number> {
  const daemon = await daemonSide.open(project);
  if (watch) void daemon.watchConfig();
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
    if (event.type === 'config:applied' || event.type === 'config:rejected') {
      return process.stdout.write(`${paint('bold', describeConfigOutcome(event))}\n`);
    }
    // The admission says nothing `pending` and `started` do not; a start held up by its
    // readiness check does.
    if (!('name' in event) || (event.type === 'process:starting' && event.reason === SPAWNING)) {
      return;
    }
    process.stdout.write(`${label(event.name)} │ ${paint('dim', describeEvent(event))}\n`);
  });
  const givenUp = handleStopSignals(daemon, paint);
  daemon.up(names.length > 0 ? names : undefined).catch((error: Error) => {
    process.stderr.write(`overseer: ${error.message}\n`);
  });
  const closed = daemon.closed.then(() =>
    daemon.supervisor.list().some((process) => process.status === 'failed') ? 1 : 0,
  );
  return Promise.race([closed, givenUp]);
}

/**
 * Ctrl-C, SIGTERM, or SIGHUP (the terminal closed, the SSH session dropped) stop the stack
 * gracefully, whatever became of the output (see `tolerateClosedOutput`). A second one
 * SIGKILLs every process tree at once and the shutdown ends with them: the lock, pid file
 * and socket are still let go of. A third gives up waiting: the returned promise resolves
 * then, with the exit code.
 */
function handleStopSignals(daemon: LocalDaemon, paint: Painter): Promise<number> {
  const ladder = stopLadder(daemon, (error) => {
    process.stderr.write(`overseer: the stop failed: ${(error as Error).message}\n`);
  });
  const onSignal = (signal: NodeJS.Signals) => {
    const step = ladder.next();
    if (step === 'graceful') {
      process.stderr.write(paint('bold', `\n${signal}: stopping the stack (again to force)…\n`));
    } else if (step === 'forced') {
      process.stderr.write(paint('bold', `${signal}: forced: killing every process tree now\n`));
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
  return ladder.givenUp;
}
