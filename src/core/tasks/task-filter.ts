/** Which tasks a list shows: by status, and by labels the task must all carry. */
import type { TaskStatus, TaskView } from './task.js';

export interface TaskFilter {
  readonly status?: TaskStatus;
  /** `key: value` labels the task must all carry. */
  readonly labels?: Readonly<Record<string, string>>;
}

export function matchesTaskFilter(view: TaskView, filter: TaskFilter): boolean {
  if (filter.status !== undefined && view.status !== filter.status) return false;
  for (const [key, value] of Object.entries(filter.labels ?? {})) {
    if (view.labels[key] !== value) return false;
  }
  return true;
}
