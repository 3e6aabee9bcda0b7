/**
 * Workflow runs, steps and dead letters in PostgreSQL, for workers on several machines.
 *
 * Every time is the database's (`now()`, in ms), so that workers whose clocks disagree
 * still agree on when a lease ends. Every write is one statement, so one transaction: a
 * fenced write checks the worker's lease in the statement that writes, on the run's row
 * locked, so that a claim by another worker either comes first (and the write finds the
 * run gone) or waits for the write to commit.
 *
 * `pg` is loaded only when a store is opened: who never uses PostgreSQL never loads it.
 */
import type { Pool } from 'pg';
import type { NewRun, StepRecord } from '../../core/workflows/records.js';
import type {
  ClaimOptions,
  DeadLetterFilter,
  RunEnd,
  RunFilter,
  WorkflowStore,
} from '../../core/workflows/workflow-store.js';
import { jsonText, type RunRow, runFromRow, stepFromRow } from '../workflow-rows.js';
import { PostgresDeadLetters } from './dead-letters.js';
import { PostgresLeases } from './leases.js';
import { migrate } from './migrations.js';
import { runColumns, STEP_COLUMNS } from './rows.js';
import { DEFAULT_SCHEMA, quotedSchema } from './schema-name.js';
import { HELD, NOW, type Tables, tablesIn } from './sql.js';
import { workflowStats } from './stats.js';
import { queryUnflushed } from './unflushed.js';

export interface PostgresWorkflowStoreOptions {
  /** The schema of the store's tables, made if missing. Default: `overseer`. */
  readonly schema?: string;
  /** A pool to use instead of one opened for the URL; the store never ends it. */
  readonly pool?: Pool;
  /** Most connections of the pool the store opens (pg's default: 10). */
  readonly maxConnections?: number;
}

/** Opens a store on the database at `url` (unused when `options.pool` is given). */
export async function openPostgresWorkflowStore(
  url: string,
  options: PostgresWorkflowStoreOptions = {},
): Promise<WorkflowStore> {
  const schema = quotedSchema(options.schema ?? DEFAULT_SCHEMA);
  if (options.pool) {
    await migrate(options.pool, schema);
    return new PostgresWorkflowStore(options.pool, schema, false);
  }
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections });
  // An idle connection that breaks (a server restart) leaves the pool, and the next query
  // opens another; unheard, the pool's error would end the process.
  pool.on('error', () => undefined);
  try {
    await migrate(pool, schema);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return new PostgresWorkflowStore(pool, schema, true);
}

class PostgresWorkflowStore implements WorkflowStore {
  readonly #pool: Pool;
  readonly #ownsPool: boolean;
  #closed = false;
  readonly #tables: Tables;
  readonly #leases: PostgresLeases;
  readonly #letters: PostgresDeadLetters;

  constructor(pool: Pool, schema: string, ownsPool: boolean) {
    this.#pool = pool;
    this.#ownsPool = ownsPool;
    this.#tables = tablesIn(schema);
    this.#leases = new PostgresLeases(pool, this.#tables);
    this.#letters = new PostgresDeadLetters(pool, this.#tables);
  }

  async now() {
    const { rows } = await this.#pool.query<{ now: number }>(`SELECT ${NOW} AS now`);
    return rows[0]!.now;
  }

