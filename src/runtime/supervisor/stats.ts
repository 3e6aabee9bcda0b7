/** `stats()`: what the supervisor runs and has run, and the machine it runs on. */
import { readFileSync } from 'node:fs';
import { availableParallelism, freemem, loadavg, totalmem } from 'node:os';
import type { Status } from '../../core/process/state.js';
import { STATUSES } from '../../core/stack/process-filter.js';
import type { SupervisorStats } from '../../core/stats.js';
import type { TaskCounts } from '../../core/tasks/task.js';
import type { ManagedProcess } from './managed-process.js';

export function supervisorStats(
  processes: Iterable<ManagedProcess>,
  tasks: TaskCounts,
  now = Date.now(),
): SupervisorStats {
  // Every status, those no process is in included: a reader needs no default.
  const byStatus = Object.fromEntries(STATUSES.map((status) => [status, 0])) as Record<
    Status,
    number
  >;
  let restarts = 0;
  for (const managed of processes) {
    byStatus[managed.record.state.status] += 1;
    restarts += managed.facts().restarts;
  }
  const [one = 0, five = 0, fifteen = 0] = loadavg();
  return {
    at: now,
    processes: byStatus,
    tasks,
    restarts,
    host: {
      load: [one, five, fifteen],
      cpus: availableParallelism(),
      memoryTotalBytes: totalmem(),
      memoryFreeBytes: freemem(),
      memoryAvailableBytes: availableMemory(),
    },
  };
}

/**
 * `MemAvailable` of `/proc/meminfo`, what a new process could have: on Linux the free memory
 * alone understates it (the page cache counts as used); elsewhere the free memory.
 */
export function availableMemory(): number {
  try {
    const found = /^MemAvailable:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'latin1'));
    if (found) return Number(found[1]) * 1024;
  } catch {
    // no /proc: not Linux
  }
  return freemem();
}
