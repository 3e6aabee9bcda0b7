/**
 * What a PostgreSQL workflow store holds, counted for metrics. The steps are counted by
 * one aggregate over their table at each ask, not by totals kept as they are recorded:
 * a totals row per workflow would be written by every step of every worker, and those
 * writers would queue on its lock. A scrape every few seconds reads; the steps never wait.
 */
import type { Pool } from 'pg';
import type { RunStatus } from '../../core/workflows/records.js';
import {
  STEP_DURATION_BUCKETS_MS,
  stepTotals,
  type WorkflowStats,
} from '../../core/workflows/workflow-store.js';
import type { Tables } from './sql.js';

/** The bucket of a step's duration `d`, as `stepDurationBucket` gives it, in SQL. */
const BUCKET = `CASE ${STEP_DURATION_BUCKETS_MS.map(
  (bound, index) => `WHEN d <= ${bound} THEN ${index}`,
).join(' ')} ELSE ${STEP_DURATION_BUCKETS_MS.length} END`;

export async function workflowStats(pool: Pool, tables: Tables): Promise<WorkflowStats> {
  const [runs, letters, counted] = await Promise.all([
    pool.query<{ workflow: string; status: RunStatus; count: number }>(
      `SELECT workflow, status, count(*)::float8 AS count FROM ${tables.runs}
       GROUP BY workflow, status ORDER BY workflow, status`,
    ),
    pool.query<{ workflow: string; count: number }>(
      `SELECT workflow, count(*)::float8 AS count FROM ${tables.letters}
       GROUP BY workflow ORDER BY workflow`,
    ),
    pool.query<{ workflow: string; bucket: number; count: number; duration_ms: number }>(
      `SELECT workflow, ${BUCKET} AS bucket, count(*)::float8 AS count, sum(d) AS duration_ms
       FROM (SELECT r.workflow, s.finished_at - s.started_at AS d
             FROM ${tables.steps} s JOIN ${tables.runs} r ON r.id = s.run_id
             WHERE s.kind = 'step') timed
       GROUP BY workflow, bucket ORDER BY workflow`,
    ),
  ]);
  const steps = stepTotals(counted.rows.map((row) => ({ ...row, durationMs: row.duration_ms })));
  return { runs: runs.rows, deadLetters: letters.rows, steps };
}
