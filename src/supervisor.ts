/**
 * The library's `Supervisor`: the runtime's engine, taking processes as overseer.yaml
 * describes them and options as users write them, both validated by the config layer
 * before anything runs.
 */
import { specsFromDefinition } from './config/normalize.js';
import type { ProcessDefinition } from './config/process-schema.js';
import { settingsSandbox } from './config/sandbox.js';
import { checkSupervisorOptions } from './config/supervisor-options.js';
import { type TaskDefinition, taskFromDefinition } from './config/task-schema.js';
import type { OverseerError } from './core/errors.js';
import type { EventOf, SupervisorEvent, SupervisorEventType } from './core/events.js';
import type { SignalReport } from './core/process/signals.js';
import type { SandboxPolicy, SandboxRules } from './core/sandbox/sandbox.js';
import type { ProcessFilter } from './core/stack/process-filter.js';
import type { ReloadReport } from './core/stack/rolling.js';
import type { RequestTarget } from './core/stack/selector.js';
import type { SupervisorStats } from './core/stats.js';
import type { Disposer } from './core/subscription.js';
import type { TaskResult, TaskSpec, TaskView } from './core/tasks/task.js';
import type * as View from './core/view.js';
import type { HealthReport, SupervisorApi } from './protocol/api.js';
import { healthReport } from './protocol/health.js';
import type { Listener } from './runtime/supervisor/emitter.js';
import { type EngineOptions, SupervisorEngine } from './runtime/supervisor/engine.js';
import type { ProcessHistory } from './runtime/supervisor/managed-process.js';
import { followTaskOutput, waitForTask } from './runtime/supervisor/task-follow.js';
import type { TaskFilter, TaskOutputLine } from './runtime/tasks/task-runner.js';

export interface SupervisorOptions extends EngineOptions {
  /** Children running at once; the rest wait in `pending` by priority. Default: no limit. */
  readonly maxProcesses?: number;
  /** Folder that relative `cwd` and `env_file` paths are resolved against. Default: `process.cwd()`. */
  readonly cwd?: string;
  /** Environment every child starts from, copied when the supervisor is created. Default: `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Output lines kept in memory per process. Default: 1000. */
  readonly logLines?: number;
  /**
   * Folder for log files: each process's output goes to `<logDir>/<name>.log`, one line per
   * line of output as `<ISO time> <stdout|stderr> <text>`, rotated by size. A child that
   * writes faster than the disk is paused (its pipe fills), never dropped. Default: none,
   * output is kept in memory only.
   */
  readonly logDir?: string;
  /**
   * Rotation of every log file, unless a process sets its own `logs`. Default: 10 MiB per
   * file, 5 files.
   */
  readonly logRotation?: EngineOptions['logRotation'];
  /**
   * Milliseconds between two resource samples of every live process tree (CPU, memory,
   * open files, threads), which `limits` are judged on; 0 turns sampling off. Default:
   * paced by its own cost, from every 2 s to every 15 s, so that sampling takes about
   * 0.04 % of one core (every 2–3 s for 100 processes, 10–15 s for 500 on a busy 2-core
   * machine: see docs/benchmarks.md).
   */
  readonly sampleInterval?: number;
  /**
   * The sandbox of every process (overseer.yaml's `settings.sandbox`, in camelCase); a
   * process's own `sandbox` may only narrow it. Checked before each spawn: a refusal ends
   * the process `failed` with a reason starting `sandbox:`. Default: none.
   */
  readonly sandbox?: SandboxRules;
  /**
   * How each run's process tree is kept together, so that all of it ends with the run:
   * `cgroup` (a cgroup v2 per run; an error when the machine does not allow it),
   * `process-group` (the group, plus descendants that left it, tracked through `/proc`), or
   * `auto`: cgroups where the supervisor may create them. Default: `OVERSEER_CONTAINMENT`
   * from `env`, else `auto`. See docs/containment.md.
   */
  readonly containment?: EngineOptions['containment'];
  /**
   * Told of an error thrown by a listener of events (`on`, `onAny`, `watch`) or of output
   * (`onLog`). Such a listener is skipped for that item; the supervisor, the other
   * listeners and the log (memory and file) go on as if it had returned. Default: a process
   * warning (`process.emitWarning`, type `OverseerListenerError`).
   */
  readonly onListenerError?: EngineOptions['onListenerError'];
}

/**
 * Spawns and supervises child processes: state tracking, restarts with backoff and a
 * restart budget, readiness and liveness probes, dependencies, slots, and a graceful
 * shutdown that leaves no process behind. Never prints and never exits the host process.
 * Options and definitions are checked before anything runs: `INVALID_SPEC` lists every issue.
 *
 * @example
 * const supervisor = new Supervisor();
 * supervisor.add({ name: 'api', command: 'node server.js', readiness: { http: 'http://127.0.0.1:3000/health' } });
 * supervisor.add({ name: 'worker', command: ['node', 'worker.js'], depends_on: { api: 'healthy' } });
 * await supervisor.up();
 * // …
 * await supervisor.shutdown();
 */
