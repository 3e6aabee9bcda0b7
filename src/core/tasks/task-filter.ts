/** Which tasks a list shows: by status, and by labels the task must all carry. */
import { OverseerError } from '../errors.js';
import { emptyTaskCounts, type TaskStatus, type TaskView } from './task.js';

export interface TaskFilter {
  /** One status, or several: a task in any of them. */
  readonly status?: TaskStatus | readonly TaskStatus[];
  /** `key: value` labels the task must all carry. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Every status a task may be in, in the order of its life. */
export const TASK_STATUSES = Object.keys(emptyTaskCounts()) as TaskStatus[];

export function matchesTaskFilter(view: TaskView, filter: TaskFilter): boolean {
  if (filter.status !== undefined && ![filter.status].flat().includes(view.status)) return false;
  for (const [key, value] of Object.entries(filter.labels ?? {})) {
    if (view.labels[key] !== value) return false;
  }
  return true;
}

/**
 * A filter from what a user typed (`?status=failed&label=team=ci`, `--status`, `--label`):
 * statuses, also comma-separated, and `key=value` labels. Throws `BAD_REQUEST` naming a
 * status that is none, or a label without its `=`.
 */
export function taskFilterOf(
  statuses: readonly string[] = [],
  labels: readonly string[] = [],
): TaskFilter {
  const status = statuses.flatMap((value) => value.split(','));
  for (const value of status) {
    if (!(TASK_STATUSES as string[]).includes(value)) {
      throw new OverseerError(
        'BAD_REQUEST',
        `status: ${JSON.stringify(value)} is not a task status (${TASK_STATUSES.join(', ')})`,
      );
    }
  }
  const pairs: Record<string, string> = {};
  for (const label of labels) {
    const equals = label.indexOf('=');
    if (equals <= 0) {
      throw new OverseerError(
        'BAD_REQUEST',
        `label: expected key=value, got ${JSON.stringify(label)}`,
      );
    }
    pairs[label.slice(0, equals)] = label.slice(equals + 1);
  }
  return {
    ...(status.length > 0 && { status: status as TaskStatus[] }),
    ...(labels.length > 0 && { labels: pairs }),
  };
}
