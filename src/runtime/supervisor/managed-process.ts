/**
 * What the supervisor holds for one process beside its core record: the live child, armed
 * timers, probe loops, captured output and the history of its runs.
 */
import type { EventOf, ProcessEvent } from '../../core/events.js';
import type { IoBytes } from '../../core/limits/io-tally.js';
import { FRESH_WATCH, type LimitWatch } from '../../core/limits/limits.js';
import { memoryTrend, type ResourceSample } from '../../core/limits/resources.js';
import type { ProcessSpec } from '../../core/process/spec.js';
import type { ProbeKind, ProcessRecord } from '../../core/process/state.js';
import { initialRecord, type TimerKind } from '../../core/process/transition.js';
import type { OutputStream, ResourceDetails, RunRecord, RuntimeFacts } from '../../core/view.js';
import { type LineBlock, LogBuffer } from '../logs/log-buffer.js';
import type { LogFile } from '../logs/log-file.js';
import { type CheckFailure, ProbeLoop } from '../probes/probes.js';
import type { ChildRun } from '../process/child.js';
import type { LaunchOptions } from '../process/launch.js';
import type { LaunchPlan } from '../process/launch-plan.js';
import { ResourceHistory } from '../sampling/resource-history.js';

/** Runs remembered per process. */
const RUN_HISTORY = 20;

/** Resource samples remembered of the current run: one to several minutes, by the interval. */
const SAMPLE_HISTORY = 30;

/** Announced limit breaches remembered per process. */
const BREACH_HISTORY = 20;

/** A process's past, as an earlier supervisor left it. */
export interface ProcessHistory {
  readonly restarts: number;
  /** Oldest first. */
  readonly runs: readonly RunRecord[];
}

export interface ManagedProcessHooks {
  /** The lines of one read of the child's output, all stamped `at`. */
  readonly onLines: (at: number, stream: OutputStream, block: LineBlock) => void;
  /** A probe's verdict: `null` when it passed, else what the check saw. */
  readonly onProbe: (probe: ProbeKind, failure: CheckFailure) => void;
  /**
   * Where its events go instead of the supervisor's stream: a task's try is not a process
   * of the stack, and its runner turns them into task events. Absent: the stream.
   */
  readonly onEvent?: (event: ProcessEvent) => void;
}

/** The most a process's trees were seen to use, over every sample of every run. */
export interface SampledPeaks {
  readonly memoryBytes: number;
  readonly fds: number;
  /** CPU time summed from the samples' averages: a rough figure, for want of an exact one. */
  readonly cpuMs: number;
}

export class ManagedProcess {
  record: ProcessRecord;
  child: ChildRun | undefined;
  readonly logs: LogBuffer;
  /** Children spawned so far. */
  spawnCount = 0;
  private restarts = 0;
  /** Cancels for the armed timers. */
  private readonly timers = new Map<TimerKind, () => void>();
  private probes: Partial<Record<ProbeKind, ProbeLoop>> = {};
  private readonly history: RunRecord[] = [];
  /** A probe of this process waits for a line of output. */
  private readonly watchesOutput: boolean;
  /** What each run asks of its launch beyond the spec: a task's stdin, its usage measured. */
  launchOptions: LaunchOptions = {};
  /** Where this process's output is written, when the supervisor keeps log files. */
  logFile: LogFile | undefined;
  /** What the limits judge remembers between samples. */
  limitWatch: LimitWatch = FRESH_WATCH;
  /** The current run's samples. */
  private readonly samples = new ResourceHistory(SAMPLE_HISTORY);
  private readonly breaches: EventOf<'process:limit'>[] = [];
  /** What the current run's tree read and wrote so far, at the latest sample. */
  private io: IoBytes | null = null;
  private peaks: SampledPeaks = { memoryBytes: 0, fds: 0, cpuMs: 0 };

  constructor(
    readonly spec: ProcessSpec,
    now: number,
    logLines: number,
    private readonly hooks: ManagedProcessHooks,
  ) {
    this.record = initialRecord(spec, now);
    this.logs = new LogBuffer(logLines);
    this.watchesOutput =
      spec.readiness?.check.type === 'log' || spec.liveness?.check.type === 'log';
  }

  /** A new child runs: probes are built for its folder and environment. */
  launched(child: ChildRun, plan: LaunchPlan): void {
    this.stopProbes();
    this.child = child;
    this.spawnCount += 1;
    const context = { cwd: plan.cwd, env: plan.env };
    const probe = (kind: ProbeKind) => {
      const spec = this.spec[kind];
      return spec && new ProbeLoop(spec, context, (failure) => this.hooks.onProbe(kind, failure));
    };
    this.probes = { readiness: probe('readiness'), liveness: probe('liveness') };
  }

  setProbe(kind: ProbeKind, run: boolean): void {
    const loop = this.probes[kind];
    if (run) loop?.start();
    else loop?.stop();
  }

