/** `stats()`: what the supervisor runs and has run, and the machine it runs on. */
import { availableParallelism, freemem, loadavg, totalmem } from 'node:os';
import type { Status } from '../../core/process/state.js';
import type { SupervisorStats } from '../../core/stats.js';
import type { TaskCounts } from '../../core/tasks/task.js';
import type { ManagedProcess } from './managed-process.js';

export function supervisorStats(
  processes: Iterable<ManagedProcess>,
  tasks: TaskCounts,
  now = Date.now(),
): SupervisorStats {
  const byStatus: Record<Status, number> = {
    pending: 0,
    starting: 0,
    running: 0,
    stopping: 0,
    stopped: 0,
    backoff: 0,
    completed: 0,
    scheduled: 0,
    failed: 0,
  };
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
    },
  };
}
