/**
 * Workflow runs, steps and dead letters as the HTTP API and the CLI show them: every time
 * an ISO-8601 string (as the rest of the API writes them), every field always there (null
 * when it does not apply) but an output, whose absence is not the JSON `null` a function
 * may return.
 */
import type {
  DeadLetter,
  Json,
  RunStatus,
  StepRecord,
  StoredError,
  WorkflowRun,
} from './records.js';

export interface RunView {
  readonly id: string;
  readonly workflow: string;
  readonly status: RunStatus;
  readonly input: Json;
  readonly output?: Json;
  readonly error: StoredError | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly owner: string | null;
  readonly leaseUntil: string | null;
  readonly wakeAt: string | null;
  /** Steps (and sleeps) recorded: what a resume will not run again. */
  readonly stepsDone: number;
  /** Failed attempts of its steps, all together (`stepFailures` by name). */
  readonly failures: number;
  readonly stepFailures: Readonly<Record<string, number>>;
}

export interface StepView {
  readonly index: number;
  readonly name: string;
  readonly kind: 'step' | 'sleep';
  readonly output?: Json;
  readonly wakeAt: string | null;
  readonly attempts: number;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
}

export interface DeadLetterView {
  readonly id: string;
  readonly runId: string;
  readonly workflow: string;
  readonly step: string;
  readonly stepIndex: number;
  readonly input: Json;
  readonly error: StoredError;
  readonly attempts: number;
  readonly failedAt: string;
}

/** A run with what happened in it: `GET /workflows/:id`. */
export interface RunDetailsView {
  readonly run: RunView;
  readonly steps: readonly StepView[];
  readonly deadLetters: readonly DeadLetterView[];
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

function isoOrNull(ms: number | undefined): string | null {
  return ms === undefined ? null : isoTime(ms);
}

/** `run` as shown, with how many of its steps are recorded. */
export function runView(run: WorkflowRun, stepsDone: number): RunView {
  return {
    id: run.id,
    workflow: run.workflow,
    status: run.status,
    input: run.input,
    ...(run.output !== undefined && { output: run.output }),
    error: run.error ?? null,
    createdAt: isoTime(run.createdAt),
    updatedAt: isoTime(run.updatedAt),
    owner: run.owner ?? null,
    leaseUntil: isoOrNull(run.leaseUntil),
    wakeAt: isoOrNull(run.wakeAt),
    stepsDone,
    failures: Object.values(run.stepFailures).reduce((sum, count) => sum + count, 0),
    stepFailures: run.stepFailures,
  };
}

export function stepView(step: StepRecord): StepView {
  return {
    index: step.index,
    name: step.name,
    kind: step.kind,
    ...(step.output !== undefined && { output: step.output }),
    wakeAt: isoOrNull(step.wakeAt),
    attempts: step.attempts,
    startedAt: isoTime(step.startedAt),
    finishedAt: isoTime(step.finishedAt),
    durationMs: step.finishedAt - step.startedAt,
  };
}

export function deadLetterView(letter: DeadLetter): DeadLetterView {
  return {
    id: letter.id,
    runId: letter.runId,
    workflow: letter.workflow,
    step: letter.step,
    stepIndex: letter.stepIndex,
    input: letter.input,
    error: letter.error,
    attempts: letter.attempts,
    failedAt: isoTime(letter.failedAt),
  };
}
