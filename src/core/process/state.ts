/**
 * Lifecycle state as data: one discriminated union over the statuses, each carrying what
 * that status needs, plus the few facts that outlive a single run (restart ledger, health).
 */
import type { LimitAction, LimitResource } from '../limits/limits.js';
import type { Breaker } from './breaker.js';

/** How one run of a process ended. */
export interface ExitInfo {
  /** Exit code, or `null` when a signal ended it. */
  readonly code: number | null;
  /** The signal that ended it, or `null`. */
  readonly signal: string | null;
  /** True when the stop deadline passed and the group was sent SIGKILL. */
  readonly killedAfterTimeout: boolean;
  /** How long the run lasted, in ms. */
  readonly runMs: number;
  /** When it ended (epoch ms). */
  readonly at: number;
  /** Why the supervisor ended the run itself (a limit, a liveness probe); absent otherwise. */
  readonly cause?: string;
}

/** Why a running process is being stopped, which decides where it goes once it has exited. */
export type StopIntent =
  /** Asked to stop: ends `stopped`. */
  | { readonly kind: 'stop' }
  /**
   * Asked to restart: goes back to `pending` at once, outside the restart budget. `cause`:
   * why, when the supervisor asked on its own (`watch: src/app.js changed`).
   */
  | { readonly kind: 'restart'; readonly cause?: string }
  /** Stopped by the supervisor itself (liveness, limits): the exit goes through the restart policy. */
  | { readonly kind: 'recover'; readonly reason: string }
  /** Stopped by the supervisor for good (a limit whose action is `stop`): ends `failed` with the reason. */
  | { readonly kind: 'halt'; readonly reason: string }
  /** A schedule fired with `overlap: replace`: a new run starts once this one has exited. */
  | { readonly kind: 'replace' };

export type ProcessState =
  | {
      readonly status: 'pending';
      readonly since: number;
      /** True when this is a restart (after backoff or on request) rather than a first start. */
      readonly restarting: boolean;
      /**
       * What it waits for, as the scheduler last judged it: a dependency (`waiting for db to
       * be healthy (db is stopped)`) or a free slot.
       */
      readonly reason: string;
      /**
       * True while what it waits for will not happen unless someone asks: a dependency
       * stopped on request, or waiting on one that is; or not before a failed dependency's
       * breaker tries it again. A request that started it is over.
       */
      readonly blocked: boolean;
    }
  | {
      readonly status: 'starting';
      readonly since: number;
      /** `null` between the spawn request and the OS answering with a pid. */
      readonly pid: number | null;
      readonly restarting: boolean;
    }
  | {
      readonly status: 'running';
      readonly pid: number;
      /** When the child was spawned. */
      readonly since: number;
      readonly readyAt: number;
    }
  | {
      readonly status: 'stopping';
      readonly pid: number;
      /** When the child was spawned. */
      readonly since: number;
      readonly deadline: number;
      readonly intent: StopIntent;
      /** True once SIGKILL has been sent. */
      readonly killed: boolean;
    }
  | { readonly status: 'stopped'; readonly since: number; readonly lastExit: ExitInfo | null }
  | {
      readonly status: 'backoff';
      readonly since: number;
      /** When the next start is due. */
      readonly until: number;
      readonly attempt: number;
      readonly lastExit: ExitInfo;
    }
  | { readonly status: 'completed'; readonly since: number; readonly lastExit: ExitInfo }
  | {
      /** A process with a `schedule`, waiting for its next fire time. */
      readonly status: 'scheduled';
      readonly since: number;
      /** When it runs next (epoch ms). */
      readonly nextRunAt: number;
      /** How its last run ended; `null` before the first. */
      readonly lastExit: ExitInfo | null;
      /**
       * Why its last run did not run to an accepted end when its exit does not say (a spawn
       * error, a dependency that failed, a spent restart budget); `null` otherwise.
       */
      readonly lastFailure: string | null;
    }
  | {
      readonly status: 'failed';
      readonly since: number;
      readonly reason: string;
      readonly lastExit: ExitInfo | null;
      /** With `restart.cooldown`: when the breaker lets it try once more (epoch ms). */
      readonly retryAt?: number;
    };

export type Status = ProcessState['status'];

/** `none`: no probe; `unknown`: no verdict yet for this run. */
export type Health = 'none' | 'unknown' | 'healthy' | 'unhealthy';

/** Which probe a result comes from. */
export type ProbeKind = 'readiness' | 'liveness';

/**
 * The memory of past restarts that the restart policy needs. An immutable value: every
 * decision returns a new ledger.
 */
export interface RestartLedger {
  /** When each recent policy restart happened, oldest first, pruned to the window. */
  readonly recent: readonly number[];
  /** Runs in a row shorter than `min_uptime`. */
  readonly shortRuns: number;
}

/** Consecutive probe failures and the current verdict of one probe. */
export interface ProbeTally {
  readonly failures: number;
  readonly passing: boolean | null;
  /** The failures in a row with the latest failure's message; `null` after a success. */
  readonly lastFailure: ProbeFailure | null;
}

/** Failures in a row of one probe that all said the same thing. */
export interface ProbeFailure {
  /** What the check saw: `connection refused`, `HTTP 503`, `timed out after 1s`, `exit 1`. */
  readonly message: string;
  readonly count: number;
  /** When the first of them came (epoch ms). */
  readonly since: number;
}

/** Breaches of each resource limit so far, over every run (see `core/limits/limits.ts`). */
export type Violations = Readonly<Partial<Record<LimitResource, number>>>;

