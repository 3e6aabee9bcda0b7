/**
 * What a `ResilientExecutor` call gives back instead of throwing: the value or the error,
 * and how the call went, so that a caller can branch on `success` and still log the rest.
 */
import type { BreakerState } from './breaker-state.js';

/** How a call went, whatever its outcome. */
export interface ExecutionFacts {
  /** How many times the work ran: 0 when it was refused before running (breaker, bulkhead). */
  readonly attempts: number;
  /** From the call to its answer, fallback included, in ms. */
  readonly durationMs: number;
  /** The executor's breaker after the call, when it has one. */
  readonly breaker?: { readonly name: string; readonly state: BreakerState };
}

export type ExecutionResult<T, F = never> =
  /** The work succeeded (after `attempts` tries). */
  | (ExecutionFacts & { readonly success: true; readonly data: T; readonly usedFallback: false })
  /** The work failed with `error`, and the fallback answered `data` in its place. */
  | (ExecutionFacts & {
      readonly success: true;
      readonly data: F;
      readonly usedFallback: true;
      readonly error: Error;
    })
  /**
   * The work failed with `error` (its last failure), or was refused before it ran (a
   * `BreakerOpenError` or `BulkheadFullError`), or the caller aborted it; unanswered.
   */
  | (ExecutionFacts & {
      readonly success: false;
      readonly error: Error;
      readonly usedFallback: false;
    });

/** `thrown` as an `Error`: a thrown string or object is wrapped, kept as the `cause`. */
export function asError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  return new Error(typeof thrown === 'string' ? thrown : `non-error thrown: ${String(thrown)}`, {
    cause: thrown,
  });
}
