/** The desired states in the project's SQLite file: one upsert per wish. */
import type { Wish } from '../../core/stack/desired-state.js';
import type { DesiredStateStore } from '../desired-state-store.js';
import type { SqliteDatabase } from './database.js';

/** Desired states in a store file opened by `openDatabase`. */
export class SqliteDesiredStateStore implements DesiredStateStore {
  private readonly statements;

  /** Uses `db` without owning it: whoever opened the connection closes it. */
  constructor(db: SqliteDatabase) {
    this.statements = {
      // The row may hold a restart count too (see the history store): only the wish moves.
      set: db.prepare(
        `INSERT INTO processes (name, desired) VALUES (@name, @desired)
         ON CONFLICT (name) DO UPDATE SET desired = excluded.desired`,
      ),
      all: db.prepare(
        'SELECT name, desired FROM processes WHERE desired IS NOT NULL ORDER BY name',
      ),
    };
  }

  setDesiredState(process: string, desired: Wish): void {
    this.statements.set.run({ name: process, desired });
  }

  desiredStates(): Map<string, Wish> {
    const rows = this.statements.all.all() as Array<{ name: string; desired: Wish }>;
    return new Map(rows.map((row) => [row.name, row.desired]));
  }
}