  /** Runs `fire` after `delayMs`, replacing the timer of that kind; at once when due. */
  arm(kind: TimerKind, delayMs: number, fire: () => void): void {
    this.disarm(kind);
    let cancelled = false;
    const run = () => {
      if (cancelled) return;
      this.timers.delete(kind);
      fire();
    };
    if (delayMs <= 0) {
      // Due now (a restart with no delay): no timer turn between crash and respawn.
      queueMicrotask(run);
      this.timers.set(kind, () => {
        cancelled = true;
      });
      return;
    }
    const timer = setTimeout(run, delayMs);
    this.timers.set(kind, () => clearTimeout(timer));
  }

  disarm(kind: TimerKind): void {
    this.timers.get(kind)?.();
    this.timers.delete(kind);
  }

  /** Cancels every armed timer: the process is forgotten, nothing of it may fire. */
  disarmAll(): void {
    for (const kind of [...this.timers.keys()]) this.disarm(kind);
  }

  /**
   * Lets go of what a forgotten instance holds: every timer (a settled process may still
   * have one armed: its breaker's retry, which would bring it back as a ghost), and its log
   * file.
   */
  release(): void {
    this.disarmAll();
    void this.logFile?.close();
  }

  /** The lines of one read of the child's output: one timestamp, no per-line work unless asked. */
  onOutput(stream: OutputStream, block: LineBlock): void {
    const at = Date.now();
    // The hook first: writing the block to a file tells it its line count for free.
    this.hooks.onLines(at, stream, block);
    this.logs.pushBlock(at, stream, block);
    if (this.watchesOutput) {
      for (const text of block.lines) {
        this.probes.readiness?.observe(text);
        this.probes.liveness?.observe(text);
      }
    }
  }

  /** Keeps the run history and restart count in step with the events core emits. */
  observe(event: ProcessEvent): void {
    switch (event.type) {
      case 'process:started':
        this.history.push({
          pid: event.pid,
          startedAt: new Date(event.at).toISOString(),
          endedAt: null,
          exitCode: null,
          signal: null,
          killedAfterTimeout: false,
          runMs: null,
          reason: null,
        });
        if (this.history.length > RUN_HISTORY) this.history.shift();
        this.samples.clear();
        this.io = null;
        return;
      case 'process:limit':
        this.breaches.push(event);
        if (this.breaches.length > BREACH_HISTORY) this.breaches.shift();
        return;
      case 'process:restarted':
        this.restarts += 1;
        return;
      case 'process:exit': {
        const last = this.history.at(-1);
        if (!last || last.endedAt !== null) return;
        this.history[this.history.length - 1] = {
          ...last,
          endedAt: new Date(event.at).toISOString(),
          exitCode: event.code,
          signal: event.signal,
          killedAfterTimeout: event.killedAfterTimeout,
          runMs: event.runMs,
          reason: event.reason,
        };
        return;
      }
    }
  }

  runs(): RunRecord[] {
    return [...this.history];
  }

  /**
   * Hands an event core emitted to its own listener, when the process has one (a task's
   * try); false when it belongs on the supervisor's stream.
   */
  deliverPrivately(event: ProcessEvent): boolean {
    if (!this.hooks.onEvent) return false;
    this.hooks.onEvent(event);
    return true;
  }

  /** A sample of the current run's tree: a copy is kept in the short history. */
  sampled(sample: Readonly<ResourceSample>): void {
    const previous = this.samples.latest();
    this.samples.push(sample);
    this.io = sample.io ?? null;
    const spanMs = previous ? sample.at - previous.at : 0;
    this.peaks = {
      memoryBytes: Math.max(this.peaks.memoryBytes, sample.memoryBytes),
      fds: Math.max(this.peaks.fds, sample.fds ?? 0),
      cpuMs: this.peaks.cpuMs + ((sample.cpuPercent ?? 0) / 100) * spanMs,
    };
  }

  /** The most its trees were seen to use, over every sample so far. */
  sampledPeaks(): SampledPeaks {
    return this.peaks;
  }

  /** The current run's resource history, trend, limit violations and throttling. */
  resources(): ResourceDetails {
    const history = this.samples.toArray();
    return {
      history,
      memoryTrend: memoryTrend(history),
      violations: this.record.violations,
      breaches: [...this.breaches],
      throttleDuty: this.limitWatch.duty,
    };
  }

  /** Carries over what an earlier supervisor knew: its restart count and last runs. */
  restore(history: ProcessHistory): void {
    this.restarts = history.restarts;
    this.history.splice(0, this.history.length, ...history.runs.slice(-RUN_HISTORY));
  }

  facts(): RuntimeFacts {
    return {
      restarts: this.restarts,
      sample: this.samples.latest(),
      io: this.io,
      duty: this.limitWatch.duty,
    };
  }

  private stopProbes(): void {
    this.probes.readiness?.stop();
    this.probes.liveness?.stop();
  }
}
