/** The in-memory twin of the SQLite task records: the same contract, nothing on disk. */
import { isFinalTaskStatus, type TaskView } from '../../core/tasks/task.js';
import type { TaskStore } from '../task-store.js';

/** Task records in memory. */
export class MemoryTaskStore implements TaskStore {
  private readonly tasks = new Map<string, TaskView>();

  saveTask(view: TaskView): void {
    this.tasks.set(view.id, view);
  }

  task(id: string): TaskView | undefined {
    return this.tasks.get(id);
  }

  endedTasks(limit: number): TaskView[] {
    return this.newestFirst()
      .filter((view) => isFinalTaskStatus(view.status))
      .slice(0, limit);
  }

  unfinishedTasks(): TaskView[] {
    return this.newestFirst()
      .filter((view) => !isFinalTaskStatus(view.status))
      .reverse();
  }

  pruneEnded(keep: number): string[] {
    const kept = new Set(this.endedTasks(keep).map((view) => view.id));
    const forgotten: string[] = [];
    for (const [id, view] of this.tasks) {
      if (isFinalTaskStatus(view.status) && !kept.has(id)) {
        this.tasks.delete(id);
        forgotten.push(id);
      }
    }
    return forgotten;
  }

  /** By submission time, then id (ids sort by submission too), newest first. */
  private newestFirst(): TaskView[] {
    return [...this.tasks.values()].sort(
      (a, b) => Date.parse(b.queuedAt) - Date.parse(a.queuedAt) || (a.id < b.id ? 1 : -1),
    );
  }
}
