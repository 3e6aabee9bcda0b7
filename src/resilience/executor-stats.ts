/**
 * What an executor has seen: its calls by how they ended, and the retries and timeouts
 * along the way. Counted for `stats()` and the metrics, never reset.
 */
import { BreakerOpenError, BulkheadFullError } from './errors.js';

/** How a call ended, for counting: a fallback answer counts by the failure it answered. */
export type CallOutcome = 'success' | 'failure' | 'rejected' | 'aborted';

export const CALL_OUTCOMES: readonly CallOutcome[] = ['success', 'failure', 'rejected', 'aborted'];

export interface ExecutorStats {
  readonly name: string;
  /** Calls by how they ended: `rejected` by a breaker or bulkhead, `aborted` by the caller. */
  readonly calls: Readonly<Record<CallOutcome, number>>;
  /** Failed or refused calls the fallback answered. */
  readonly fallbacks: number;
  /** Attempts tried again. */
  readonly retries: number;
  /** Attempts that ran past their deadline. */
  readonly timeouts: number;
  /** Calls its bulkhead refused, full (part of `calls.rejected`). */
  readonly bulkheadRejections: number;
}

/** The counts of one executor, shared by every view of it. */
export class ExecutorCounters {
  readonly calls: Record<CallOutcome, number> = { success: 0, failure: 0, rejected: 0, aborted: 0 };
  fallbacks = 0;
  retries = 0;
  timeouts = 0;
  bulkheadRejections = 0;

  constructor(readonly name: string) {}

  snapshot(): ExecutorStats {
    const { name, fallbacks, retries, timeouts, bulkheadRejections } = this;
    return { name, calls: { ...this.calls }, fallbacks, retries, timeouts, bulkheadRejections };
  }
}

/** Whether `error` is a policy's refusal to run the work, rather than the work's failure. */
export function isRefusal(error: unknown): boolean {
  return error instanceof BreakerOpenError || error instanceof BulkheadFullError;
}
