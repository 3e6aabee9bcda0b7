/**
 * The workflow tables in their schema, one migration per version: `MIGRATIONS[n]` takes the
 * schema from version n to n + 1, recorded in `overseer_migrations`. Released migrations
 * are never edited, only appended to.
 */

import type { Pool } from 'pg';
import { OverseerError } from '../../core/errors.js';

/** Each takes the quoted schema name. */
export const MIGRATIONS: ReadonlyArray<(schema: string) => string> = [
  (s) => `
  CREATE TABLE ${s}.workflow_runs (
    id text PRIMARY KEY,
    -- Creation order: runs made in one ms are claimed and listed as they were made.
    seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    workflow text NOT NULL,
    status text NOT NULL
      CHECK (status IN ('pending', 'running', 'sleeping', 'completed', 'failed')),
    -- SQL NULL is a value that is absent; JSON null is stored as jsonb 'null'.
    -- Times are ms since the epoch as JavaScript holds them: a double, fractions kept.
    input jsonb,
    output jsonb,
    error jsonb,
    created_at double precision NOT NULL,
    updated_at double precision NOT NULL,
    owner text,
    lease_until double precision,
    wake_at double precision,
    step_failures jsonb NOT NULL DEFAULT '{}'
  );
  CREATE INDEX workflow_runs_unfinished ON ${s}.workflow_runs (seq)
    WHERE status IN ('pending', 'running', 'sleeping');
  CREATE INDEX workflow_runs_by_workflow ON ${s}.workflow_runs (workflow, seq);

  CREATE TABLE ${s}.workflow_steps (
    run_id text NOT NULL REFERENCES ${s}.workflow_runs (id) ON DELETE CASCADE,
    step_index integer NOT NULL,
    name text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('step', 'sleep')),
    output jsonb,
    wake_at double precision,
    attempts integer NOT NULL,
    started_at double precision NOT NULL,
    finished_at double precision NOT NULL,
    PRIMARY KEY (run_id, step_index)
  );

  CREATE TABLE ${s}.workflow_dead_letters (
    id text PRIMARY KEY DEFAULT gen_random_uuid()::text,
    seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    run_id text NOT NULL REFERENCES ${s}.workflow_runs (id) ON DELETE CASCADE,
    workflow text NOT NULL,
    step text NOT NULL,
    step_index integer NOT NULL,
    input jsonb,
    error jsonb NOT NULL,
    attempts integer NOT NULL,
    failed_at double precision NOT NULL
  );
  CREATE INDEX workflow_dead_letters_by_workflow ON ${s}.workflow_dead_letters (workflow, seq);
  `,
  // What a watcher polls: the runs changed since a time, in the order they changed.
  (s) => `
  CREATE INDEX workflow_runs_by_update ON ${s}.workflow_runs (updated_at, seq);
  `,
];

/**
 * Brings the schema up to date in one transaction, under an advisory lock on its name:
 * workers that start at once wait for the first to migrate, then find nothing to do.
 * Throws `INVALID_STATE` for a schema migrated by a newer overseer.
 */
export async function migrate(pool: Pool, schema: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `overseer.workflows:${schema}`,
    ]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.overseer_migrations (
         version integer PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await client.query<{ version: number }>(
      `SELECT coalesce(max(version), 0) AS version FROM ${schema}.overseer_migrations`,
    );
    const current = rows[0]!.version;
    if (current > MIGRATIONS.length) {
      throw new OverseerError(
        'INVALID_STATE',
        `PostgreSQL schema ${schema} has version ${current}, newer than this overseer knows (${MIGRATIONS.length}): upgrade overseer`,
      );
    }
    for (let version = current; version < MIGRATIONS.length; version += 1) {
      await client.query(MIGRATIONS[version]!(schema));
      await client.query(`INSERT INTO ${schema}.overseer_migrations (version) VALUES ($1)`, [
        version + 1,
      ]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
