/**
 * The columns of the workflow tables as the shared row mapping (../workflow-rows.ts)
 * reads them: jsonb selected as its text, so that any pool's type parsers read it alike
 * and JSON null stays apart from SQL NULL (pg parses both to null). Times are double
 * precision columns, which pg reads as numbers.
 */

/** The run columns, read from table `alias`; `seq` (bigint) as float8, a number too. */
export function runColumns(alias: string): string {
  return `${alias}.seq::float8 AS seq, ${alias}.id, ${alias}.workflow, ${alias}.status,
    ${alias}.input::text AS input, ${alias}.output::text AS output, ${alias}.error::text AS error,
    ${alias}.created_at, ${alias}.updated_at, ${alias}.owner, ${alias}.lease_until,
    ${alias}.wake_at, ${alias}.step_failures::text AS step_failures`;
}

export const STEP_COLUMNS = `run_id, step_index, name, kind, output::text AS output,
  wake_at, attempts, started_at, finished_at`;

export const LETTER_COLUMNS = `id, run_id, workflow, step, step_index, input::text AS input,
  error::text AS error, attempts, failed_at`;
