/** The dead letters of the PostgreSQL workflow store: read, taken back, dropped. */
import type { Pool } from 'pg';
import type { DeadLetter, WorkflowRun } from '../../core/workflows/records.js';
import type { DeadLetterFilter } from '../../core/workflows/workflow-store.js';
import { deadLetterFromRow, type RunRow, runFromRow } from '../workflow-rows.js';
import { LETTER_COLUMNS, runColumns } from './rows.js';
import { NOW, type Tables } from './sql.js';

export class PostgresDeadLetters {
  readonly #pool: Pool;
  readonly #tables: Tables;

  constructor(pool: Pool, tables: Tables) {
    this.#pool = pool;
    this.#tables = tables;
  }

  /** Newest first. */
  async list(filter: DeadLetterFilter) {
    const { rows } = await this.#pool.query(
      `SELECT ${LETTER_COLUMNS} FROM ${this.#tables.letters}
       WHERE ($1::text IS NULL OR workflow = $1)
         AND ($3::text IS NULL OR left(id, length($3)) = $3)
       ORDER BY seq DESC LIMIT $2`,
      [filter.workflow ?? null, filter.limit ?? 100, filter.idPrefix ?? null],
    );
    return rows.map(deadLetterFromRow);
  }

  async one(id: string): Promise<DeadLetter | undefined> {
    const { rows } = await this.#pool.query(
      `SELECT ${LETTER_COLUMNS} FROM ${this.#tables.letters} WHERE id = $1`,
      [id],
    );
    return rows[0] && deadLetterFromRow(rows[0]);
  }

  /** Deletes the letter and makes its run pending, in one statement. */
  async retry(id: string): Promise<WorkflowRun | undefined> {
    const { rows } = await this.#pool.query<RunRow>(
      `WITH letter AS (DELETE FROM ${this.#tables.letters} WHERE id = $1 RETURNING run_id)
       UPDATE ${this.#tables.runs} r SET status = 'pending', error = NULL, updated_at = ${NOW}
       FROM letter WHERE r.id = letter.run_id
       RETURNING ${runColumns('r')}`,
      [id],
    );
    return rows[0] && runFromRow(rows[0]);
  }

  async drop(id: string): Promise<boolean> {
    const { rowCount } = await this.#pool.query(
      `DELETE FROM ${this.#tables.letters} WHERE id = $1`,
      [id],
    );
    return rowCount === 1;
  }
}
