/**
 * The health of a whole stack from its process rows: `failing` when a process has
 * failed, `degraded` while any is on its way (pending, starting, backing off, stopping)
 * or unhealthy, else `ok`. A process stopped on request or completed counts as fine.
 */
import type { Status } from './state.js';
import type { ProcessInfo } from './view.js';

export type StackStatus = 'ok' | 'degraded' | 'failing';

const TRANSIENT: ReadonlySet<Status> = new Set(['pending', 'starting', 'backoff', 'stopping']);

export function stackStatus(
  processes: readonly Pick<ProcessInfo, 'status' | 'health'>[],
): StackStatus {
  if (processes.some((process) => process.status === 'failed')) return 'failing';
  const degraded = processes.some(
    (process) => TRANSIENT.has(process.status) || process.health === 'unhealthy',
  );
  return degraded ? 'degraded' : 'ok';
}

/** How many processes are in each status. */
export function countByStatus(
  processes: readonly Pick<ProcessInfo, 'status'>[],
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { status } of processes) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}
