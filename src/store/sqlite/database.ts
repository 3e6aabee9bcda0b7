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
 * Opens (or creates) the store file at `file` and migrates it to the current schema: the
 * project's by default, or the one `migrations` defines for a file of another kind.
 * Throws `INVALID_STATE` for a file written by a newer overseer; the connection is closed
 * whenever opening fails.
 */
export function openDatabase(
  file: string,
  migrations: readonly string[] = MIGRATIONS,
): SqliteDatabase {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    // WAL with NORMAL survives a crash of this process intact; only a power loss may lose
    // the last transactions, never corrupt the file.
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    migrate(db, file, migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Brings the file's schema up to date, one migration per transaction. Each reads the version
 * under the write lock, so that processes opening a new file at once apply each migration
 * once: the others wait for it, then find it applied.
 */
function migrate(db: SqliteDatabase, file: string, migrations: readonly string[]): void {
  if (schemaVersion(db, file, migrations) === migrations.length) return;
  const applyNext = db.transaction(() => {
    const current = schemaVersion(db, file, migrations);
    if (current === migrations.length) return false;
    db.exec(migrations[current]!);
    db.pragma(`user_version = ${current + 1}`);
    return true;
  });
  while (applyNext.immediate()) {}
}

/** The file's schema version; throws for one newer than `migrations` know. */
function schemaVersion(db: SqliteDatabase, file: string, migrations: readonly string[]): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new OverseerError(
      'INVALID_STATE',
      `${file} has schema version ${current}, newer than this overseer knows (${migrations.length}): upgrade overseer`,
    );
  }
  return current;
}
