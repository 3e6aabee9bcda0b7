/**
 * The `HealthReport` of a stack, made the same way wherever it is asked for: by the
 * in-process `Supervisor`, the daemon's API and the monitoring routes.
 */
import { countByStatus, stackConcerns, stackStatus } from '../core/limits/stack-health.js';
import type { TaskCounts } from '../core/tasks/task.js';
import type { ContainmentInfo, ProcessInfo } from '../core/view.js';
import type { HealthReport } from './api.js';

/** Who reports, besides the processes. */
export interface Reporter {
  /** The supervisor's own pid. */
  readonly pid: number;
  readonly uptimeMs: number;
  readonly containment?: ContainmentInfo | undefined;
  /** Tasks by where they are, and finished ones by how they ended. */
  readonly tasks?: TaskCounts | undefined;
}

/** The health of a stack made of `processes`. */
export function healthReport(processes: readonly ProcessInfo[], reporter: Reporter): HealthReport {
  const { pid, uptimeMs, containment, tasks } = reporter;
  return {
    status: stackStatus(processes),
    pid,
    uptimeMs,
    counts: countByStatus(processes),
    concerns: stackConcerns(processes),
    ...(containment && { containment }),
    ...(tasks && { tasks }),
  };
}
