/**
 * The log file each task's current try writes, kept so that a reader following a task can
 * tell when the last of its output is on disk: the runner closes a try's file as the task
 * ends, and the writes still queued land a moment later.
 */
import type { LogFile } from '../logs/log-file.js';

export class TaskLogFiles {
  /** The file of each task not ended yet, by id. */
  private readonly open = new Map<string, LogFile>();
  /** Tasks ended whose last writes are not all on disk yet. */
  private readonly draining = new Map<string, Promise<void>>();

  /** The file a new try of task `id` writes (the runner opens one per try). */
  track(id: string, file: LogFile | undefined): LogFile | undefined {
    if (file) this.open.set(id, file);
    return file;
  }

  /** Task `id` ended: its file is being closed; remembered until that is done. */
  ended(id: string): void {
    const file = this.open.get(id);
    if (!file) return;
    this.open.delete(id);
    const written = file.flushed().then(() => {
      this.draining.delete(id);
    });
    this.draining.set(id, written);
  }

  /** Resolves once everything task `id` wrote so far is in its file. */
  written(id: string): Promise<void> {
    return this.draining.get(id) ?? this.open.get(id)?.flushed() ?? Promise.resolve();
  }
}
