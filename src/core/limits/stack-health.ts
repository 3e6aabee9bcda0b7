/**
 * The health of a whole stack from its process rows: `failing` when a process has failed
 * or scores below `FAILING_BELOW`; `degraded` while any is on its way (pending, starting,
 * backing off, stopping), unhealthy, or scores below `DEGRADED_BELOW`; else `ok`. A process
 * stopped on request or completed counts as fine.
 */
import type { Status } from '../process/state.js';
import type { ProcessInfo } from '../view.js';

export type StackStatus = 'ok' | 'degraded' | 'failing';

/** A health score below this makes the stack `degraded`. */
export const DEGRADED_BELOW = 70;

/** A health score below this makes the stack `failing`. */
export const FAILING_BELOW = 30;

/** What the stack's health is judged from; rows without a score are judged by status alone. */
export type StackRow = Pick<ProcessInfo, 'status' | 'health'> &
  Partial<Pick<ProcessInfo, 'name' | 'healthScore' | 'healthReasons' | 'reason'>>;

const TRANSIENT: ReadonlySet<Status> = new Set(['pending', 'starting', 'backoff', 'stopping']);

export function stackStatus(processes: readonly StackRow[]): StackStatus {
  const score = (process: StackRow) => process.healthScore ?? 100;
  if (processes.some((process) => process.status === 'failed' || score(process) < FAILING_BELOW))
    return 'failing';
  const degraded = processes.some(
    (process) =>
      TRANSIENT.has(process.status) ||
      process.health === 'unhealthy' ||
      score(process) < DEGRADED_BELOW,
  );
  return degraded ? 'degraded' : 'ok';
}

/**
 * One line per process that keeps the stack from `ok`, lowest score first:
 * `api: running, score 52: memory at 95% of its 256MB limit (-23)`.
 */
export function stackConcerns(processes: readonly StackRow[]): string[] {
  return processes
    .filter(
      (process) =>
        process.status === 'failed' ||
        TRANSIENT.has(process.status) ||
        process.health === 'unhealthy' ||
        (process.healthScore ?? 100) < DEGRADED_BELOW,
    )
    .sort((a, b) => (a.healthScore ?? 100) - (b.healthScore ?? 100))
    .map((process) => {
      const score = process.healthScore === undefined ? '' : `, score ${process.healthScore}`;
      const head = `${process.name ?? '?'}: ${process.status}${score}`;
      const why = process.healthReasons?.[0];
      return why ? `${head}: ${why}` : head;
    });
}

/** How many processes are in each status. */
export function countByStatus(
  processes: readonly Pick<ProcessInfo, 'status'>[],
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { status } of processes) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}
