/**
 * The supervisor of the runtime: its rooms wired together (the instance registry, the loop,
 * the launcher, the log sink, the event hub, the host-exit safety net) behind the requests
 * and readings the library's `Supervisor` and the daemon offer. What a request, a control, a
 * watched change or a changed config does is carried out in its own module (requests.ts,
 * controls.ts, watch-triggers.ts, redeclare.ts): the engine wires them.
 */
import { OverseerError } from '../../core/errors.js';
import type { EventOf, SupervisorEvent, SupervisorEventType } from '../../core/events.js';
import { type LogFor, silentLog } from '../../core/logging.js';
import type { SignalReport } from '../../core/process/signals.js';
import { DEFAULT_LOG_ROTATION, type ProcessSpec } from '../../core/process/spec.js';
import { withLastFire } from '../../core/process/state.js';
import type { ProcessFilter } from '../../core/stack/process-filter.js';
import type { ReloadReport } from '../../core/stack/rolling.js';
import type { RequestTarget } from '../../core/stack/selector.js';
import type { SupervisorStats } from '../../core/stats.js';
import type { Disposer } from '../../core/subscription.js';
import { TaskDurationHistogram } from '../../core/tasks/task-durations.js';
import type * as View from '../../core/view.js';
import { Containment } from '../process/containment.js';
import type { RunTreeRecord } from '../process/run-tree.js';
import { PACED, ResourceMonitor } from '../sampling/resource-monitor.js';
import { currentHost } from '../sandbox/sandbox.js';
import { DEFAULT_TASK_SETTINGS, TaskRunner } from '../tasks/task-runner.js';
import { CronClock } from '../triggers/cron.js';
import type { ProcessWatches } from '../triggers/process-watches.js';
import { type ControlRooms, reloadInstances, scaleProcess, signalInstances } from './controls.js';
import { EventHub, type Listener, warnOfListenerError } from './emitter.js';
import type { EngineOptions, EngineSettings } from './engine-options.js';
import { HostExitGuard } from './host-exit-guard.js';
import { InstanceRegistry } from './instance-registry.js';
import { Launcher, type RunStraysListener } from './launcher.js';
import { LogSink } from './log-sink.js';
import { SupervisorLoop } from './loop.js';
import { ManagedProcess, type ProcessHistory } from './managed-process.js';
import { type Redeclaration, redeclare } from './redeclare.js';
import { acceptedFor, requestInstances, upSelected } from './requests.js';
import { ReshapeGuard } from './reshape-guard.js';
import { supervisorStats } from './stats.js';
import { TaskLogFiles } from './task-log-files.js';
import { taskRoomsOf } from './task-rooms-of.js';
import { openProcessWatches, type WatchRooms } from './watch-triggers.js';

export type { EngineOptions, EngineSettings } from './engine-options.js';

export type { RunStraysListener } from './launcher.js';

/**
 * Spawns and supervises child processes from their normalized specs. Never prints and never
 * exits the host process. The library's `Supervisor` and the daemon are built on it.
 */
export class SupervisorEngine {
  private readonly registry = new InstanceRegistry();
  private readonly hub: EventHub;
  private readonly output: LogSink;
  private readonly loop: SupervisorLoop;
  private readonly monitor: ResourceMonitor;
  private readonly trees: Containment;
  private readonly exitGuard: HostExitGuard;
  private readonly launcher: Launcher;
  private readonly cron: CronClock<ManagedProcess>;
  private readonly watches: ProcessWatches;
  private readonly logLines: number;
  /**
   * The supervisor's own log, by category: what the engine's parts write to it (the
   * triggers under `schedule` and `watch`). Silent unless the engine was given one.
   */
  readonly log: LogFor;
  private shuttingDown: Promise<void> | undefined;
  /** One-off tasks: queued with the processes for slots, run, retried, cancelled. */
  readonly tasks: TaskRunner;
  private readonly taskLogs = new TaskLogFiles();
  private readonly taskDurations = new TaskDurationHistogram();
  /** What the requests, the controls and the watches act through. */
  private readonly rooms: ControlRooms & WatchRooms;

