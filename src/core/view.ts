/**
 * The public view of a process: one row of `overseer ps --json` (docs/cli.md), derived from
 * its spec and record at a given moment.
 */
import type { EventOf } from './events.js';
import { scoreHealth } from './limits/health-score.js';
import type { IoBytes } from './limits/io-tally.js';
import type { MemoryTrend, ResourceSample } from './limits/resources.js';
import { backoffReason, scheduledReason, startingReason } from './process/reasons.js';
import type { ProcessKind, ProcessSpec } from './process/spec.js';
import {
  activeRun,
  type ExitInfo,
  type Health,
  type LimitBreachCount,
  type ProcessRecord,
  type Status,
  type Violations,
} from './process/state.js';

export interface ProcessInfo {
  readonly name: string;
  /** The group commands act on together (`-n NS`); `default` unless the process sets one. */
  readonly namespace: string;
  readonly status: Status;
  readonly health: Health;
  readonly pid: number | null;
  /** Restarts so far: by the restart policy and on request. */
  readonly restarts: number;
  /** Exit code of the last run that ended, if any. */
  readonly exitCode: number | null;
  /**
   * Why the process is where it is when that is not plain: what a `pending` one waits for,
   * what a `starting` one's readiness check last saw, why it backs off, failed, or is being
   * stopped by the supervisor, when a `scheduled` one runs next (and how its last run went
   * wrong). `null` when running, stopped or completed as asked.
   */
  readonly reason: string | null;
  /**
   * True for a `pending` process whose wait will not end unless someone asks, or not before
   * its time (a dependency stopped, a breaker's later try, a schedule's next fire).
   */
  readonly blocked: boolean;
  /** ISO time the current run was spawned. */
  readonly startedAt: string | null;
  readonly uptimeMs: number | null;
  /** CPU of the whole tree (the process and its descendants), % of one core, at the last sample. */
  readonly cpuPercent: number | null;
  /** Resident memory of the whole tree, in bytes, at the last sample. */
  readonly memoryBytes: number | null;
  readonly kind: ProcessKind;
  readonly instance: number;
  /** Open file descriptors of the whole tree at the last sample. */
  readonly fds: number | null;
  /** Threads of the whole tree at the last sample. */
  readonly threads: number | null;
  /**
   * Bytes the current run's whole tree caused to be read from storage so far (`read_bytes`
   * of `/proc/PID/io`, children that exited included), at the last sample; `null` when not
   * sampled or not readable (another user's process, no `/proc`).
   */
  readonly readBytes: number | null;
  /** Bytes the current run's whole tree caused to be written to storage so far (`write_bytes`). */
  readonly writeBytes: number | null;
  /** Breaches of its resource limits so far, over every run, announced or held back, by what they did. */
  readonly limitBreaches: readonly LimitBreachCount[];
  /** 0–100 from probe results, recent restarts and resource pressure (see `scoreHealth`). */
  readonly healthScore: number;
  /** What lowered `healthScore`, largest penalty first: `memory at 92% of its 256MB limit (-18)`. */
  readonly healthReasons: readonly string[];
  /** ISO time a `scheduled` process runs next; else `null`. */
  readonly nextRunAt: string | null;
  /**
   * ISO time a `backoff` process starts again, or a `failed` one with `restart.cooldown` is
   * tried again; else `null`.
   */
  readonly retryAt: string | null;
  /** The process's labels (empty when it has none). */
  readonly labels: Readonly<Record<string, string>>;
}

/** Which output stream a line came from. */
export type OutputStream = 'stdout' | 'stderr';

/** One line of a process's output. */
export interface LogLine {
  /** Epoch ms when the line was read. */
  readonly at: number;
  readonly stream: OutputStream;
  readonly text: string;
}

/** Which lines of a process's output to return. */
export interface LogQuery {
  /** The newest this many lines (after the filters). Default: 100. */
  readonly lines?: number;
  /** Only lines read at or after this time (epoch ms). */
  readonly since?: number;
  /**
   * Only lines read strictly before this time (epoch ms): with `lines`, the page of lines
   * older than a given one, to read a log back page by page.
   */
  readonly until?: number;
  /** Only lines whose text matches. */
  readonly grep?: RegExp;
}

/** A line of output with the process it came from, as streamed to listeners. */
export interface ProcessLogLine extends LogLine {
  readonly name: string;
}

/** One past or current run of a process. */
export interface RunRecord {
  readonly pid: number;
  /** ISO times. */
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly killedAfterTimeout: boolean;
  readonly runMs: number | null;
  /** Why the run ended (`stop requested`, `exited with code 1`…); `null` while it runs. */
  readonly reason: string | null;
}