  async createRun(run: NewRun) {
    const { rows } = await this.#pool.query<RunRow>(
      `INSERT INTO ${this.#tables.runs} AS r (id, workflow, status, input, created_at, updated_at)
       VALUES ($1, $2, 'pending', $3::jsonb, ${NOW}, ${NOW})
       ON CONFLICT (id) DO NOTHING
       RETURNING ${runColumns('r')}`,
      [run.id, run.workflow, jsonText(run.input)],
    );
    if (rows[0]) return { run: runFromRow(rows[0]), created: true };
    return { run: (await this.run(run.id))!, created: false };
  }

  async run(id: string) {
    const { rows } = await this.#pool.query<RunRow>(
      `SELECT ${runColumns('r')} FROM ${this.#tables.runs} r WHERE r.id = $1`,
      [id],
    );
    return rows[0] && runFromRow(rows[0]);
  }

  async runs(filter: RunFilter = {}) {
    // Newest first; or, for a watcher asking what changed since a time, least recently
    // updated first, so that it can go on from the last one it was answered.
    const since = filter.updatedSince;
    const { rows } = await this.#pool.query<RunRow>(
      `SELECT ${runColumns('r')} FROM ${this.#tables.runs} r
       WHERE ($1::text IS NULL OR r.workflow = $1) AND ($2::text[] IS NULL OR r.status = ANY ($2))
         AND ($4::float8 IS NULL OR r.updated_at >= $4) AND ($5::text IS NULL OR r.owner = $5)
       ORDER BY ${since === undefined ? 'r.seq DESC' : 'r.updated_at, r.seq'} LIMIT $3`,
      [
        filter.workflow ?? null,
        filter.statuses ?? null,
        filter.limit ?? 100,
        since ?? null,
        filter.owner ?? null,
      ],
    );
    return rows.map(runFromRow);
  }

  stats() {
    return workflowStats(this.#pool, this.#tables);
  }

  async steps(runId: string) {
    const { rows } = await this.#pool.query(
      `SELECT ${STEP_COLUMNS} FROM ${this.#tables.steps} WHERE run_id = $1 ORDER BY step_index`,
      [runId],
    );
    return rows.map(stepFromRow);
  }

  claim(worker: string, options: ClaimOptions) {
    return this.#leases.claim(worker, options);
  }

  renew(worker: string, runIds: readonly string[], leaseMs: number) {
    return this.#leases.renew(worker, runIds, leaseMs);
  }

  release(worker: string, runIds: readonly string[]) {
    return this.#leases.release(worker, runIds);
  }

  async recordStep(worker: string, step: StepRecord) {
    // The run's row is locked before the step goes in: a claim by another worker waits for
    // this statement, or came first and the lease check finds the run taken.
    const { rowCount } = await this.#pool.query(
      `WITH held AS (
         SELECT id FROM ${this.#tables.runs} WHERE id = $2 AND ${HELD} FOR UPDATE
       ), recorded AS (
         INSERT INTO ${this.#tables.steps}
           (run_id, step_index, name, kind, output, wake_at, attempts, started_at, finished_at)
         SELECT id, $3, $4, $5, $6::jsonb, $7::float8, $8, $9, $10 FROM held
         ON CONFLICT (run_id, step_index) DO NOTHING
         RETURNING run_id
       )
       UPDATE ${this.#tables.runs} r SET updated_at = ${NOW} FROM recorded WHERE r.id = recorded.run_id`,
      [
        worker,
        step.runId,
        step.index,
        step.name,
        step.kind,
        jsonText(step.output),
        step.wakeAt ?? null,
        step.attempts,
        step.startedAt,
        step.finishedAt,
      ],
    );
    return rowCount === 1;
  }

  async countStepFailure(worker: string, runId: string, name: string) {
    return this.#fencedUpdate(
      worker,
      runId,
      `step_failures = step_failures
         || jsonb_build_object($3::text, coalesce((step_failures ->> $3::text)::integer, 0) + 1)`,
      [name],
    );
  }

  async sleepRun(worker: string, runId: string, wakeAt: number) {
    return this.#fencedUpdate(
      worker,
      runId,
      `status = 'sleeping', wake_at = $3::float8, owner = NULL, lease_until = NULL`,
      [wakeAt],
    );
  }

  async finishRun(worker: string, runId: string, end: RunEnd) {
    const ending = `status = $3, output = $4::jsonb, error = $5::jsonb, owner = NULL,
      lease_until = NULL`;
    const output = end.status === 'completed' ? jsonText(end.output) : null;
    const error = end.status === 'failed' ? JSON.stringify(end.error) : null;
    if (end.status === 'completed') {
      // Every step is recorded (and flushed) by now: an end lost in a server crash is
      // replayed from them to the same output, so its commit need not wait for the flush.
      return this.#fencedUpdate(worker, runId, ending, [end.status, output, error], {
        unflushed: true,
      });
    }
    if (!end.deadLetter) {
      return this.#fencedUpdate(worker, runId, ending, [end.status, output, error]);
    }
    // The run's end and its letter in one statement, so one transaction: both or neither.
    const letter = end.deadLetter;
    const { rows } = await this.#pool.query(
      `WITH ended AS (
         UPDATE ${this.#tables.runs} SET ${ending}, updated_at = ${NOW}
         WHERE id = $2 AND ${HELD}
         RETURNING id
       )
       INSERT INTO ${this.#tables.letters}
         (run_id, workflow, step, step_index, input, error, attempts, failed_at)
       SELECT $6, $7, $8, $9, $10::jsonb, $11::jsonb, $12, ${NOW} FROM ended
       RETURNING id`,
      [
        worker,
        runId,
        end.status,
        output,
        error,
        letter.runId,
        letter.workflow,
        letter.step,
        letter.stepIndex,
        jsonText(letter.input),
        JSON.stringify(letter.error),
        letter.attempts,
      ],
    );
    return rows.length === 1;
  }

  deadLetters(filter: DeadLetterFilter = {}) {
    return this.#letters.list(filter);
  }

  deadLetter(id: string) {
    return this.#letters.one(id);
  }

  retryDeadLetter(id: string) {
    return this.#letters.retry(id);
  }

  dropDeadLetter(id: string) {
    return this.#letters.drop(id);
  }

  async close() {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsPool) await this.#pool.end();
  }

  /** Sets `changes` (and `updated_at`) on run `$2` if worker `$1` holds it. */
  async #fencedUpdate(
    worker: string,
    runId: string,
    changes: string,
    values: unknown[],
    options: { readonly unflushed?: boolean } = {},
  ): Promise<boolean> {
    const text = `UPDATE ${this.#tables.runs} SET ${changes}, updated_at = ${NOW}
       WHERE id = $2 AND ${HELD}`;
    const parameters = [worker, runId, ...values];
    const { rowCount } = options.unflushed
      ? await queryUnflushed(this.#pool, text, parameters)
      : await this.#pool.query(text, parameters);
    return rowCount === 1;
  }
}
