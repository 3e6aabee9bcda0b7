/**
 * The one control interface of a supervisor, implemented both by the in-process
 * `Supervisor` and by `HttpSupervisorClient`, so the CLI and the dashboard never care
 * where the supervisor runs.
 */

import type { ComponentHealth } from '../core/component-health.js';
import type { OverseerError } from '../core/errors.js';
import type { SupervisorEvent } from '../core/events.js';
import type { StackStatus } from '../core/limits/stack-health.js';
import type { SignalReport } from '../core/process/signals.js';
import type { ProcessFilter } from '../core/stack/process-filter.js';
import type { ReloadReport } from '../core/stack/rolling.js';
import type { RequestTarget } from '../core/stack/selector.js';
import type { SupervisorStats } from '../core/stats.js';
import type { Disposer } from '../core/subscription.js';
import type { TaskCounts, TaskView } from '../core/tasks/task.js';
import type { TaskFilter } from '../core/tasks/task-filter.js';
import type {
  ContainmentInfo,
  LogLine,
  LogQuery,
  OutputStream,
  ProcessDetails,
  ProcessInfo,
  ProcessLogLine,
  Snapshot,
} from '../core/view.js';

/** A value, or a promise of it: local answers are immediate, remote ones are not. */
export type Awaitable<T> = T | Promise<T>;

export interface SupervisorApi {
  /**
   * Every process, or those the filter keeps: what `names` stand for within `namespace`,
   * in any of the `status`es, carrying every `label`. A name or namespace that stands for
   * nothing throws `UNKNOWN_PROCESS` or `UNKNOWN_NAMESPACE`, so a caller can check every
   * name before acting; a malformed status or label throws `BAD_REQUEST`.
   */
  list(filter?: ProcessFilter): Awaitable<ProcessInfo[]>;
  get(name: string): Awaitable<ProcessDetails>;
  /** Starts a selector (`web`, `web-1`, `all`) or a namespace (`{namespace: 'backend'}`). */
  start(target: RequestTarget): Promise<ProcessInfo[]>;
  /** Stops a selector or a namespace, as `start` takes them. */
  stop(target: RequestTarget): Promise<ProcessInfo[]>;
  /** Restarts a selector or a namespace, as `start` takes them. */
  restart(target: RequestTarget): Promise<ProcessInfo[]>;
  /**
   * A rolling restart of what a selector stands for: its running instances one at a time,
   * each replacement ready (readiness passed, or `min_uptime` without a probe) before the
   * next is stopped. Resolves once it is over; `ok: false` when a replacement did not
   * become ready: the reload stopped there and left the rest as they were. A process with
   * no other running instance is plainly restarted (`plainRestarts`). Throws
   * `UNKNOWN_PROCESS`, or `INVALID_STATE` when nothing selected runs or the process is
   * already being reloaded or scaled.
   */
  reload(name: string): Promise<ReloadReport>;
  /**
   * Runs `instances` instances (1 to 1000) of a process declared with `instances` from now
   * on, until its config is applied again: adds `name-k`, or stops and forgets the
   * highest-numbered ones; the others are not touched. Resolves with its rows once the
   * added ones are at rest. Throws `BAD_REQUEST` (a count out of bounds, an instance's
   * name, `all`, a process declared without `instances`) or `UNKNOWN_PROCESS`.
   */
  scale(name: string, instances: number): Promise<ProcessInfo[]>;
  /**
   * Sends a signal, by name (`SIGHUP`, or `HUP`), to the process group of each running
   * instance a selector stands for; each gets a `process:signalled` event. Instances of a
   * process named whole that do not run are reported in `notRunning`. Throws `BAD_REQUEST`
   * for an unknown signal, `UNKNOWN_PROCESS`, or `INVALID_STATE` when nothing selected runs.
   */
  signal(name: string, signal: string): Promise<SignalReport>;
  /** The last `lines` lines (default 100) a process holds in memory, oldest first. */
  logs(name: string, lines?: number): Awaitable<LogLine[]>;
  /**
   * The last lines of a process, of every instance of a name, or of every process (`all`),
   * merged by time, that pass `query` (`lines`, default 100; `since`; `until`; `grep`),
   * oldest first, each with its process's name; from its log files when it keeps them, so
   * past what memory holds.
   */
  readLogs(name: string, query?: LogQuery): Promise<ProcessLogLine[]>;
  /**
   * The last `lines` lines of a process, or of every instance of a name merged by time,
   * then every new one as it is read, each with its process's name; with no gap between.
   * Throws (or the stream breaks with) `UNKNOWN_PROCESS` for a name that stands for nothing.
   */
  followLogs(name: string, lines: number, listener: (line: ProcessLogLine) => void): Disposer;
  /** The stack's health, as `GET /health` answers it (also when the stack is failing). */
  health(): Awaitable<HealthReport>;
  /** A snapshot of every process, then every event, with no gap between. */
  watch(listener: (item: Snapshot | SupervisorEvent) => void): Disposer;
  /** Every line of output as it is read. */
  onLog(listener: (line: ProcessLogLine) => void): Disposer;
  /**
   * Told, once per stream, when a stream (`watch`, `onLog`, `followLogs`) breaks: the
   * supervisor went away, or refused it. A supervisor in this process never breaks its
   * streams. Returns a disposer.
   */
  onBreak(listener: (error: OverseerError) => void): Disposer;
  /**
   * Queues a one-off task (a process definition without the keys of a service, plus
   * `timeout`, `input`, `capture`, `retry`, `name`: see config/task-schema.ts) and returns
   * its id. Throws `INVALID_SPEC` naming every bad key, `QUEUE_FULL`, `SHUT_DOWN`.
   */
  submitTask(definition: TaskDefinitionInput): Awaitable<string>;
  /** Tasks not ended, then ended ones (newest first), narrowed by status and labels. */
  listTasks(filter?: TaskFilter): Awaitable<TaskView[]>;
  /** One task, live or remembered; `result` once it ended. Throws `NOT_FOUND`. */
  getTask(id: string): Awaitable<TaskView>;
  /**
   * A task's view as soon as it ended, or after `waitMs` as it is then, whichever comes
   * first. Throws `NOT_FOUND`.
   */
  waitTask(id: string, waitMs: number): Promise<TaskView>;
  /** Cancels a task, queued or running. Throws `NOT_FOUND`, `INVALID_STATE` once it ended. */
  cancelTask(id: string): Awaitable<TaskView>;
  /**
   * A task's output lines as they are read (from its start when it keeps a log file), then
   * `onEnd` with its final view once it ended and every line was told. Throws (or the
   * stream breaks with) `NOT_FOUND`. Returns a disposer.
   */
  followTask(
    id: string,
    listener: (line: TaskLine) => void,
    onEnd: (view: TaskView) => void,
  ): Disposer;
  /** Processes per status, tasks per status, restarts, and the host's load and memory. */
  stats(): Awaitable<SupervisorStats>;
}