/** Breaches of one limit that did one thing (`memory` that restarted the run), over every run. */
export interface LimitBreachCount {
  readonly resource: LimitResource;
  readonly action: LimitAction;
  readonly count: number;
}

/** `counts` with one more breach of `resource` that did `action`. */
export function countBreach(
  counts: readonly LimitBreachCount[],
  resource: LimitResource,
  action: LimitAction,
): readonly LimitBreachCount[] {
  const index = counts.findIndex((each) => each.resource === resource && each.action === action);
  if (index < 0) return [...counts, { resource, action, count: 1 }];
  return counts.map((each, at) => (at === index ? { ...each, count: each.count + 1 } : each));
}

/**
 * What core remembers of a process's schedule between inputs, runs included. The schedule is
 * on from `up` (or a start) until a stop request.
 */
export interface ScheduleMemory {
  /** The fire time armed while the schedule is on; `null` while it is off. */
  readonly nextFireAt: number | null;
  /** The latest fire time taken (run, queued, skipped or replaced): none at or before it runs again. */
  readonly lastFireAt: number | null;
  /** `overlap: queue`: a fire came during the current run, so one more run follows it. */
  readonly queued: boolean;
}

/** The memory of a schedule never turned on. */
export const SCHEDULE_OFF: ScheduleMemory = { nextFireAt: null, lastFireAt: null, queued: false };

/**
 * `record` remembering `at` as the last fire time its schedule took, as an earlier supervisor
 * left it (the later of the two wins); a record with no schedule is returned as it is.
 */
export function withLastFire(record: ProcessRecord, at: number): ProcessRecord {
  const { schedule } = record;
  if (!schedule || (schedule.lastFireAt !== null && schedule.lastFireAt >= at)) return record;
  return { ...record, schedule: { ...schedule, lastFireAt: at } };
}

/** Everything core knows about one process between inputs. */
export interface ProcessRecord {
  readonly state: ProcessState;
  readonly health: Health;
  readonly ledger: RestartLedger;
  /** The restart circuit breaker (`restart.cooldown`); closed without one. */
  readonly breaker: Breaker;
  readonly probes: Readonly<Record<ProbeKind, ProbeTally>>;
  readonly violations: Violations;
  /** The same breaches by resource and what each did (a resource may act in more than one way). */
  readonly limitBreaches: readonly LimitBreachCount[];
  /** Present for a process with a `schedule`. */
  readonly schedule?: ScheduleMemory;
}

export const EMPTY_LEDGER: RestartLedger = { recent: [], shortRuns: 0 };
export const FRESH_TALLY: ProbeTally = { failures: 0, passing: null, lastFailure: null };

/** Statuses in which a child process exists (or is being created) and holds a slot. */
export function holdsSlot(state: ProcessState): boolean {
  return state.status === 'starting' || state.status === 'running' || state.status === 'stopping';
}

/*
 * "At rest", defined once. A process is settled when it will not run again unless asked
 * (stopped, completed, failed); at rest when a request made of it is over: settled, or
 * running, or `pending` on something that will not happen unless asked. The status alone
 * tells all but the last; a client that sees only statuses (the CLI) uses the `…Status`
 * forms, and so treats a blocked `pending` as still on its way.
 */

const SETTLED_STATUSES: ReadonlySet<Status> = new Set(['stopped', 'completed', 'failed']);

/** True for the statuses from which a process will not run again unless asked. */
export function isSettledStatus(status: Status): boolean {
  return SETTLED_STATUSES.has(status);
}

/**
 * True for the statuses in which a process waits for nothing more: running, waiting for its
 * schedule's next fire, or settled.
 */
export function isAtRestStatus(status: Status): boolean {
  return status === 'running' || status === 'scheduled' || isSettledStatus(status);
}

/**
 * Whether a request is over for this process: it is running, scheduled, stopped, completed
 * or failed, or it waits on something that will not happen unless asked (see `blocked`).
 */
export function isAtRest(state: ProcessState): boolean {
  if (state.status === 'pending') return state.blocked;
  return isAtRestStatus(state.status);
}

/**
 * Whether a request made of a process is over: once it is at rest. A restart awaits a new
 * run (`awaitingNewRun`: restart asked, no child spawned since): the old run's `running`
 * does not count then, but giving up or waiting on what will not come unasked does.
 */
export function isRequestOver(state: ProcessState, awaitingNewRun: boolean): boolean {
  return isAtRest(state) && !(awaitingNewRun && state.status === 'running');
}

/** Whether the process will not run again unless asked (see `isSettledStatus`). */
export function isSettled(state: ProcessState): boolean {
  return isSettledStatus(state.status);
}

/**
 * Whether the process will run again unless someone stops it: it is not settled, or it
 * failed and its breaker will try it again (`retryAt`). What "the process runs" means to a
 * request that adds to it (`scale`).
 */
export function isLive(state: ProcessState): boolean {
  return !isSettled(state) || (state.status === 'failed' && state.retryAt !== undefined);
}

export interface ActiveRun {
  readonly pid: number;
  /** When the child was spawned. */
  readonly since: number;
}

/** The child of a `starting` or `running` process once it has a pid: what a stop acts on. */
export function activeRun(state: ProcessState): ActiveRun | null {
  if (state.status === 'running') return { pid: state.pid, since: state.since };
  if (state.status === 'starting' && state.pid !== null)
    return { pid: state.pid, since: state.since };
  return null;
}

/** The pid of the live child, if there is one. */
export function pidOf(state: ProcessState): number | null {
  switch (state.status) {
    case 'starting':
      return state.pid;
    case 'running':
    case 'stopping':
      return state.pid;
    default:
      return null;
  }
}