  constructor(options: EngineOptions = {}) {
    const report = options.onListenerError ?? warnOfListenerError;
    this.hub = new EventHub(report);
    this.output = new LogSink(options.logDir, options.logRotation ?? DEFAULT_LOG_ROTATION, report);
    this.logLines = options.logLines ?? 1000;
    this.log = options.log ?? silentLog;
    // A plain copy, taken once: every read of process.env goes through native code, and
    // copying it at each spawn was most of the supervisor's own cost per start.
    const baseEnv = { ...(options.env ?? process.env) };
    this.monitor = new ResourceMonitor(options.sampleInterval ?? PACED, (managed, breach) =>
      this.loop.feed(managed, { type: 'limit', breach }),
    );
    this.trees = Containment.detect(options.containment, baseEnv);
    const { registry, hub, monitor } = this;
    const { taskLogs } = this;
    this.tasks = new TaskRunner(
      taskRoomsOf({ loop: () => this.loop, hub, output: this.output, taskLogs }, report),
      { ...DEFAULT_TASK_SETTINGS, ...options.tasks },
    );
    const { taskDurations } = this;
    hub.on('task:finished', ({ id, result }) => {
      taskLogs.ended(id);
      // Only tasks that ran: one refused or cancelled while queued took no time.
      if (result.startedAt !== null) taskDurations.observe(result.durationMs);
    });
    const { tasks } = this;
    const processes = () => [...registry.all(), ...tasks.tries()];
    this.exitGuard = new HostExitGuard({ processes, monitor, containment: this.trees });
    this.launcher = new Launcher(
      {
        baseDir: options.cwd ?? process.cwd(),
        baseEnv,
        childEnv: options.childEnv ?? {},
        host: currentHost(baseEnv),
        containment: this.trees,
      },
      {
        feed: (managed, input) => this.loop.feed(managed, input),
        ended: (managed) => monitor.unwatch(managed),
      },
    );
    this.cron = new CronClock((managed, at) => this.loop.feed(managed, { type: 'fire', at }));
    const { exitGuard, launcher, cron, log } = this;
    const loopRooms = { registry, hub, monitor, exitGuard, launcher, cron, log, tasks };
    this.loop = new SupervisorLoop(loopRooms, options.maxProcesses ?? Number.POSITIVE_INFINITY);
    this.rooms = {
      registry,
      loop: this.loop,
      reshaping: new ReshapeGuard(),
      manage: (spec) => this.manage(spec, Date.now()),
      forget: (managed) => managed.release(),
      assertOpen: () => this.assertOpen(),
      closing: () => this.shuttingDown !== undefined,
      log: this.log,
    };
    this.watches = openProcessWatches(options, this.rooms);
  }

  /** The containment in force: decided once, when the engine was created. */
  get containment(): View.ContainmentInfo {
    return this.trees.info;
  }

  /** What a successor needs to end the current run of `name`, while one is alive. For the daemon's store. */
  runTree(name: string): RunTreeRecord | undefined {
    return this.registry.find(name)?.child?.tree;
  }

  /** What a successor needs to end the live try of task `id`. For the daemon's store. */
  taskRunTree(id: string): RunTreeRecord | undefined {
    return this.tasks.liveTry(id)?.child?.tree;
  }

  /** The folder of the tasks' log files (`<id>.log`), when the engine keeps log files. */
  get taskLogDir(): string | undefined {
    return this.output.taskLogDir;
  }

  /** Resolves once every line task `id` wrote so far is in its log file. */
  taskLogWritten(id: string): Promise<void> {
    return this.taskLogs.written(id);
  }

  /** Listens to the strays found of every run, so a successor can end them too; returns a disposer. */
  onStrays(listener: RunStraysListener): Disposer {
    return this.launcher.onStrays(listener);
  }

  /**
   * Declares one process from its normalized specs, one per instance (trusted, not checked
   * again). Returns their names. Throws `INVALID_SPEC` for a reserved name, `DUPLICATE_PROCESS`.
   */
  declare(specs: readonly ProcessSpec[]): string[] {
    this.assertOpen();
    const now = Date.now();
    const names = this.registry.declare(specs, (spec) => this.manage(spec, now));
    const [first] = specs;
    if (first?.watch) this.watches.add(first.family, first.watch);
    return names;
  }

