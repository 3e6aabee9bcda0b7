/**
 * The Supervisor: the loop that feeds inputs to core and carries out the effects core asks
 * for (spawn, signal, timers, probes), plus the library API around it.
 */
import { join } from 'node:path';
import { OverseerError } from '../../core/errors.js';
import type { EventOf, SupervisorEvent, SupervisorEventType } from '../../core/events.js';
import {
  DEFAULT_LOG_ROTATION,
  type LogRotation,
  MIN_LOG_FILE_SIZE,
  type ProcessSpec,
} from '../../core/process/spec.js';
import { isAtRest, isRequestOver, isSettled } from '../../core/process/state.js';
import { type Effect, type ProcessInput, transition } from '../../core/process/transition.js';
import {
  narrowSandbox,
  OPEN_SANDBOX,
  type SandboxPolicy,
  type SandboxRules,
} from '../../core/sandbox/sandbox.js';
import { buildGraph, graphIssues, stopLayers } from '../../core/stack/graph.js';
import { planSchedule } from '../../core/stack/scheduler.js';
import {
  ALL as ALL_SELECTOR,
  instancesNamed,
  instancesToStart,
  judgeRequest,
  type ProcessFilter,
  parseSelector,
  RESERVED_NAMES,
  resolveSelectors,
  type Selection,
} from '../../core/stack/selector.js';
import {
  type ContainmentInfo,
  describeProcess,
  type LogLine,
  type OutputStream,
  type ProcessDetails,
  type ProcessInfo,
  type ProcessLogLine,
  type Snapshot,
} from '../../core/view.js';
import type { SupervisorApi } from '../../protocol/api.js';
import type { LineBlock } from '../logs/log-buffer.js';
import { LogFile } from '../logs/log-file.js';
import { type LogQuery, matches, mergeByTime, readLogTails } from '../logs/log-files.js';
import { formatBlock, logFileName } from '../logs/log-format.js';
import { ChildRun } from '../process/child.js';
import { Containment, type ContainmentChoice } from '../process/containment.js';
import { planLaunch } from '../process/launch.js';
import { LaunchError } from '../process/launch-plan.js';
import type { ProcessIdentity } from '../process/proc.js';
import type { RunTree, RunTreeRecord } from '../process/run-tree.js';
import { PACED, ResourceMonitor } from '../sampling/resource-monitor.js';
import { currentHost, type SandboxHost, SandboxRefusal } from '../sandbox/sandbox.js';
import {
  type Disposer,
  EventHub,
  type Listener,
  type ListenerErrorReporter,
  Listeners,
  warnOfListenerError,
} from './emitter.js';
import { ManagedProcess, type ProcessHistory } from './managed-process.js';

export interface SupervisorOptions {
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
  readonly logRotation?: LogRotation;
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
  readonly containment?: ContainmentChoice;
  /**
   * Told of an error thrown by a listener of events (`on`, `onAny`, `watch`) or of output
   * (`onLog`). Such a listener is skipped for that item; the supervisor, the other
   * listeners and the log (memory and file) go on as if it had returned. Default: a process
   * warning (`process.emitWarning`, type `OverseerListenerError`).
   */
  readonly onListenerError?: ListenerErrorReporter;
}

/** Told of descendants of a run that left its process group, as they are found. */
export type RunStraysListener = (name: string, strays: readonly ProcessIdentity[]) => void;

type Waiter = { readonly done: () => boolean; readonly resolve: () => void };

/**
 * Spawns and supervises child processes: state tracking, restarts with backoff and a
 * restart budget, readiness and liveness probes, dependencies, slots, and a graceful
 * shutdown that leaves no process behind. Never prints and never exits the host process.
 *
 * The engine takes processes as normalized specs (`declare`); `Supervisor` adds `add()`,
 * which takes them as overseer.yaml describes them and validates them. A daemon handed a
 * project its CLI has already loaded runs on the engine alone, without the config code.
 */
