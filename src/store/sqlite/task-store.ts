/** The task records in the project's SQLite file: one row per task, its view as JSON. */
import type { TaskView } from '../../core/tasks/task.js';
import type { TaskStore } from '../task-store.js';
import type { SqliteDatabase } from './database.js';

/** Statuses of a task that has not ended, as SQL. */
const UNFINISHED = "('queued', 'running', 'retrying')";

/** Task records in a store file opened by `openDatabase`. */
export class SqliteTaskStore implements TaskStore {
  private readonly statements;

  /** Uses `db` without owning it: whoever opened the connection closes it. */
  constructor(db: SqliteDatabase) {
    this.statements = {
      save: db.prepare(
        `INSERT INTO tasks (id, status, queued_at, data) VALUES (@id, @status, @queued_at, @data)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, data = excluded.data`,
      ),
      one: db.prepare('SELECT data FROM tasks WHERE id = @id'),
      ended: db.prepare(
        `SELECT data FROM tasks WHERE status NOT IN ${UNFINISHED}
         ORDER BY queued_at DESC, id DESC LIMIT @limit`,
      ),
      unfinished: db.prepare(
        `SELECT data FROM tasks WHERE status IN ${UNFINISHED} ORDER BY queued_at, id`,
      ),
      prune: db.prepare(
        `DELETE FROM tasks WHERE status NOT IN ${UNFINISHED} AND id NOT IN (
           SELECT id FROM tasks WHERE status NOT IN ${UNFINISHED}
           ORDER BY queued_at DESC, id DESC LIMIT @keep)
         RETURNING id`,
      ),
    };
  }

  saveTask(view: TaskView): void {
    this.statements.save.run({
      id: view.id,
      status: view.status,
      queued_at: Date.parse(view.queuedAt),
      data: JSON.stringify(view),
    });
  }

  task(id: string): TaskView | undefined {
    const row = this.statements.one.get({ id }) as { data: string } | undefined;
    return row && (JSON.parse(row.data) as TaskView);
  }

  endedTasks(limit: number): TaskView[] {
    return viewsOf(this.statements.ended.all({ limit }));
  }

  unfinishedTasks(): TaskView[] {
    return viewsOf(this.statements.unfinished.all());
  }

  pruneEnded(keep: number): string[] {
    return (this.statements.prune.all({ keep }) as Array<{ id: string }>).map((row) => row.id);
  }
}

function viewsOf(rows: unknown[]): TaskView[] {
  return (rows as Array<{ data: string }>).map((row) => JSON.parse(row.data) as TaskView);
}