  private manage(spec: ProcessSpec, now: number): ManagedProcess {
    const managed: ManagedProcess = new ManagedProcess(spec, now, this.logLines, {
      onLines: (at, stream, lines) => this.output.write(managed, at, stream, lines),
      onProbe: (probe, failure) =>
        this.loop.feed(
          managed,
          failure === null
            ? { type: 'probe', probe, ok: true }
            : { type: 'probe', probe, ok: false, message: failure },
        ),
    });
    managed.logFile = this.output.fileFor(spec);
    return managed;
  }

  /**
   * Takes the settings of a changed config: the rotation of every log file from its next
   * write (a process's own wins), the children alive at once (waiting processes fill new
   * slots now), what no `watch` sees, open or to come.
   */
  reconfigure(settings: EngineSettings): void {
    this.output.setRotation(settings.logRotation, this.registry.all());
    this.loop.setMaxProcesses(settings.maxProcesses);
    this.watches.setExclude(settings.unwatched);
    if (settings.tasks) this.tasks.setSettings(settings.tasks);
  }

  /** Forgets every instance of a declared name, none running. Throws `UNKNOWN_PROCESS`, `INVALID_STATE`. */
  remove(name: string): void {
    this.assertOpen();
    for (const managed of this.registry.remove(name)) managed.release();
    void this.watches.remove(name);
  }

  /** Replaces what a changed config drops, changes or adds (redeclare.ts); never refused. */
  redeclare(change: Redeclaration): Promise<void> {
    const remove = (name: string) => this.remove(name);
    const declare = (specs: readonly ProcessSpec[]) => void this.declare(specs);
    return redeclare({ ...this.rooms, remove, declare }, change);
  }

  /**
   * Brings up the selected processes (all when omitted) and their dependencies: a process on
   * a schedule waits for its first fire (`scheduled`), any other starts. Resolves once each
   * is at rest.
   */
  up(names?: readonly string[]): Promise<View.ProcessInfo[]> {
    return upSelected(this.rooms, names);
  }

  /** Starts what a target stands for; resolves once each is at rest (see `Supervisor.start`). */
  start(target: RequestTarget): Promise<View.ProcessInfo[]> {
    return requestInstances(this.rooms, target, { type: 'start' });
  }

  /** Stops what a target stands for; resolves once each whole tree has exited. */
  stop(target: RequestTarget): Promise<View.ProcessInfo[]> {
    return requestInstances(this.rooms, target, { type: 'stop' });
  }

  /** Stops what a target stands for if it runs, then starts it again; resolves as `start`. */
  restart(target: RequestTarget): Promise<View.ProcessInfo[]> {
    return requestInstances(this.rooms, target, { type: 'restart' });
  }

  /**
   * Replaces the running instances a selector stands for one at a time, each ready before
   * the next is stopped (core/stack/rolling.ts); resolves once it is over, or stopped at a
   * replacement that did not become ready.
   */
  reload(name: string): Promise<ReloadReport> {
    return reloadInstances(this.rooms, name);
  }

  /** Runs `instances` instances of a process from now on (see controls.ts `scaleProcess`). */
  scale(name: string, instances: number, options: { wait?: boolean } = {}) {
    return scaleProcess(this.rooms, name, instances, options.wait);
  }

  /**
   * Sends a signal (`SIGHUP`, `HUP`) to the process group of each running instance a
   * selector stands for. Throws `BAD_REQUEST` for a name that is no signal, and the refusal
   * of an instance named alone, or of a process none of whose instances runs.
   */
  signal(name: string, signal: string): Promise<SignalReport> {
    return signalInstances(this.rooms, name, signal);
  }

  /** Stops everything, dependents first (`force`: SIGKILL every tree now); then takes no more requests. */
  shutdown(options: { readonly force?: boolean } = {}): Promise<void> {
    if (!this.shuttingDown) {
      this.shuttingDown = this.stopAll();
      this.loop.closeAdmission();
    }
    if (options.force) this.exitGuard.killAllNow();
    return this.shuttingDown;
  }

  /** The instance names a selector stands for. Throws `UNKNOWN_PROCESS`. */
  instanceNames(name: string): string[] {
    return [...this.registry.select([name]).instances];
  }

  /** Publishes a supervisor-level event, for the host that manages the supervisor's life and config. */
  announce(
    event:
      | EventOf<'supervisor:started'>
      | EventOf<'supervisor:orphans-cleaned'>
      | EventOf<'config:applied'>
      | EventOf<'config:rejected'>,
  ): void {
    this.hub.publish(event);
  }