export class Supervisor implements SupervisorApi {
  private readonly engine: SupervisorEngine;
  /** The policy every added process narrows. */
  private readonly sandbox: SandboxPolicy | undefined;
  private readonly baseDir: string;
  private readonly startedAt = Date.now();

  constructor(options: SupervisorOptions = {}) {
    const { sandbox, ...engineOptions } = checkSupervisorOptions(options);
    this.sandbox = settingsSandbox(sandbox);
    this.baseDir = options.cwd ?? process.cwd();
    this.engine = new SupervisorEngine(engineOptions);
  }

  /** The folder of the tasks' log files (`<id>.log`), with a `logDir`: what `GET /tasks/:id/logs` reads. */
  get taskLogDir(): string | undefined {
    return this.engine.taskLogDir;
  }

  /** The containment in force: decided once, when the supervisor was created. */
  get containment(): View.ContainmentInfo {
    return this.engine.containment;
  }

  /**
   * Declares a process (the shape of one `processes:` entry of overseer.yaml, plus
   * `name`). Returns the names created: `[name]`, or `name-0…` with `instances`.
   * Throws `INVALID_SPEC` (every issue listed) or `DUPLICATE_PROCESS`.
   */
  add(definition: ProcessDefinition): string[] {
    // Closed first: after a shutdown, SHUT_DOWN rather than a verdict on the definition.
    this.engine.assertOpen();
    const context = { sandbox: this.sandbox, baseDir: this.baseDir };
    return this.engine.declare(specsFromDefinition(definition, context));
  }

  /**
   * Forgets a declared process (every instance of a name). It must not be running: stop it
   * first. Throws `UNKNOWN_PROCESS` or `INVALID_STATE`.
   */
  remove(name: string): void {
    this.engine.remove(name);
  }

  /**
   * Starts the named processes (all when omitted; names are selectors: a process, an
   * instance, which starts that instance only, or `all`) and what they depend on, in
   * dependency order within the slot limit; a process with a `schedule` waits for its first
   * fire instead (unless `run_on_start`). Resolves once each is `running`, `scheduled`,
   * `completed`, `failed` or `stopped`, or waits on a dependency stopped on request. Throws
   * `UNKNOWN_PROCESS` naming every unknown name, or `INVALID_SPEC` on a missing dependency
   * or a cycle, changing nothing.
   */
  up(names?: readonly string[]): Promise<View.ProcessInfo[]> {
    return this.engine.up(names);
  }

  /**
   * Starts a process: `target` is a selector (a process, meaning every instance, one
   * instance, or `all`) or a namespace (`{namespace: 'backend'}`). Resolves once each is at
   * rest, or is left waiting on a dependency stopped on request (`pending`, its `reason`
   * naming it). Throws `UNKNOWN_PROCESS` or `UNKNOWN_NAMESPACE`; or `INVALID_STATE` when
   * the target is one instance named alone and it already runs: then nothing was started.
   * A target standing for several starts those not running and leaves the rest be.
   */
  start(target: RequestTarget): Promise<View.ProcessInfo[]> {
    return this.engine.start(target);
  }

  /**
   * Stops a process (a target, as `start` takes); resolves once each whole tree has
   * exited. Refused (`INVALID_STATE`) only for one instance named alone that is not running.
   */
  stop(target: RequestTarget): Promise<View.ProcessInfo[]> {
    return this.engine.stop(target);
  }

  /**
   * Stops a process (a target, as `start` takes) if it runs, then starts it again;
   * resolves as `start` does.
   */
  restart(target: RequestTarget): Promise<View.ProcessInfo[]> {
    return this.engine.restart(target);
  }

  /**
   * A rolling restart (a selector, as `start` takes): the running instances one at a time,
   * each replacement ready (its readiness probe passed, or `min_uptime` without one) before
   * the next is stopped, so the others keep serving. Resolves with what became of each
   * instance; `ok: false` when a replacement did not become ready: the reload stopped
   * there, leaving that one to its restart policy and the rest as they were. A process
   * with no other running instance is plainly restarted (listed in `plainRestarts`).
   * Throws `UNKNOWN_PROCESS`, or `INVALID_STATE` when nothing selected runs, or when the
   * process is already being reloaded or scaled.
   *
   * @example
   * const report = await supervisor.reload('web');
   * if (!report.ok) console.error(report.instances.find((i) => i.outcome === 'failed'));
   */
  reload(name: string): Promise<ReloadReport> {
    return this.engine.reload(name);
  }

