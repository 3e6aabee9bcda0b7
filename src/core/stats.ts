/** What `stats()` reports: the supervisor's processes and tasks, and the machine it runs on. */
import type { Status } from './process/state.js';
import type { TaskCounts } from './tasks/task.js';
import type { TaskDurations } from './tasks/task-durations.js';

/** The machine the supervisor runs on, as `stats()` reads it. */
export interface HostStats {
  /** Load averages over 1, 5 and 15 minutes. */
  readonly load: readonly [number, number, number];
  readonly cpus: number;
  readonly memoryTotalBytes: number;
  readonly memoryFreeBytes: number;
  /**
   * Memory that can be had without swapping: `MemAvailable` of `/proc/meminfo` (free memory
   * plus the caches the kernel would give back), or the free memory where there is none.
   * Absent from older supervisors.
   */
  readonly memoryAvailableBytes?: number;
}

/** What the supervisor runs and has run: `Supervisor.stats()`, `/health`, `/metrics`. */
export interface SupervisorStats {
  readonly at: number;
  /** Processes (instances) per status. */
  readonly processes: Readonly<Record<Status, number>>;
  /** Tasks waiting, running and waiting to try again now; finished ones per outcome since start. */
  readonly tasks: TaskCounts;
  /** How long the tasks that ran and ended since the supervisor started took. */
  readonly taskDurations?: TaskDurations;
  /** Restarts of every process since the supervisor started (carried over from a predecessor). */
  readonly restarts: number;
  readonly host: HostStats;
}