export class SupervisorEngine implements SupervisorApi {
  private readonly processes = new Map<string, ManagedProcess>();
  private readonly families = new Map<string, string[]>();
  private readonly hub: EventHub;
  private readonly logListeners: Listeners<ProcessLogLine>;
  private readonly queue: Array<readonly [ManagedProcess, ProcessInput]> = [];
  private readonly waiters = new Set<Waiter>();
  private maxProcesses: number;
  protected readonly baseDir: string;
  private readonly baseEnv: NodeJS.ProcessEnv;
  private readonly logLines: number;
  private readonly logDir: string | undefined;
  private logRotation: LogRotation;
  protected sandbox: SandboxPolicy | undefined;
  private readonly host: SandboxHost;
  /** One per process name, kept when a process is removed so a re-added one appends in order. */
  private readonly logFiles = new Map<string, LogFile>();
  private draining = false;
  private exitGuarded = false;
  private shuttingDown: Promise<void> | undefined;
  private readonly killOnExit = () => this.killAllNow();
  private readonly monitor: ResourceMonitor;
  private readonly trees: Containment;
  private readonly straysListeners = new Set<RunStraysListener>();

  constructor(options: SupervisorOptions = {}) {
    this.maxProcesses = checkedMaxProcesses(options.maxProcesses ?? Number.POSITIVE_INFINITY);
    const report = options.onListenerError ?? warnOfListenerError;
    this.hub = new EventHub(report);
    this.logListeners = new Listeners(report);
    this.baseDir = options.cwd ?? process.cwd();
    // A plain copy, taken once: every read of process.env goes through native code, and
    // copying it at each spawn was most of the supervisor's own cost per start.
    this.baseEnv = { ...(options.env ?? process.env) };
    this.logLines = options.logLines ?? 1000;
    this.logDir = options.logDir;
    this.logRotation = checkedRotation(options.logRotation ?? DEFAULT_LOG_ROTATION);
    this.monitor = new ResourceMonitor(
      options.sampleInterval === undefined ? PACED : checkedSampleInterval(options.sampleInterval),
      (managed, breach) => this.feed(managed, { type: 'limit', breach }),
    );
    this.sandbox = options.sandbox && checkedSandbox(options.sandbox);
    this.host = currentHost(this.baseEnv);
    this.trees = Containment.detect(options.containment, this.baseEnv);
  }

  /** The containment in force: decided once, when the supervisor was created. */
  get containment(): ContainmentInfo {
    return this.trees.info;
  }

  /**
   * What a successor needs to end the current run of `name` (its mark and cgroup), while a
   * run is alive. For the daemon's store.
   * @internal
   */
  runTree(name: string): RunTreeRecord | undefined {
    return this.processes.get(name)?.child?.tree;
  }

  /**
   * Listens to the strays found of every run (descendants that left the process group), so
   * a successor of a supervisor killed meanwhile can end them too; returns a disposer.
   * @internal
   */
  onStrays(listener: RunStraysListener): Disposer {
    this.straysListeners.add(listener);
    return () => {
      this.straysListeners.delete(listener);
    };
  }

  /**
   * Declares one process from its normalized specs, one per instance (as `loadProject` or
   * `specsFromDefinition` make them; trusted, not checked again). Returns their names.
   * Throws `DUPLICATE_PROCESS`. Left out of the published types: the library's way in is
   * `Supervisor.add()`, which validates.
   * @internal
   */
  declare(specs: readonly ProcessSpec[]): string[] {
    this.assertOpen();
    const family = specs[0]?.family;
    if (family === undefined || specs.some((spec) => spec.family !== family)) {
      throw new OverseerError('INVALID_SPEC', 'declare() takes the specs of one process');
    }
    if (RESERVED_NAMES.includes(family)) {
      throw new OverseerError('INVALID_SPEC', `${family} is reserved: it selects every process`);
    }
    if (this.families.has(family) || specs.some((spec) => this.processes.has(spec.name))) {
      throw new OverseerError('DUPLICATE_PROCESS', `a process named ${family} already exists`);
    }
    const now = Date.now();
    for (const spec of specs) {
      const managed = new ManagedProcess(spec, now, this.logLines, {
        onLines: (at, stream, lines) => this.onLines(managed, at, stream, lines),
        onProbe: (probe, failure) =>
          this.feed(
            managed,
            failure === null
              ? { type: 'probe', probe, ok: true }
              : { type: 'probe', probe, ok: false, message: failure },
          ),
      });
      managed.logFile = this.logFileFor(spec);
      this.processes.set(spec.name, managed);
    }
    this.families.set(
      family,
      specs.map((spec) => spec.name),
    );
    return specs.map((spec) => spec.name);
  }

