/** The dead letters of the workflow store file: filed by a failing run, read, taken back. */
import { randomUUID } from 'node:crypto';
import type { NewDeadLetter } from '../../core/workflows/records.js';
import type { DeadLetterFilter } from '../../core/workflows/workflow-store.js';
import { type DeadLetterRow, deadLetterFromRow } from '../workflow-rows.js';
import type { Statements } from './statements.js';

export class SqliteDeadLetters {
  readonly #statements: Statements;

  constructor(statements: Statements) {
    this.#statements = statements;
  }

  /** Files `letter` at `now`, in the caller's transaction. */
  file(letter: NewDeadLetter, now: number): void {
    this.#statements
      .sql(
        `INSERT INTO dead_letters (id, run_id, workflow, step, step_index, input, error,
           attempts, failed_at)
         VALUES (@id, @runId, @workflow, @step, @stepIndex, @input, @error, @attempts, @now)`,
      )
      .run({
        ...letter,
        id: randomUUID(),
        input: JSON.stringify(letter.input),
        error: JSON.stringify(letter.error),
        now,
      });
  }

  /** Newest first. */
  list(filter: DeadLetterFilter) {
    const rows = this.#statements
      .sql(
        `SELECT * FROM dead_letters
         WHERE (@workflow IS NULL OR workflow = @workflow)
           AND (@prefix IS NULL OR substr(id, 1, length(@prefix)) = @prefix)
         ORDER BY seq DESC LIMIT @limit`,
      )
      .all({
        limit: filter.limit ?? 100,
        workflow: filter.workflow ?? null,
        prefix: filter.idPrefix ?? null,
      }) as DeadLetterRow[];
    return rows.map(deadLetterFromRow);
  }

  one(id: string) {
    const row = this.#statements.sql('SELECT * FROM dead_letters WHERE id = @id').get({ id }) as
      | DeadLetterRow
      | undefined;
    return row && deadLetterFromRow(row);
  }

  /** Deletes letter `id`; answers the run it was filed for, or undefined when none is. */
  take(id: string): string | undefined {
    const row = this.#statements
      .sql('DELETE FROM dead_letters WHERE id = @id RETURNING run_id')
      .get({ id }) as { run_id: string } | undefined;
    return row?.run_id;
  }
}
