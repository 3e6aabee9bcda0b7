/**
 * A connection's statements, each prepared once by its SQL text (a store whose filters
 * choose among a few shapes of query asks for them by text), and its write transactions.
 */
import type Database from 'better-sqlite3';
import type { SqliteDatabase } from './database.js';

export class Statements {
  readonly #db: SqliteDatabase;
  readonly #prepared = new Map<string, Database.Statement>();

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  sql(text: string): Database.Statement {
    let statement = this.#prepared.get(text);
    if (!statement) {
      statement = this.#db.prepare(text);
      this.#prepared.set(text, statement);
    }
    return statement;
  }

  /**
   * Runs `work` as one transaction (`BEGIN IMMEDIATE`) holding the file's write lock from
   * its start, so that what it reads no other process changes before it writes.
   */
  write<T>(work: () => T): T {
    return this.#db.transaction(work).immediate();
  }
}
