/**
 * How a task's status looks in the dashboard, beside the looks of processes' statuses
 * (status-look.ts): a symbol so it reads without colour, and a colour by what it asks of
 * the reader. Waiting is on its way, running runs, a success is at rest, the other ends
 * need a look, and a cancelled task was asked for.
 */
import type { TaskStatus } from '../core/tasks/task.js';
import type { Look } from './status-look.js';

export const TASK_STATUS_LOOK: Readonly<Record<TaskStatus, Look>> = {
  queued: { symbol: '○', role: 'warning' },
  running: { symbol: '●', role: 'success' },
  retrying: { symbol: '↻', role: 'warning' },
  succeeded: { symbol: '✔', role: 'success' },
  failed: { symbol: '✖', role: 'error' },
  timed_out: { symbol: '⧖', role: 'error' },
  cancelled: { symbol: '⊘', dim: true },
  refused: { symbol: '⊗', role: 'error' },
};