  /**
   * Runs `instances` instances (1 to 1000) of a process added with `instances` from now on:
   * adds `name-k` (started when the process runs), or stops and forgets the highest-numbered
   * ones; the other instances are never touched. Resolves with every instance's row once the
   * added ones are at rest. Throws `BAD_REQUEST` for a count out of bounds, an instance's
   * name, `all`, or a process added without `instances` (named `web`, not `web-0`: scaling
   * it would rename it); `UNKNOWN_PROCESS`; `INVALID_STATE` during a reload of it.
   */
  scale(name: string, instances: number): Promise<View.ProcessInfo[]> {
    return this.engine.scale(name, instances);
  }

  /**
   * Sends a signal by name (`SIGHUP`, `HUP`, `usr1`) to the process group of each running
   * instance a selector stands for, with a `process:signalled` event each; the runs go on
   * unless the processes end themselves. Instances of a process named whole that do not
   * run are reported in `notRunning`. Throws `BAD_REQUEST` for a name that is no signal,
   * `UNKNOWN_PROCESS`, or `INVALID_STATE` when nothing selected runs.
   */
  signal(name: string, signal: string): Promise<SignalReport> {
    return this.engine.signal(name, signal);
  }

  /**
   * Stops everything, dependents before their dependencies, and resolves when no child is
   * left. Afterwards the supervisor takes no more requests.
   *
   * With `force: true` every process tree is SIGKILLed at once, before this returns, rather
   * than asked to stop and given `stop.timeout`: for a host told twice to end, which may be
   * gone a moment later. A graceful shutdown already under way finishes with it.
   */
  shutdown(options: { readonly force?: boolean } = {}): Promise<void> {
    return this.engine.shutdown(options);
  }

  /**
   * One row per process, in declaration order (the `ps --json` rows), narrowed by the
   * filter: `names` (selectors: only the instances they stand for), `namespace` (only its
   * processes; with `names`, those names, which must be in it), `status` (one or several),
   * `label` (`{tier: 'web'}` or `'tier=web'`: every one must match).
   * Throws `UNKNOWN_PROCESS` naming every selector that matches nothing,
   * `UNKNOWN_NAMESPACE` naming the namespaces there are, `BAD_REQUEST` for a malformed
   * status or label.
   *
   * @example
   * supervisor.list({ namespace: 'backend', status: ['failed', 'backoff'] });
   * supervisor.list({ label: 'tier=web' });
   */
  list(filter: ProcessFilter = {}): View.ProcessInfo[] {
    return this.engine.list(filter);
  }

  /** One process with its spec and recent runs. Throws `UNKNOWN_PROCESS`. */
  get(name: string): View.ProcessDetails {
    return this.engine.get(name);
  }

  /**
   * The instance names a selector stands for: itself, every instance of a process, or
   * every instance of every process for `all`. Throws `UNKNOWN_PROCESS`.
   */
  instanceNames(name: string): string[] {
    return this.engine.instanceNames(name);
  }

  /** The last `lines` lines of output of a process (default 100), oldest first. */
  logs(name: string, lines = 100): View.LogLine[] {
    return this.engine.logs(name, lines);
  }

  /**
   * The last lines of a process, or of every instance of a name merged by time, that pass
   * `query` (`lines`, default 100; `since`; `until`; `grep`): oldest first, each with its process
   * name. With a `logDir` it reads the log files, rotated ones included, so it reaches past
   * the lines kept in memory; without, the memory buffer. Throws `UNKNOWN_PROCESS`.
   */
  readLogs(name: string, query: View.LogQuery = {}): Promise<View.ProcessLogLine[]> {
    return this.engine.readLogs(name, query);
  }

  /**
   * The last `lines` lines of a process, or of every instance of a name merged by time,
   * then every new one as it is read, with no gap between; returns a disposer. Throws
   * `UNKNOWN_PROCESS`.
   */
  followLogs(name: string, lines: number, listener: Listener<View.ProcessLogLine>): Disposer {
    return this.engine.followLogs(name, lines, listener);
  }

  /** The stack's health: its status, counts per status, and why it is not `ok`. */
  health(): HealthReport {
    const uptimeMs = Date.now() - this.startedAt;
    const { containment } = this.engine;
    return healthReport(this.engine.list(), {
      pid: process.pid,
      uptimeMs,
      containment,
      tasks: this.engine.tasks.counts(),
    });
  }

  /** Listens to one event type; returns a disposer. */
  on<T extends SupervisorEventType>(type: T, listener: Listener<EventOf<T>>): Disposer {
    return this.engine.on(type, listener);
  }

  /** Listens to every event; returns a disposer. */
  onAny(listener: Listener<SupervisorEvent>): Disposer {
    return this.engine.onAny(listener);
  }

