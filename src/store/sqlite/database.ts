/**
 * The one SQLite connection behind a project's stores (better-sqlite3, WAL), its schema
 * brought up to date on opening: a kill at any moment leaves the last committed record
 * intact, whichever store wrote it.
 */
import Database from 'better-sqlite3';
import { OverseerError } from '../../core/errors.js';
import { MIGRATIONS } from './migrations.js';

/** A connection to a store file. */
export type SqliteDatabase = Database.Database;

/**
 * Opens (or creates) the store file at `file` and migrates it to the current schema.
 * Throws `INVALID_STATE` for a file written by a newer overseer; the connection is closed
 * whenever opening fails.
 */
export function openDatabase(file: string): SqliteDatabase {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    // WAL with NORMAL survives a crash of this process intact; only a power loss may lose
    // the last transactions, never corrupt the file.
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    migrate(db, file);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Brings the file's schema up to date, one migration per transaction. */
function migrate(db: SqliteDatabase, file: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new OverseerError(
      'INVALID_STATE',
      `${file} has schema version ${current}, newer than this overseer knows (${MIGRATIONS.length}): upgrade overseer`,
    );
  }
  for (let version = current; version < MIGRATIONS.length; version += 1) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
