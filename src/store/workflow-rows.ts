/**
 * Rows of the workflow tables as records and back, the same in SQLite and PostgreSQL (which
 * selects its jsonb as text, so that JSON null stays apart from SQL NULL): JSON as text,
 * SQL NULL as a field left out (a record never carries a key whose value is undefined).
 */
import type {
  DeadLetter,
  Json,
  RunStatus,
  StepRecord,
  StoredError,
  WorkflowRun,
} from '../core/workflows/records.js';

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

export interface StepRow {
  run_id: string;
  step_index: number;
  name: string;
  kind: 'step' | 'sleep';
  output: string | null;
  wake_at: number | null;
  attempts: number;
  started_at: number;
  finished_at: number;
}

export interface DeadLetterRow {
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

/** A JSON value as stored; null for one absent. */
export function jsonText(value: Json | StoredError | undefined): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

export function runFromRow(row: RunRow): WorkflowRun {
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

export function stepToRow(step: StepRecord): StepRow {
  return {
    run_id: step.runId,
    step_index: step.index,
    name: step.name,
    kind: step.kind,
    output: jsonText(step.output),
    wake_at: step.wakeAt ?? null,
    attempts: step.attempts,
    started_at: step.startedAt,
    finished_at: step.finishedAt,
  };
}

export function stepFromRow(row: StepRow): StepRecord {
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

export function deadLetterFromRow(row: DeadLetterRow): DeadLetter {
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