/** A task as submitted: the object overseer.yaml would write for it, checked by the supervisor. */
export type TaskDefinitionInput = Readonly<Record<string, unknown>>;

/** One line of a task's output. */
export interface TaskLine {
  readonly id: string;
  readonly at: number;
  readonly stream: OutputStream;
  readonly text: string;
}

export interface HealthReport {
  readonly status: StackStatus;
  /** The supervisor's own pid. */
  readonly pid: number;
  readonly uptimeMs: number;
  /** Processes per status, e.g. `{running: 3, failed: 1}`. */
  readonly counts: Readonly<Record<string, number>>;
  /**
   * Why the stack is not `ok`, one line per process, lowest health score first:
   * `api: running, score 52: memory at 95% of its 256MB limit (-23)`, then one per
   * component not healthy: `db: unhealthy (critical): connection refused`. Empty when `ok`.
   */
  readonly concerns?: readonly string[];
  /** How each run's process tree is kept together (`cgroup` or `process-group`), and why. */
  readonly containment?: ContainmentInfo;
  /** Tasks waiting, running and waiting to try again now; finished ones per outcome since start. */
  readonly tasks?: TaskCounts;
  /**
   * The application's components (database, cache, upstream API) as their checks last left
   * them; only when the routes were given a source of them (`MonitoringOptions.health`).
   */
  readonly checks?: readonly ComponentHealth[];
}
