/**
 * What a workflow run can fail with, typed so a caller can tell them apart, and the
 * signals the engine uses inside an execution to stop it short without failing the run.
 */
import type { StoredError } from '../core/workflows/records.js';

/** `result()` of a run that failed: `error` is why, as stored. */
export class WorkflowFailedError extends Error {
  override readonly name = 'WorkflowFailedError';

  constructor(
    readonly runId: string,
    readonly error: StoredError,
  ) {
    super(`workflow run ${runId} failed: ${error.message}`);
  }
}

/**
 * A resumed run called its steps in another order, or by other names, than the run before
 * recorded: the recorded results cannot be trusted to mean the same, so the run fails.
 */
export class NonDeterminismError extends Error {
  override readonly name = 'NonDeterminismError';

  constructor(index: number, recorded: string, called: string) {
    super(
      `non-determinism at step ${index}: the run recorded ${recorded} there, but now calls ${called}; ` +
        'a workflow must call the same steps in the same order on every run',
    );
  }
}

/** A step out of attempts: the run fails and a dead letter is filed. */
export class StepFailedError extends Error {
  override readonly name = 'StepFailedError';

  constructor(
    readonly step: string,
    readonly index: number,
    readonly attempts: number,
    override readonly cause: unknown,
  ) {
    super(
      `step ${step} failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${messageOf(cause)}`,
    );
  }
}

/** An execution stopped before its end: the run sleeps, was let go, or was taken over. */
export class Interrupted extends Error {
  override readonly name = 'Interrupted';

  constructor(readonly why: 'sleeping' | 'stopping' | 'lease lost') {
    super(`workflow execution interrupted: ${why}`);
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `error` as the store keeps it. */
export function storedError(error: unknown): StoredError {
  if (error instanceof Error) {
    return { name: error.name, message: error.message, ...(error.stack && { stack: error.stack }) };
  }
  return { name: 'Error', message: String(error) };
}
