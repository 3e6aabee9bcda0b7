/**
 * The `HealthReport` of a stack, made the same way wherever it is asked for: by the
 * in-process `Supervisor`, the daemon's API and the monitoring routes.
 */
import {
  type ComponentHealth,
  componentConcerns,
  componentsStatus,
} from '../core/component-health.js';
import {
  countByStatus,
  type StackStatus,
  stackConcerns,
  stackStatus,
} from '../core/limits/stack-health.js';
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
  /** The application's components, as their checks last left them, when it reports some. */
  readonly components?: readonly ComponentHealth[] | undefined;
}

/**
 * The health of a stack made of `processes` and, when given, the application's components:
 * the worse of the two, a failing critical component making the stack `failing` as a
 * failed process does.
 */
export function healthReport(processes: readonly ProcessInfo[], reporter: Reporter): HealthReport {
  const { pid, uptimeMs, containment, tasks, components } = reporter;
  const status = components
    ? worse(stackStatus(processes), STACK_STATUS_OF[componentsStatus(components)])
    : stackStatus(processes);
  return {
    status,
    pid,
    uptimeMs,
    counts: countByStatus(processes),
    concerns: [...stackConcerns(processes), ...(components ? componentConcerns(components) : [])],
    ...(containment && { containment }),
    ...(tasks && { tasks }),
    ...(components && { checks: components }),
  };
}

const STACK_STATUS_OF = { healthy: 'ok', degraded: 'degraded', unhealthy: 'failing' } as const;

const SEVERITY: readonly StackStatus[] = ['ok', 'degraded', 'failing'];

function worse(a: StackStatus, b: StackStatus): StackStatus {
  return SEVERITY.indexOf(a) >= SEVERITY.indexOf(b) ? a : b;
}
