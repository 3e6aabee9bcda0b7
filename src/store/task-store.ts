/**
 * The tasks a supervisor was given, remembered across supervisors: each as it was last
 * seen (queued, running, or ended with its result), so that lists show the tasks of a
 * previous supervisor, and a successor finds those a supervisor that died never saw end.
 */
import type { TaskView } from '../core/tasks/task.js';

export interface TaskStore {
  /** Records a task as it is now, replacing what was recorded of it. */
  saveTask(view: TaskView): void;
  /** One task as last recorded, if it is. */
  task(id: string): TaskView | undefined;
  /** Ended tasks, newest first (by submission), at most `limit`. */
  endedTasks(limit: number): TaskView[];
  /** Tasks recorded as not ended (queued, running, retrying), oldest first. */
  unfinishedTasks(): TaskView[];
  /** Forgets ended tasks but the newest `keep`; returns the ids forgotten. */
  pruneEnded(keep: number): string[];
}