  /**
   * Changes the sandbox of every process added from now on. Declared processes keep the
   * policy they were added with: remove and add them again to apply it.
   */
  setSandbox(rules: SandboxRules | undefined): void {
    this.sandbox = rules && checkedSandbox(rules);
  }

  /** Changes the rotation of every log file, from its next write on (a process's own wins). */
  setLogRotation(rotation: LogRotation): void {
    this.logRotation = checkedRotation(rotation);
    for (const managed of this.processes.values()) {
      if (this.logFiles.has(managed.spec.name)) this.logFileFor(managed.spec);
    }
  }

  /** Changes how many children may be alive at once; waiting processes fill new slots now. */
  setMaxProcesses(maxProcesses: number): void {
    this.maxProcesses = checkedMaxProcesses(maxProcesses);
    this.drain();
  }

  /**
   * Forgets a declared process (every instance of a name). It must not be running: stop it
   * first. Throws `UNKNOWN_PROCESS` or `INVALID_STATE`.
   */
  remove(name: string): void {
    this.assertOpen();
    const family = this.familyOf(name);
    const members = this.instancesOf(family);
    const busy = members.find((managed) => !isSettled(managed.record.state) || managed.child);
    if (busy) {
      throw new OverseerError(
        'INVALID_STATE',
        `${busy.spec.name} is ${busy.record.state.status}: stop it before removing it`,
      );
    }
    for (const managed of members) {
      this.processes.delete(managed.spec.name);
      void managed.logFile?.close();
    }
    this.families.delete(family);
  }

  /**
   * Starts the named processes (all when omitted; names are selectors: a process, an
   * instance, which starts that instance only, or `all`) and what they depend on, in
   * dependency order within the slot limit. Resolves once each is `running`, `completed`,
   * `failed` or `stopped`, or waits on a dependency stopped on request. Throws
   * `UNKNOWN_PROCESS` naming every unknown name, or `INVALID_SPEC` on a missing dependency
   * or a cycle, changing nothing.
   */
  async up(names?: readonly string[]): Promise<ProcessInfo[]> {
    this.assertOpen();
    const graph = buildGraph(this.specs());
    assertGraphIsSound(graph);
    const selection = this.select(names ?? [ALL_SELECTOR]);
    const selected = instancesToStart(this.specs(), graph, selection).map(
      (name) => this.processes.get(name)!,
    );
    // Queued together, so the scheduler sees every requested process waiting at once and
    // serves them by priority, rather than the first declared taking the first free slot.
    for (const managed of selected) {
      if (isSettled(managed.record.state)) this.queue.push([managed, { type: 'start' }]);
    }
    this.drain();
    await this.until(() => selected.every((managed) => isAtRest(managed.record.state)));
    return selected.map((managed) => this.describe(managed));
  }

  /**
   * Starts a process: `name` is a selector (a process, meaning every instance, one
   * instance, or `all`). Resolves once each is at rest, or is left waiting on a dependency
   * stopped on request (`pending`, its `reason` naming it). Throws `UNKNOWN_PROCESS`, or
   * `INVALID_STATE` when one of them is already running; then nothing was started.
   */
  start(name: string): Promise<ProcessInfo[]> {
    return this.act(name, { type: 'start' });
  }

  /** Stops a process (a selector, as `start` takes); resolves once its whole tree has exited. */
  stop(name: string): Promise<ProcessInfo[]> {
    return this.act(name, { type: 'stop' });
  }

  /**
   * Stops a process (a selector, as `start` takes) if it runs, then starts it again;
   * resolves as `start` does.
   */
  restart(name: string): Promise<ProcessInfo[]> {
    return this.act(name, { type: 'restart' });
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
    this.shuttingDown ??= this.stopAll();
    if (options.force) this.killAllNow();
    return this.shuttingDown;
  }

  /**
   * The instance names a selector stands for: itself, every instance of a process, or
   * every instance of every process for `all`. Throws `UNKNOWN_PROCESS`.
   */
  instanceNames(name: string): string[] {
    return [...this.select([name]).instances];
  }

