/**
 * How a status looks in the dashboard: a symbol, so a row reads without colour
 * (`NO_COLOR`, a monochrome terminal), and a colour that groups statuses by what they ask
 * of the reader: green runs, yellow is on its way, red needs a look, blue waits for its
 * time, dim is at rest.
 */
import type { Health, Status } from '../core/process/state.js';

export type Colour = 'green' | 'yellow' | 'red' | 'blue';

export interface Look {
  readonly symbol: string;
  /** `undefined` with `dim`: at rest, nothing to see. */
  readonly colour?: Colour;
  readonly dim?: boolean;
}

export const STATUS_LOOK: Readonly<Record<Status, Look>> = {
  running: { symbol: '●', colour: 'green' },
  pending: { symbol: '○', colour: 'yellow' },
  starting: { symbol: '◔', colour: 'yellow' },
  stopping: { symbol: '◕', colour: 'yellow' },
  backoff: { symbol: '↻', colour: 'red' },
  failed: { symbol: '✖', colour: 'red' },
  stopped: { symbol: '■', dim: true },
  completed: { symbol: '✔', dim: true },
  scheduled: { symbol: '◷', colour: 'blue' },
};

export const HEALTH_LOOK: Readonly<Record<Health, Look>> = {
  healthy: { symbol: '', colour: 'green' },
  unhealthy: { symbol: '', colour: 'red' },
  unknown: { symbol: '', dim: true },
  none: { symbol: '', dim: true },
};
