/**
 * The leases on runs in the workflow store file: claimed, renewed and let go, each one
 * transaction holding the write lock, so that two processes never claim one run.
 */
import type { ClaimOptions } from '../../core/workflows/workflow-store.js';
import { type RunRow, runFromRow } from '../workflow-rows.js';
import type { Statements } from './statements.js';

/** A run `@worker` holds at `@now`: what every fenced write asks first. */
export const HELD = "status = 'running' AND owner = @worker AND lease_until > @now";

/** A list bound as one JSON array parameter, so that one statement takes any length. */
export const IN_LIST = (column: string, parameter: string) =>
  `${column} IN (SELECT value FROM json_each(@${parameter}))`;

export class SqliteLeases {
  readonly #statements: Statements;
  readonly #clock: () => number;

  constructor(statements: Statements, clock: () => number) {
    this.#statements = statements;
    this.#clock = clock;
  }

  claim(worker: string, options: ClaimOptions) {
    // Without statistics (never gathered) the planner would walk every run of a workflow,
    // finished ones too, rather than the index of the unfinished; one run is found by id.
    const index = options.runId === undefined ? 'INDEXED BY runs_claimable' : '';
    const which = [
      options.runId !== undefined && 'id = @runId',
      options.workflows !== undefined && IN_LIST('workflow', 'workflows'),
    ].filter(Boolean);
    return this.#statements.write(() => {
      const now = this.#clock();
      const rows = this.#statements
        .sql(
          `UPDATE runs SET status = 'running', owner = @worker, lease_until = @leaseUntil,
           wake_at = NULL, updated_at = @now
         WHERE seq IN (
           SELECT seq FROM runs ${index}
           WHERE status IN ('pending', 'running', 'sleeping')
             AND (status = 'pending'
               OR (status = 'sleeping' AND wake_at <= @now)
               OR (status = 'running' AND lease_until <= @now))
             ${which.map((condition) => `AND ${condition}`).join(' ')}
           ORDER BY seq LIMIT @limit)
         RETURNING *`,
        )
        .all({
          worker,
          now,
          leaseUntil: now + options.leaseMs,
          limit: options.limit,
          ...(options.runId !== undefined && { runId: options.runId }),
          ...(options.workflows !== undefined && { workflows: JSON.stringify(options.workflows) }),
        }) as RunRow[];
      // RETURNING follows no ORDER BY: oldest first again.
      return rows.sort((a, b) => a.seq - b.seq).map(runFromRow);
    });
  }

  renew(worker: string, runIds: readonly string[], leaseMs: number) {
    return this.#statements.write(() => {
      const now = this.#clock();
      const rows = this.#statements
        .sql(
          `UPDATE runs SET lease_until = @leaseUntil
         WHERE ${IN_LIST('id', 'ids')} AND ${HELD} RETURNING id`,
        )
        .all({ worker, now, leaseUntil: now + leaseMs, ids: JSON.stringify(runIds) }) as Array<{
        id: string;
      }>;
      const renewed = new Set(rows.map((row) => row.id));
      return runIds.filter((id) => renewed.has(id));
    });
  }

  release(worker: string, runIds: readonly string[]) {
    this.#statements.write(() =>
      this.#statements
        .sql(
          `UPDATE runs SET status = 'pending', owner = NULL, lease_until = NULL, updated_at = @now
         WHERE ${IN_LIST('id', 'ids')} AND ${HELD}`,
        )
        .run({ worker, now: this.#clock(), ids: JSON.stringify(runIds) }),
    );
  }
}
