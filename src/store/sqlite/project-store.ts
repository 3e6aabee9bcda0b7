/**
 * The embedded default: every store of a project in one SQLite file (`<state_dir>/state.db`),
 * on one connection, so one migration sequence versions them all and one close ends them.
 */
import type { ProjectStore, ProjectStoreOptions } from '../project-store.js';
import { openDatabase } from './database.js';
import { SqliteDesiredStateStore } from './desired-state-store.js';
import { SqliteHistoryStore } from './history-store.js';
import { SqliteScheduleStore } from './schedule-store.js';
import { SqliteTaskStore } from './task-store.js';

/**
 * Opens (or creates) the store file at `file`, migrated to the current schema. Throws
 * `INVALID_STATE` for a file written by a newer overseer.
 */
export function openSqliteStore(file: string, options: ProjectStoreOptions = {}): ProjectStore {
  const db = openDatabase(file);
  try {
    return {
      history: new SqliteHistoryStore(db, options.history),
      desired: new SqliteDesiredStateStore(db),
      schedules: new SqliteScheduleStore(db),
      tasks: new SqliteTaskStore(db),
      close: () => {
        if (db.open) db.close();
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}
