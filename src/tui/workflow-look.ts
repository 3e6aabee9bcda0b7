/**
 * How a workflow run's status looks in the dashboard, beside the looks of processes and
 * tasks: a symbol so it reads without colour, and a colour by what it asks of the reader.
 * Waiting is on its way, running runs, a sleep waits for its time, a completed run is at
 * rest having succeeded, a failed one needs a look.
 */
import type { RunStatus } from '../core/workflows/records.js';
import type { Look } from './status-look.js';

export const RUN_STATUS_LOOK: Readonly<Record<RunStatus, Look>> = {
  pending: { symbol: '○', role: 'warning' },
  running: { symbol: '●', role: 'success' },
  sleeping: { symbol: '◷', role: 'primary' },
  completed: { symbol: '✔', role: 'success' },
  failed: { symbol: '✖', role: 'error' },
};

/** `● running`: the symbol, then the status. */
export function runStatusText(status: RunStatus): string {
  return `${RUN_STATUS_LOOK[status].symbol} ${status}`;
}
