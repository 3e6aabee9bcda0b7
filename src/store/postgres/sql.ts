/** SQL that the PostgreSQL workflow store's statements share. */

/** The database's clock in ms, as one value through a statement (`now()` is fixed in it). */
export const NOW = '(floor(extract(epoch FROM now()) * 1000)::float8)';

/** That `$1`, the worker, holds the run: running, its owner, its lease not ended. */
export const HELD = `status = 'running' AND owner = $1 AND lease_until > ${NOW}`;

/** The store's tables, each named in its quoted schema. */
export interface Tables {
  readonly runs: string;
  readonly steps: string;
  readonly letters: string;
}

export function tablesIn(schema: string): Tables {
  return {
    runs: `${schema}.workflow_runs`,
    steps: `${schema}.workflow_steps`,
    letters: `${schema}.workflow_dead_letters`,
  };
}
