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
