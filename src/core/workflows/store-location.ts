/**
 * How a worker finds the store of its project: the supervisor names it in the environment
 * of every process it starts, and `new Workflows()` reads it there.
 */

/** A SQLite file path or a `postgres://` URL. */
export const WORKFLOWS_STORE_VARIABLE = 'OVERSEER_WORKFLOWS_STORE';

/** The PostgreSQL schema of that store, when it is not the default. */
export const WORKFLOWS_SCHEMA_VARIABLE = 'OVERSEER_WORKFLOWS_SCHEMA';

/** Whether a store location is a PostgreSQL connection URL (else a SQLite file path). */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//.test(location);
}
