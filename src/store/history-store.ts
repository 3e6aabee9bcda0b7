/**
 * What a supervisor remembers of what its processes did, across its own restarts: every run
 * (and what a successor needs to end it if this supervisor dies), every event, restart
 * counts. Synchronous, like the SQLite driver behind it: a record is written before the next
 * event is handled.
 */
import { DEFAULTS } from '../core/defaults.js';
import type { SupervisorEvent } from '../core/events.js';

/** A run as it is recorded when the child is spawned. */
export interface RunStart {
  /** Process (instance) name. */
  readonly process: string;
  readonly pid: number;
  /**
   * The pid's start time in clock ticks since boot (`/proc/PID/stat`): with `bootId`, it
   * tells the process that was spawned from a later one that reused its pid.
   */
  readonly pidStartTime: number | null;
  /** The kernel's boot id when the run started: pids of another boot mean nothing. */
  readonly bootId: string | null;
  /** Epoch ms. */
  readonly startedAt: number;
  /**
   * The `OVERSEER_RUN` mark every process of the run inherits: how a successor finds the
   * run's processes that were reparented away from it. Default: none.
   */
  readonly treeMark?: string | null;
  /** The run's cgroup folder, when the supervisor contains runs in cgroups. Default: none. */
  readonly cgroup?: string | null;
}

/** A process named for good: its pid and the pid's start time in clock ticks since boot. */
export interface RecordedProcess {
  readonly pid: number;
  readonly startTime: number;
}

/** How a run ended. */
export interface RunEnd {
  /** Epoch ms. */
  readonly endedAt: number;
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** Why it ended: `stop requested`, `exited with code 1`, `orphaned: …`. */
  readonly reason: string;
  readonly killedAfterTimeout: boolean;
}

/** A run as the store holds it: its start, and its end once it has one. */
export interface StoredRun extends RunStart {
  readonly id: number;
  readonly treeMark: string | null;
  readonly cgroup: string | null;
  /**
   * Processes of the run seen outside its process group (`setsid`), kept while the run is
   * unfinished (a successor ends them); empty once it has ended.
   */
  readonly strays: readonly RecordedProcess[];
  readonly endedAt: number | null;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly reason: string | null;
  readonly killedAfterTimeout: boolean;
}

/** An event as the store holds it. */
export interface StoredEvent {
  /** Increasing with every event appended. */
  readonly id: number;
  readonly event: SupervisorEvent;
}

/**
 * How much history is kept, per process (`settings.retention`): beyond these bounds the
 * oldest records of that process are dropped. Events that belong to no process (the
 * supervisor's, config and task events) are kept under the same bound, as one more process.
 */
export interface HistoryRetention {
  /** Events kept per process. Default {@link DEFAULT_MAX_EVENTS_PER_PROCESS}. */
  readonly maxEventsPerProcess?: number;
  /**
   * Ended runs kept per process; unfinished ones are always kept.
   * Default {@link DEFAULT_MAX_RUNS_PER_PROCESS}.
   */
  readonly maxRunsPerProcess?: number;
}

/** Events kept per process by default (`settings.retention.events`). */
export const DEFAULT_MAX_EVENTS_PER_PROCESS = DEFAULTS.retention.events;
/** Ended runs kept per process by default (`settings.retention.runs`). */
export const DEFAULT_MAX_RUNS_PER_PROCESS = DEFAULTS.retention.runs;

/**
 * Runs, events and restart counts. An implementation may enforce its retention in batches,
 * holding somewhat more than its bounds between two trims, never less.
 */
export interface HistoryStore {
  /** Records a run that just started; returns its id for `endRun`. */
  startRun(run: RunStart): number;
  /** Ends a run, once; what was kept of its strays is let go. */
  endRun(id: number, end: RunEnd): void;
  /**
   * Forgets a run and its strays entirely: one whose record serves nothing once over (a
   * task's try, whose outcome the task keeps), so the store does not grow by one per try.
   */
  forgetRun(id: number): void;
  /** Records processes of an unfinished run that left its process group (known ones once). */
  addStrays(id: number, strays: readonly RecordedProcess[]): void;
  /** Runs that never ended, oldest first: what a supervisor that died left behind. */
  unfinishedRuns(): StoredRun[];
  /** The last `limit` runs of a process, oldest first. */
  recentRuns(process: string, limit: number): StoredRun[];
  /** Keeps events, in order, all or none; a process's oldest are dropped beyond its bound. */
  appendEvents(events: readonly SupervisorEvent[]): void;
  /** The last `limit` events, oldest first: of one process when `process` is given. */
  recentEvents(limit: number, process?: string): StoredEvent[];
  /** Adds one to a process's restart count. */
  countRestart(process: string): void;
  /** The restart count of every process that restarted at least once, by name. */
  restartCounts(): Map<string, number>;
  /**
   * Bounds the history from now on (a changed `settings.retention`) and drops at once, for
   * every process, what is beyond the new bounds.
   */
  setRetention(retention: HistoryRetention): void;
}

/**
 * The process an event is about, whose bound it counts under; null for the events of no
 * process (the supervisor's, config and task events), kept under a bound of their own.
 */
export function eventOwner(event: SupervisorEvent): string | null {
  return 'name' in event ? event.name : null;
}
