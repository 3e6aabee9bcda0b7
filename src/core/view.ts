/**
 * The public view of a process: one row of `overseer ps --json` (DESIGN §4), derived from
 * its spec and record at a given moment.
 */
import { describeExit } from './restart.js';
import type { ProcessKind, ProcessSpec } from './spec.js';
import { activeRun, type ExitInfo, type Health, type ProcessRecord, type Status } from './state.js';

export interface ProcessInfo {
  readonly name: string;
  readonly status: Status;
  readonly health: Health;
  readonly pid: number | null;
  /** Restarts so far: by the restart policy and on request. */
  readonly restarts: number;
  /** Exit code of the last run that ended, if any. */
  readonly exitCode: number | null;
  /** Why the process is `failed`, backing off, or being stopped by the supervisor. */
  readonly reason: string | null;
  /** ISO time the current run was spawned. */
  readonly startedAt: string | null;
  readonly uptimeMs: number | null;
  readonly cpuPercent: number | null;
  readonly memoryBytes: number | null;
  readonly kind: ProcessKind;
  readonly instance: number;
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

/** Everything known about one process: its row, spec, and recent runs. */
export interface ProcessDetails extends ProcessInfo {
  readonly spec: ProcessSpec;
  readonly runs: readonly RunRecord[];
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
  readonly cpuPercent: number | null;
  readonly memoryBytes: number | null;
}

export function describeProcess(
  spec: ProcessSpec,
  record: ProcessRecord,
  facts: RuntimeFacts,
  now: number,
): ProcessInfo {
  const { state } = record;
  const run = activeRun(state) ?? (state.status === 'stopping' ? state : null);
  return {
    name: spec.name,
    status: state.status,
    health: record.health,
    pid: run?.pid ?? null,
    restarts: facts.restarts,
    exitCode: lastExitOf(record)?.code ?? null,
    reason: reasonOf(record),
    startedAt: run ? new Date(run.since).toISOString() : null,
    uptimeMs: run ? now - run.since : null,
    cpuPercent: run ? facts.cpuPercent : null,
    memoryBytes: run ? facts.memoryBytes : null,
    kind: spec.kind,
    instance: spec.instance,
  };
}

function lastExitOf({ state }: ProcessRecord): ExitInfo | null {
  switch (state.status) {
    case 'stopped':
    case 'failed':
      return state.lastExit;
    case 'backoff':
    case 'completed':
      return state.lastExit;
    default:
      return null;
  }
}

function reasonOf({ state }: ProcessRecord): string | null {
  switch (state.status) {
    case 'failed':
      return state.reason;
    case 'backoff':
      return describeExit(state.lastExit);
    case 'stopping':
      return state.intent.kind === 'recover' ? state.intent.reason : null;
    default:
      return null;
  }
}