  /**
   * Publishes a supervisor-level event to every listener, for the host that manages the
   * supervisor's life (a daemon reporting its start, or what it cleaned up from a previous one).
   */
  announce(event: EventOf<'supervisor:started'> | EventOf<'supervisor:orphans-cleaned'>): void {
    this.hub.publish(event);
  }

  /**
   * One row per process, in declaration order (the `ps --json` rows); with `filter.names`,
   * only the instances those selectors stand for. Throws `UNKNOWN_PROCESS` naming every
   * selector that matches nothing.
   */
  list(filter: ProcessFilter = {}): ProcessInfo[] {
    const names =
      filter.names === undefined ? undefined : new Set(this.select(filter.names).instances);
    const rows = [...this.processes.values()].filter(
      (managed) => names === undefined || names.has(managed.spec.name),
    );
    return rows.map((managed) => this.describe(managed));
  }

  /** One process with its spec and recent runs. Throws `UNKNOWN_PROCESS`. */
  get(name: string): ProcessDetails {
    const managed = this.processes.get(name);
    if (!managed) throw unknownProcess(name);
    return {
      ...this.describe(managed),
      spec: managed.spec,
      runs: managed.runs(),
      resources: managed.resources(),
      containment: this.trees.info,
    };
  }

  /**
   * Carries over a process's restart count and recent runs from an earlier supervisor (a
   * store's record), so `restarts` and `runs` go on where they were. Before it first starts.
   */
  restoreHistory(name: string, history: ProcessHistory): void {
    const managed = this.processes.get(name);
    if (!managed) throw unknownProcess(name);
    managed.restore(history);
  }

  /** The last `lines` lines of output of a process (default 100), oldest first. */
  logs(name: string, lines = 100): LogLine[] {
    const managed = this.processes.get(name);
    if (!managed) throw unknownProcess(name);
    return managed.logs.tail(lines);
  }

  /**
   * The last lines of a process, or of every instance of a name merged by time, that pass
   * `query` (`lines`, default 100; `since`; `grep`): oldest first, each with its process
   * name. With a `logDir` it reads the log files, rotated ones included, so it reaches past
   * the lines kept in memory; without, the memory buffer. Throws `UNKNOWN_PROCESS`.
   */
  async readLogs(name: string, query: LogQuery = {}): Promise<ProcessLogLine[]> {
    const named = instancesNamed(this.specs(), name);
    if (named.length === 0) throw unknownProcess(name);
    const members = named.map((instance) => this.processes.get(instance)!);
    const count = query.lines ?? 100;
    if (this.logDir === undefined) {
      const sources = members.map((managed) => ({
        name: managed.spec.name,
        lines: managed.logs
          .tail()
          .filter((line) => matches(line, query))
          .slice(-count),
      }));
      return mergeByTime(sources, count);
    }
    // What was read before the call is on disk before the files are read.
    await Promise.all(members.map((managed) => managed.logFile?.flushed()));
    const names = members.map((managed) => managed.spec.name);
    return readLogTails(this.logDir, names, { ...query, lines: count });
  }

  /** Listens to one event type; returns a disposer. */
  on<T extends SupervisorEventType>(type: T, listener: Listener<EventOf<T>>): Disposer {
    return this.hub.on(type, listener);
  }

  /** Listens to every event; returns a disposer. */
  onAny(listener: Listener<SupervisorEvent>): Disposer {
    return this.hub.onAny(listener);
  }

  /**
   * A snapshot of every process, then every event after it with no gap between; returns a
   * disposer.
   */
  watch(listener: Listener<Snapshot | SupervisorEvent>): Disposer {
    const dispose = this.hub.onAny(listener);
    listener({ type: 'snapshot', at: Date.now(), processes: this.list() });
    return dispose;
  }

  /**
   * Every line of output of every process, as it is read; returns a disposer. A listener
   * that throws is reported (`onListenerError`) and skipped for that line, which still
   * reaches the memory buffer, the log file and every other listener.
   */
  onLog(listener: Listener<ProcessLogLine>): Disposer {
    return this.logListeners.add(listener);
  }

  /**
   * The instances that `start`, `stop` or `restart` of `name` would act on now, changing
   * nothing; throws the refusal (`UNKNOWN_PROCESS`, `INVALID_STATE`…) the request would
   * meet. For a host that records requests (the daemon's desired state): called just
   * before the request, it names exactly what the request changes, and a refused request
   * is recorded nowhere.
   * @internal
   */
  acceptedInstances(action: 'start' | 'stop' | 'restart', name: string): string[] {
    return this.accepted(name, { type: action }).map((managed) => managed.spec.name);
  }