  /**
   * A snapshot of every process, then every event after it with no gap between; returns a
   * disposer.
   */
  watch(listener: Listener<View.Snapshot | SupervisorEvent>): Disposer {
    return this.engine.watch(listener);
  }

  /**
   * Every line of output of every process, as it is read; returns a disposer. A listener
   * that throws is reported (`onListenerError`) and skipped for that line, which still
   * reaches the memory buffer, the log file and every other listener.
   */
  onLog(listener: Listener<View.ProcessLogLine>): Disposer {
    return this.engine.onLog(listener);
  }

  /**
   * Runs a one-off task under supervision (a process definition without the keys of a
   * service, plus `timeout`, `input`, `capture`, `retry`, `name`): it waits for a slot with
   * the processes, by priority, and resolves with its result however it ended (see
   * docs/tasks.md). Rejects only for bad input (`INVALID_SPEC`), a full queue
   * (`QUEUE_FULL`) or a supervisor shut down (`SHUT_DOWN`): nothing is queued then.
   * `signal` cancels it, queued or running.
   */
  async run(
    task: TaskDefinition,
    options: { readonly signal?: AbortSignal } = {},
  ): Promise<TaskResult> {
    // The runner's own promise: a task may end inside the submission (an aborted signal, a
    // program that cannot be spawned) and be forgotten at once with `tasks.history: 0`.
    return this.engine.tasks.submit(this.validTask(task), options.signal);
  }

  /**
   * Queues a task as `run()` does, and returns its id at once: its result comes from
   * `taskResult(id)`, its output from `onTaskOutput`. Throws as `run()` rejects.
   */
  submitTask(task: TaskDefinition, options: { readonly signal?: AbortSignal } = {}): string {
    const spec = this.validTask(task);
    void this.engine.tasks.submit(spec, options.signal);
    return spec.id;
  }

  private validTask(task: TaskDefinition): TaskSpec {
    this.engine.assertOpen();
    return taskFromDefinition(task, { sandbox: this.sandbox, baseDir: this.baseDir });
  }

  /** Resolves with a task's result once it ended (at once if it has). Throws `NOT_FOUND`. */
  taskResult(id: string): Promise<TaskResult> {
    return this.engine.tasks.result(id);
  }

  /** Tasks not ended, then those that ended (newest first), by status and labels. */
  listTasks(filter: TaskFilter = {}): TaskView[] {
    return this.engine.tasks.list(filter);
  }

  /** One task, live or among those remembered. Throws `NOT_FOUND`. */
  getTask(id: string): TaskView {
    return this.engine.tasks.get(id);
  }

  /** Cancels a task, queued or running. Throws `NOT_FOUND`, `INVALID_STATE` once it ended. */
  cancelTask(id: string): TaskView {
    return this.engine.tasks.cancel(id);
  }

  /**
   * A task's view as soon as it ended, or after `waitMs` as it is then, whichever comes
   * first. Throws `NOT_FOUND`.
   */
  waitTask(id: string, waitMs: number): Promise<TaskView> {
    return waitForTask(this.engine.tasks, id, waitMs);
  }

  /**
   * A task's output lines (from its start, read from its log file, with a `logDir`; else
   * those read from now on), then `onEnd` with its final view once it ended and every line
   * was told. Throws `NOT_FOUND`; returns a disposer.
   */
  followTask(
    id: string,
    listener: Listener<TaskOutputLine>,
    onEnd: (view: TaskView) => void,
  ): Disposer {
    return followTaskOutput(this.engine, id, listener, onEnd);
  }

  /** Every line of every task's output, as it is read; returns a disposer. */
  onTaskOutput(listener: Listener<TaskOutputLine>): Disposer {
    return this.engine.tasks.onOutput(listener);
  }

  /** Processes per status, tasks per status, restarts, and the host's load and memory. */
  stats(): SupervisorStats {
    return this.engine.stats();
  }

  /** The streams of a supervisor in this process never break: nothing is ever told. */
  onBreak(_listener: (error: OverseerError) => void): Disposer {
    return () => {};
  }

  /**
   * Carries over a process's restart count and recent runs from an earlier supervisor (a
   * store's record), so `restarts` and `runs` go on where they were. Before it first starts.
   */
  restoreHistory(name: string, history: ProcessHistory): void {
    this.engine.restoreHistory(name, history);
  }

  /**
   * Publishes a supervisor-level event to every listener, for the host that manages the
   * supervisor's life (a daemon reporting its start, or what it cleaned up from a previous one).
   */
  announce(event: EventOf<'supervisor:started'> | EventOf<'supervisor:orphans-cleaned'>): void {
    this.engine.announce(event);
  }
}
