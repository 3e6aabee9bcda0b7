/**
 * Rows of the workflow tables as records, keys whose column is NULL left out. jsonb is
 * selected as its text, so that any pool's type parsers read it alike and JSON null stays
 * apart from SQL NULL (pg parses both to null), and a value that is absent stays absent.
 * Times are double precision columns, which pg reads as numbers.
 */
import type {
  DeadLetter,
  Json,
  RunStatus,
  StepRecord,
  StoredError,
  WorkflowRun,
} from '../../core/workflows/records.js';

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

export interface RunRow {
  seq: number;
  id: string;
  workflow: string;
  status: RunStatus;
  input: string | null;
  output: string | null;
  error: string | null;
  created_at: number;
  updated_at: number;
  owner: string | null;
  lease_until: number | null;
  wake_at: number | null;
  step_failures: string;
}

interface StepRow {
  run_id: string;
  step_index: number;
  name: string;
  kind: StepRecord['kind'];
  output: string | null;
  wake_at: number | null;
  attempts: number;
  started_at: number;
  finished_at: number;
}

interface LetterRow {
  id: string;
  run_id: string;
  workflow: string;
  step: string;
  step_index: number;
  input: string | null;
  error: string;
  attempts: number;
  failed_at: number;
}

/** A JSON value as a query parameter for `$n::jsonb`: SQL NULL for a value that is absent. */
export function jsonParameter(value: Json | undefined): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

export function runOf(row: RunRow): WorkflowRun {
  return {
    id: row.id,
    workflow: row.workflow,
    status: row.status,
    input: inputOf(row.input),
    ...(row.output !== null && { output: JSON.parse(row.output) as Json }),
    ...(row.error !== null && { error: JSON.parse(row.error) as StoredError }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.owner !== null && { owner: row.owner }),
    ...(row.lease_until !== null && { leaseUntil: row.lease_until }),
    ...(row.wake_at !== null && { wakeAt: row.wake_at }),
    stepFailures: JSON.parse(row.step_failures) as Record<string, number>,
  };
}

export function stepOf(row: StepRow): StepRecord {
  return {
    runId: row.run_id,
    index: row.step_index,
    name: row.name,
    kind: row.kind,
    ...(row.output !== null && { output: JSON.parse(row.output) as Json }),
    ...(row.wake_at !== null && { wakeAt: row.wake_at }),
    attempts: row.attempts,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

export function letterOf(row: LetterRow): DeadLetter {
  return {
    id: row.id,
    runId: row.run_id,
    workflow: row.workflow,
    step: row.step,
    stepIndex: row.step_index,
    input: inputOf(row.input),
    error: JSON.parse(row.error) as StoredError,
    attempts: row.attempts,
    failedAt: row.failed_at,
  };
}

/** SQL NULL for an input that was undefined, which JSON cannot hold. */
function inputOf(text: string | null): Json {
  return text === null ? (undefined as unknown as Json) : (JSON.parse(text) as Json);
}