  /** The instances a request on a selector acts on; throws the refusal it meets. */
  private accepted(name: string, input: ProcessInput): ManagedProcess[] {
    this.assertOpen();
    const selection = this.select([name]);
    const candidates = selection.instances.map((instance) => this.processes.get(instance)!);
    const verdict = judgeRequest(
      selection.processes.length > 0,
      candidates.map(
        (managed) => transition(managed.spec, managed.record, input, Date.now()).rejection,
      ),
    );
    if (!verdict.ok) throw new OverseerError(verdict.refusal.code, verdict.refusal.message);
    return verdict.accepted.map((index) => candidates[index]!);
  }

  private async act(name: string, input: ProcessInput): Promise<ProcessInfo[]> {
    const selected = this.accepted(name, input);
    const runsBefore = selected.map((managed) => managed.spawnCount);
    for (const managed of selected) this.feed(managed, input);
    const done = (managed: ManagedProcess, index: number) =>
      isRequestOver(
        managed.record.state,
        input.type === 'restart' && managed.spawnCount === runsBefore[index],
      );
    await this.until(() => selected.every(done));
    return selected.map((managed) => this.describe(managed));
  }

  /** Queues an input and, unless already inside the loop, runs the loop until it is quiet. */
  private feed(managed: ManagedProcess, input: ProcessInput): void {
    this.queue.push([managed, input]);
    this.drain();
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      do {
        for (let item = this.queue.shift(); item; item = this.queue.shift()) this.step(...item);
        this.schedule();
      } while (this.queue.length > 0);
    } finally {
      this.draining = false;
    }
    this.wakeWaiters();
  }

  private step(managed: ManagedProcess, input: ProcessInput): void {
    const now = Date.now();
    const { record, effects } = transition(managed.spec, managed.record, input, now);
    managed.record = record;
    for (const effect of effects) this.execute(managed, effect, now);
  }

  /** Admits waiting processes into free slots; fails those whose dependency failed; tells the rest why they wait. */
  private schedule(): void {
    if (this.shuttingDown) return;
    const plan = planSchedule([...this.processes.values()], this.maxProcesses);
    for (const { name, reason } of plan.fail) {
      this.queue.push([this.processes.get(name)!, { type: 'dependency-failed', reason }]);
    }
    for (const name of plan.admit) this.queue.push([this.processes.get(name)!, { type: 'admit' }]);
    for (const { name, reason, blocked } of plan.wait) {
      this.queue.push([this.processes.get(name)!, { type: 'wait', reason, blocked }]);
    }
  }

  private execute(managed: ManagedProcess, effect: Effect, now: number): void {
    switch (effect.type) {
      case 'spawn':
        return this.spawn(managed);
      case 'signal':
        // A throttled tree is resumed first: a paused process cannot act on SIGTERM.
        this.monitor.release(managed);
        return managed.child?.signal(effect.signal);
      case 'kill':
        this.monitor.release(managed);
        return managed.child?.kill();
      case 'arm-timer':
        return managed.arm(effect.timer, effect.at - now, () =>
          this.feed(managed, { type: 'timer', timer: effect.timer }),
        );
      case 'disarm-timer':
        return managed.disarm(effect.timer);
      case 'probe':
        return managed.setProbe(effect.probe, effect.run);
      case 'emit':
        managed.observe(effect.event);
        return this.hub.publish(effect.event);
    }
  }

  private spawn(managed: ManagedProcess): void {
    let plan: ReturnType<typeof planLaunch>;
    let tree: RunTree | undefined;
    try {
      tree = this.openTree();
      plan = planLaunch(managed.spec, this.baseDir, this.baseEnv, this.host, tree);
    } catch (error) {
      tree?.release();
      if (error instanceof SandboxRefusal) {
        this.queue.push([managed, { type: 'sandbox-refused', message: error.message }]);
        return;
      }
      if (!(error instanceof LaunchError)) throw error;
      this.queue.push([managed, { type: 'spawn-failed', message: error.message }]);
      return;
    }
    const { stop } = managed.spec;
    const { name } = managed.spec;
    tree.onStrays((strays) => {
      for (const listener of this.straysListeners) listener(name, strays);
    });
    const child = new ChildRun(tree, plan, stop.signal, stop.timeoutMs, {
      onLines: (stream, block) => managed.onOutput(stream, block),
      onSpawnError: (message) => {
        // A child that never spawned never reports an exit: let go of it here, or a
        // shutdown would wait for it forever.
        if (managed.child === child) managed.child = undefined;
        this.feed(managed, { type: 'spawn-failed', message });
      },
      onExit: ({ code, signal }) => {
        const report = () => {
          if (managed.child === child) {
            managed.child = undefined;
            this.monitor.unwatch(managed);
          }
          this.feed(managed, { type: 'exited', code, signal });
        };
        // Reported once the run's output is on disk: whoever reads the file on `exit` (a
        // script waiting on a job, `overseer logs`) finds every line of it.
        if (managed.logFile) void managed.logFile.flushed().then(report);
        else report();
      },
    });
    if (child.pid === undefined) tree.release();
    managed.launched(child, plan);
    if (child.pid !== undefined) {
      this.monitor.watch(managed, child.pid);
      this.guardHostExit(true);
      this.queue.push([managed, { type: 'spawned', pid: child.pid }]);
    }
  }

  /** A new run's containment; a cgroup that cannot be made is a spawn error. */
  private openTree(): RunTree {
    try {
      return this.trees.open();
    } catch (error) {
      throw new LaunchError(`cannot create the run's cgroup: ${(error as Error).message}`);
    }
  }

  /**
   * The lines of one read of a child's output: one string for the log file, and one object
   * per line only when someone listens.
   */
  private onLines(
    managed: ManagedProcess,
    at: number,
    stream: OutputStream,
    block: LineBlock,
  ): void {
    const file = managed.logFile;
    if (file && !file.write(formatBlock(at, stream, block), block.ascii)) {
      this.throttle(managed, file);
    }
    if (this.logListeners.size === 0) return;
    const { name } = managed.spec;
    for (const text of block.lines) this.logListeners.deliver({ name, at, stream, text });
  }

  /**
   * The disk is behind: stop reading the child until its log file has caught up. The child
   * blocks on its full pipe meanwhile; no line is dropped.
   */
  private throttle(managed: ManagedProcess, file: LogFile): void {
    const child = managed.child;
    if (!child || child.isOutputPaused) return;
    child.pauseOutput();
    file.onceDrain(() => child.resumeOutput());
  }

  /** The log file of a process (one per name, reused when a name is declared again). */
  private logFileFor(spec: ProcessSpec): LogFile | undefined {
    if (this.logDir === undefined) return undefined;
    const rotation = {
      maxSize: spec.logs?.maxSize ?? this.logRotation.maxSize,
      maxFiles: spec.logs?.maxFiles ?? this.logRotation.maxFiles,
    };
    const known = this.logFiles.get(spec.name);
    if (known) {
      known.setRotation(rotation);
      return known;
    }
    const file = new LogFile(join(this.logDir, logFileName(spec.name)), rotation);
    this.logFiles.set(spec.name, file);
    return file;
  }

  private async stopAll(): Promise<void> {
    const now = () => Date.now();
    // Nothing waiting may start from here on: settle every waiting process at once.
    for (const managed of this.processes.values()) {
      const { status } = managed.record.state;
      if (status === 'pending' || status === 'backoff') this.feed(managed, { type: 'stop' });
    }
    for (const layer of stopLayers(buildGraph(this.specs()))) {
      const members = layer.flatMap((family) => this.instancesOf(family));
      for (const managed of members) {
        if (!isSettled(managed.record.state)) this.feed(managed, { type: 'stop' });
      }
      await this.until(() =>
        members.every((managed) => managed.child === undefined && isSettled(managed.record.state)),
      );
    }
    this.guardHostExit(false);
    this.monitor.close();
    this.trees.close();
    // Resolved only once every line read is on disk.
    await Promise.all([...this.logFiles.values()].map((file) => file.close()));
    this.hub.publish({ type: 'supervisor:shutdown', at: now() });
  }

  /** While children may exist, the host's exit kills them (see `killAllNow`). */
  private guardHostExit(on: boolean): void {
    if (on === this.exitGuarded) return;
    this.exitGuarded = on;
    if (on) process.on('exit', this.killOnExit);
    else process.off('exit', this.killOnExit);
  }

  /**
   * SIGKILL to every process tree, now, and everything each started (each tree is killed
   * whole, synchronously). The last resort when the host process exits without a shutdown,
   * and the forced one: no child outlives it.
   */
  private killAllNow(): void {
    this.monitor.close();
    const trees: RunTree[] = [];
    for (const managed of this.processes.values()) {
      if (!managed.child) continue;
      managed.child.kill();
      trees.push(managed.child.tree);
    }
    this.trees.closeNow(trees);
  }

  private until(done: () => boolean): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.add({ done, resolve }));
  }

  private wakeWaiters(): void {
    for (const waiter of this.waiters) {
      if (!waiter.done()) continue;
      this.waiters.delete(waiter);
      waiter.resolve();
    }
  }

  private describe(managed: ManagedProcess): ProcessInfo {
    return describeProcess(managed.spec, managed.record, managed.facts(), Date.now());
  }

  private specs(): ProcessSpec[] {
    return [...this.processes.values()].map((managed) => managed.spec);
  }

  /** What `selectors` stand for; throws `UNKNOWN_PROCESS` naming every one that matches nothing. */
  private select(selectors: readonly string[]): Selection {
    const declared = [...this.processes.values()].map(({ spec }) => spec);
    const resolved = resolveSelectors(declared, selectors.map(parseSelector));
    if (!resolved.ok) throw new OverseerError('UNKNOWN_PROCESS', resolved.message);
    return resolved.selection;
  }

  /** `name` when it is a declared process (not one instance); throws `UNKNOWN_PROCESS`. */
  private familyOf(name: string): string {
    if (this.families.has(name)) return name;
    throw unknownProcess(name);
  }

  /** Every instance of a family. */
  private instancesOf(family: string): ManagedProcess[] {
    return (this.families.get(family) ?? []).map((name) => this.processes.get(name)!);
  }

  protected assertOpen(): void {
    if (this.shuttingDown) throw new OverseerError('SHUT_DOWN', 'the supervisor has shut down');
  }
}

