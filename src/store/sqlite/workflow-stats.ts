/**
 * The counts of the workflow store file for metrics: runs and dead letters counted on
 * their indexes, steps from the totals kept as each is recorded (a scrape reads a row per
 * workflow and bucket, however many steps there are).
 */
import type { RunStatus, StepRecord } from '../../core/workflows/records.js';
import {
  STEP_DURATION_BUCKETS_MS,
  stepDurationBucket,
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
    const steps = new Map<
      string,
      { workflow: string; count: number; durationMs: number; buckets: number[] }
    >();
    for (const row of totals) {
      const counted = steps.get(row.workflow) ?? {
        workflow: row.workflow,
        count: 0,
        durationMs: 0,
        buckets: new Array<number>(STEP_DURATION_BUCKETS_MS.length + 1).fill(0),
      };
      counted.count += row.count;
      counted.durationMs += row.duration_ms;
      // A bucket past today's bounds (a file of a later version) is counted as the last.
      counted.buckets[Math.min(row.bucket, STEP_DURATION_BUCKETS_MS.length)]! += row.count;
      steps.set(row.workflow, counted);
    }
    return { runs, deadLetters, steps: [...steps.values()] };
  }
}
