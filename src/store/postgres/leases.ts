/**
 * Who holds which run in the PostgreSQL workflow store: claims, renewals and releases, each
 * one statement on the database's clock.
 */
import type { Pool } from 'pg';
import { UNFINISHED_RUN_STATUSES, type WorkflowRun } from '../../core/workflows/records.js';
import type { ClaimOptions } from '../../core/workflows/workflow-store.js';
import { type RunRow, runFromRow } from '../workflow-rows.js';
import { runColumns } from './rows.js';
import { HELD, NOW, type Tables } from './sql.js';
import { queryUnflushed } from './unflushed.js';

export class PostgresLeases {
  readonly #pool: Pool;
  readonly #runs: string;

  constructor(pool: Pool, tables: Tables) {
    this.#pool = pool;
    this.#runs = tables.runs;
  }

  async claim(worker: string, options: ClaimOptions): Promise<WorkflowRun[]> {
    // SKIP LOCKED: concurrent claimers pass over the rows another is taking instead of
    // queueing behind it; a row another claimer changed first is checked again and left.
    // Committed without waiting for the WAL flush (see unflushed.ts): a claim lost in a
    // server crash leaves the run to be claimed again.
    const { rows } = await queryUnflushed<RunRow>(
      this.#pool,
      `UPDATE ${this.#runs} r
       SET status = 'running', owner = $1, lease_until = ${NOW} + $2::float8, wake_at = NULL,
           updated_at = ${NOW}
       WHERE r.id IN (
         SELECT id FROM ${this.#runs}
         WHERE status = ANY ($3::text[])
           AND (status = 'pending'
             OR (status = 'sleeping' AND wake_at <= ${NOW})
             OR (status = 'running' AND lease_until <= ${NOW}))
           AND ($4::text[] IS NULL OR workflow = ANY ($4))
           AND ($5::text IS NULL OR id = $5)
         ORDER BY seq
         LIMIT $6
         FOR UPDATE SKIP LOCKED)
       RETURNING ${runColumns('r')}`,
      [
        worker,
        options.leaseMs,
        UNFINISHED_RUN_STATUSES,
        options.workflows ?? null,
        options.runId ?? null,
        options.limit,
      ],
    );
    // RETURNING keeps no order: oldest first, as claimed.
    return rows.sort((a, b) => a.seq - b.seq).map(runFromRow);
  }

  async renew(worker: string, runIds: readonly string[], leaseMs: number): Promise<string[]> {
    const { rows } = await this.#pool.query<{ id: string }>(
      `UPDATE ${this.#runs} SET lease_until = ${NOW} + $3::float8
       WHERE id = ANY ($2::text[]) AND ${HELD}
       RETURNING id`,
      [worker, runIds, leaseMs],
    );
    const renewed = new Set(rows.map((row) => row.id));
    return runIds.filter((id) => renewed.has(id));
  }

  async release(worker: string, runIds: readonly string[]): Promise<void> {
    await this.#pool.query(
      `UPDATE ${this.#runs}
       SET status = 'pending', owner = NULL, lease_until = NULL, updated_at = ${NOW}
       WHERE id = ANY ($2::text[]) AND ${HELD}`,
      [worker, runIds],
    );
  }
}