  /** One row per process in declaration order, narrowed by the filter (see `Supervisor.list`). */
  list(filter: ProcessFilter = {}): View.ProcessInfo[] {
    return this.registry.list(filter);
  }

  /** One process with its spec, recent runs and resources. Throws `UNKNOWN_PROCESS`. */
  get(name: string): View.ProcessDetails {
    return this.registry.details(name, this.trees.info);
  }

  /**
   * Carries over the last fire time an earlier supervisor took of a process's schedule: no
   * fire at or before it runs again, even on a clock set back.
   */
  restoreLastFire(name: string, at: number): void {
    const managed = this.registry.byName(name);
    managed.record = withLastFire(managed.record, at);
  }

  /** Carries over a process's restart count and recent runs from an earlier supervisor. */
  restoreHistory(name: string, history: ProcessHistory): void {
    this.registry.byName(name).restore(history);
  }

  /** The last `lines` lines one instance holds in memory, oldest first. */
  logs(name: string, lines = 100): View.LogLine[] {
    return this.registry.byName(name).logs.tail(lines);
  }

  /**
   * The last lines of a process or family that pass `query`, from its files when it keeps
   * them. An unknown name rejects with `UNKNOWN_PROCESS`, as every request does.
   */
  async readLogs(name: string, query: View.LogQuery = {}): Promise<View.ProcessLogLine[]> {
    return this.output.read(this.membersOf(name), query);
  }

  /** The last `lines` lines of what a selector stands for, merged by time, then every new one. */
  followLogs(name: string, lines: number, listener: Listener<View.ProcessLogLine>): Disposer {
    return this.output.follow(this.membersOf(name), lines, listener);
  }

  /** What a name of logs stands for: a process's instances, one instance, or `all`. */
  private membersOf(name: string): ManagedProcess[] {
    return this.registry.select([name]).instances.map((instance) => this.registry.byName(instance));
  }

  /** Listens to one event type; returns a disposer. */
  on<T extends SupervisorEventType>(type: T, listener: Listener<EventOf<T>>): Disposer {
    return this.hub.on(type, listener);
  }

  /** Listens to every event; returns a disposer. */
  onAny(listener: Listener<SupervisorEvent>): Disposer {
    return this.hub.onAny(listener);
  }

  /** A snapshot of every process, then every event after it with no gap between. */
  watch(listener: Listener<View.Snapshot | SupervisorEvent>): Disposer {
    const dispose = this.hub.onAny(listener);
    listener({ type: 'snapshot', at: Date.now(), processes: this.list() });
    return dispose;
  }

  /** Every line of output of every process, as it is read; returns a disposer. */
  onLog(listener: Listener<View.ProcessLogLine>): Disposer {
    return this.output.onLog(listener);
  }

  /**
   * The instances `start`, `stop` or `restart` of `target` would act on now, changing
   * nothing; throws the refusal the request would meet. For the daemon's desired state.
   */
  acceptedInstances(action: 'start' | 'stop' | 'restart', target: RequestTarget): string[] {
    return acceptedFor(this.rooms, target, { type: action }).map((managed) => managed.spec.name);
  }

  private async stopAll(): Promise<void> {
    // No change starts anything from here on (the watches' `closing` sees `shuttingDown`).
    const unwatched = this.watches.close();
    await Promise.all([
      this.tasks.close('the supervisor is shutting down'),
      this.loop.stopEverything(),
    ]);
    this.cron.close();
    await unwatched;
    this.exitGuard.guard(false);
    this.monitor.close();
    this.trees.close();
    // Resolved only once every line read is on disk.
    await this.output.close();
    this.hub.publish({ type: 'supervisor:shutdown', at: Date.now(), stats: this.stats() });
  }

  /** Processes per status, tasks per status, restarts, and the host's load and memory. */
  stats(): SupervisorStats {
    const stats = supervisorStats(this.registry.all(), this.tasks.counts());
    return { ...stats, taskDurations: this.taskDurations.snapshot() };
  }

  /** Throws `SHUT_DOWN` once `shutdown()` was called. */
  assertOpen(): void {
    if (this.shuttingDown) throw new OverseerError('SHUT_DOWN', 'the supervisor has shut down');
  }
}
