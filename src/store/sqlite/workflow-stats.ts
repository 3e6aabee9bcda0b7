/**
 * The counts of the workflow store file for metrics: runs and dead letters counted on
 * their indexes, steps from the totals kept as each is recorded (a scrape reads a row per
 * workflow and bucket, however many steps there are).
 */
import type { RunStatus, StepRecord } from '../../core/workflows/records.js';
import {
  stepDurationBucket,
  stepTotals,
  type WorkflowStats,
} from '../../core/workflows/workflow-store.js';
import type { Statements } from './statements.js';

export class SqliteWorkflowStats {
  readonly #statements: Statements;

  constructor(statements: Statements) {
    this.#statements = statements;
  }

  /** Counts a recorded step of kind `step`, in the caller's transaction. */
  countStep(step: StepRecord): void {
    const durationMs = step.finishedAt - step.startedAt;
    this.#statements
      .sql(
        `INSERT INTO step_totals (workflow, bucket, count, duration_ms)
         SELECT workflow, @bucket, 1, @durationMs FROM runs WHERE id = @runId
         ON CONFLICT (workflow, bucket) DO UPDATE
           SET count = count + 1, duration_ms = duration_ms + excluded.duration_ms`,
      )
      .run({ runId: step.runId, bucket: stepDurationBucket(durationMs), durationMs });
  }

  read(): WorkflowStats {
    const runs = this.#statements
      .sql('SELECT workflow, status, COUNT(*) AS count FROM runs GROUP BY workflow, status')
      .all() as { workflow: string; status: RunStatus; count: number }[];
    const deadLetters = this.#statements
      .sql('SELECT workflow, COUNT(*) AS count FROM dead_letters GROUP BY workflow')
      .all() as { workflow: string; count: number }[];
    const totals = this.#statements
      .sql('SELECT workflow, bucket, count, duration_ms FROM step_totals')
      .all() as { workflow: string; bucket: number; count: number; duration_ms: number }[];
    const steps = stepTotals(totals.map((row) => ({ ...row, durationMs: row.duration_ms })));
    return { runs, deadLetters, steps };
  }
}