function assertGraphIsSound(graph: ReturnType<typeof buildGraph>): void {
  const issues = graphIssues(graph);
  if (issues.length > 0) {
    throw new OverseerError(
      'INVALID_SPEC',
      issues.map((issue) => issue.message).join('; '),
      issues,
    );
  }
}

function checkedRotation(rotation: LogRotation): LogRotation {
  const issues = [];
  if (!Number.isInteger(rotation.maxSize) || rotation.maxSize < MIN_LOG_FILE_SIZE) {
    issues.push({ path: 'logRotation.maxSize', message: `expected bytes ≥ ${MIN_LOG_FILE_SIZE}` });
  }
  if (!Number.isInteger(rotation.maxFiles) || rotation.maxFiles < 1) {
    issues.push({ path: 'logRotation.maxFiles', message: 'expected a whole number ≥ 1' });
  }
  if (issues.length === 0) return rotation;
  const message = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  throw new OverseerError('INVALID_SPEC', message, issues);
}

function checkedSandbox(rules: SandboxRules): SandboxPolicy {
  const { policy, issues } = narrowSandbox(OPEN_SANDBOX, rules);
  if (issues.length === 0) return policy;
  const located = issues.map((issue) => ({ ...issue, path: `sandbox.${issue.path}` }));
  const message = located.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  throw new OverseerError('INVALID_SPEC', message, located);
}

function checkedSampleInterval(value: number): number {
  if (Number.isFinite(value) && value >= 0) return value;
  throw new OverseerError('INVALID_SPEC', 'sampleInterval: expected milliseconds ≥ 0', [
    { path: 'sampleInterval', message: 'expected milliseconds ≥ 0' },
  ]);
}

function checkedMaxProcesses(value: number): number {
  if (value >= 1) return value;
  throw new OverseerError('INVALID_SPEC', 'maxProcesses: expected a number ≥ 1', [
    { path: 'maxProcesses', message: 'expected a number ≥ 1' },
  ]);
}

function unknownProcess(name: string): OverseerError {
  return new OverseerError('UNKNOWN_PROCESS', `no process named ${name}`);
}
