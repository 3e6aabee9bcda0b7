/**
 * How a status looks in the dashboard: a symbol, so a row reads without colour
 * (`NO_COLOR`, a monochrome terminal), and a colour that groups statuses by what they ask
 * of the reader (in the theme's colours): success runs, warning is on its way, error needs a
 * look, primary waits for its time, dim is at rest.
 */
import type { Health, Status } from '../core/process/state.js';
import type { Role } from './theme.js';

export interface Look {
  readonly symbol: string;
  /** `undefined` with `dim`: at rest, nothing to see. */
  readonly role?: Role;
  readonly dim?: boolean;
}

export const STATUS_LOOK: Readonly<Record<Status, Look>> = {
  running: { symbol: '●', role: 'success' },
  pending: { symbol: '○', role: 'warning' },
  starting: { symbol: '◔', role: 'warning' },
  stopping: { symbol: '◕', role: 'warning' },
  backoff: { symbol: '↻', role: 'error' },
  failed: { symbol: '✖', role: 'error' },
  stopped: { symbol: '■', dim: true },
  completed: { symbol: '✔', dim: true },
  scheduled: { symbol: '◷', role: 'primary' },
};

export const HEALTH_LOOK: Readonly<Record<Health, Look>> = {
  healthy: { symbol: '', role: 'success' },
  unhealthy: { symbol: '', role: 'error' },
  unknown: { symbol: '', dim: true },
  none: { symbol: '', dim: true },
};