/** What the resource sampler and the limits know of a process. */
export interface ResourceDetails {
  /** The current run's recent samples, oldest first (empty when not running). */
  readonly history: readonly ResourceSample[];
  /** Where the current run's memory is heading; `null` with too few samples. */
  readonly memoryTrend: MemoryTrend | null;
  /** Breaches of each limit so far, over every run, announced or held back by the cooldown. */
  readonly violations: Violations;
  /** The last announced breaches (`process:limit` events), oldest first. */
  readonly breaches: readonly EventOf<'process:limit'>[];
  /** While the tree is CPU-throttled, the share of time it may run; else `null`. */
  readonly throttleDuty: number | null;
}

/** Everything known about one process: its row, spec, recent runs and resource use. */
export interface ProcessDetails extends ProcessInfo {
  readonly spec: ProcessSpec;
  readonly runs: readonly RunRecord[];
  readonly resources: ResourceDetails;
  /** How the supervisor keeps this process's tree together (absent from older daemons). */
  readonly containment?: ContainmentInfo;
}

/**
 * How a supervisor keeps each run's process tree together, so that the whole tree ends with
 * the run: `cgroup` (a cgroup v2 per run, ended with `cgroup.kill`), or `process-group` (the
 * group, plus descendants that left it, tracked through `/proc` and the run's mark).
 */
export type ContainmentMode = 'cgroup' | 'process-group';

/** The containment in force, as `inspect` and `/health` show it. */
export interface ContainmentInfo {
  readonly mode: ContainmentMode;
  /** cgroup mode: the folder that holds this supervisor's run cgroups. */
  readonly cgroup?: string;
  /** process-group mode: why not cgroups. */
  readonly reason?: string;
}

/** The first item a watcher gets: every process as it is right now. */
export interface Snapshot {
  readonly type: 'snapshot';
  readonly at: number;
  readonly processes: readonly ProcessInfo[];
}

/** Facts the runtime tracks beside the core record. */
export interface RuntimeFacts {
  readonly restarts: number;
  /** The latest sample of the current run's tree, when one was taken. */
  readonly sample?: ResourceSample | null;
  /** What the current run's tree read and wrote so far, at the latest sample; `null`: unreadable. */
  readonly io?: IoBytes | null;
  /** While the tree is CPU-throttled, the share of time it may run. */
  readonly duty?: number | null;
}

export function describeProcess(
  spec: ProcessSpec,
  record: ProcessRecord,
  facts: RuntimeFacts,
  now: number,
): ProcessInfo {
  const { state } = record;
  const run = activeRun(state) ?? (state.status === 'stopping' ? state : null);
  const sample = run ? (facts.sample ?? null) : null;
  const io = sample ? facts.io : null;
  const score = scoreHealth(spec, record, { sample, duty: facts.duty ?? null }, now);
  return {
    name: spec.name,
    namespace: spec.namespace,
    status: state.status,
    health: record.health,
    pid: run?.pid ?? null,
    restarts: facts.restarts,
    exitCode: lastExitOf(record)?.code ?? null,
    reason: reasonOf(spec, record, now),
    blocked: state.status === 'pending' && state.blocked,
    startedAt: run ? new Date(run.since).toISOString() : null,
    uptimeMs: run ? now - run.since : null,
    cpuPercent: sample?.cpuPercent ?? null,
    memoryBytes: sample?.memoryBytes ?? null,
    kind: spec.kind,
    instance: spec.instance,
    fds: sample?.fds ?? null,
    threads: sample?.threads ?? null,
    readBytes: io?.readBytes ?? null,
    writeBytes: io?.writeBytes ?? null,
    limitBreaches: record.limitBreaches,
    healthScore: score.score,
    healthReasons: score.reasons,
    nextRunAt: state.status === 'scheduled' ? new Date(state.nextRunAt).toISOString() : null,
    retryAt: retryAtOf(state),
    labels: spec.labels,
  };
}

/** When a `backoff` process starts again, or a `failed` one's breaker tries it again. */
function retryAtOf(state: ProcessRecord['state']): string | null {
  if (state.status === 'backoff') return new Date(state.until).toISOString();
  if (state.status === 'failed' && state.retryAt !== undefined) {
    return new Date(state.retryAt).toISOString();
  }
  return null;
}

function lastExitOf({ state }: ProcessRecord): ExitInfo | null {
  switch (state.status) {
    case 'stopped':
    case 'failed':
      return state.lastExit;
    case 'backoff':
    case 'completed':
    case 'scheduled':
      return state.lastExit;
    default:
      return null;
  }
}

function reasonOf(spec: ProcessSpec, record: ProcessRecord, now: number): string | null {
  const { state } = record;
  switch (state.status) {
    case 'pending':
      return state.reason;
    case 'starting':
      return startingReason(spec, record);
    case 'failed':
      return state.reason;
    case 'backoff':
      return backoffReason(state.lastExit);
    case 'scheduled':
      return scheduledReason(spec, state, now);
    case 'stopping':
      return state.intent.kind === 'recover' || state.intent.kind === 'halt'
        ? state.intent.reason
        : null;
    default:
      return null;
  }
}
