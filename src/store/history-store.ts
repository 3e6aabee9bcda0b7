/**
 * What a supervisor remembers of what its processes did, across its own restarts: every run
 * (and what a successor needs to end it if this supervisor dies), every event, restart
 * counts. Synchronous, like the SQLite driver behind it: a record is written before the next
 * event is handled.
 */
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

/** How much history is kept: beyond these bounds the oldest records are dropped. */
export interface HistoryRetention {
  /** Events kept. Default {@link DEFAULT_MAX_EVENTS}. */
  readonly maxEvents?: number;
  /**
   * Ended runs kept per process; unfinished ones are always kept.
   * Default {@link DEFAULT_MAX_RUNS_PER_PROCESS}.
   */
  readonly maxRunsPerProcess?: number;
}

/** Events kept by default: enough for a day of a busy stack, small on disk. */
export const DEFAULT_MAX_EVENTS = 10_000;
/** Ended runs kept per process by default: what `inspect` shows, and more. */
export const DEFAULT_MAX_RUNS_PER_PROCESS = 1_000;

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
  /** Keeps events, in order, all or none; the oldest are dropped beyond the retention bound. */
  appendEvents(events: readonly SupervisorEvent[]): void;
  /** The last `limit` events, oldest first. */
  recentEvents(limit: number): StoredEvent[];
  /** Adds one to a process's restart count. */
  countRestart(process: string): void;
  /** The restart count of every process that restarted at least once, by name. */
  restartCounts(): Map<string, number>;
}
