/** The last fire times in the project's SQLite file: one upsert per fire. */
import type { ScheduleStore } from '../schedule-store.js';
import type { SqliteDatabase } from './database.js';

/** Last fire times in a store file opened by `openDatabase`. */
export class SqliteScheduleStore implements ScheduleStore {
  private readonly statements;

  /** Uses `db` without owning it: whoever opened the connection closes it. */
  constructor(db: SqliteDatabase) {
    this.statements = {
      record: db.prepare(
        `INSERT INTO schedules (name, last_fire_at) VALUES (@name, @at)
         ON CONFLICT (name) DO UPDATE SET last_fire_at = MAX(last_fire_at, excluded.last_fire_at)`,
      ),
      all: db.prepare('SELECT name, last_fire_at AS at FROM schedules ORDER BY name'),
    };
  }

  recordFire(process: string, at: number): void {
    this.statements.record.run({ name: process, at });
  }

  lastFires(): Map<string, number> {
    const rows = this.statements.all.all() as Array<{ name: string; at: number }>;
    return new Map(rows.map((row) => [row.name, row.at]));
  }
}
