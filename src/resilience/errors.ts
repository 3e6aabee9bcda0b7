/**
 * The errors the policies reject with, typed so a caller can tell a refusal of the policy
 * from a failure of the work itself.
 */

/** A circuit breaker refused the call: it is open until `retryAt` (ms since the epoch). */
export class BreakerOpenError extends Error {
  override readonly name = 'BreakerOpenError';

  constructor(
    readonly breaker: string,
    readonly retryAt: number,
  ) {
    super(`circuit breaker ${breaker} is open until ${new Date(retryAt).toISOString()}`);
  }
}

/** The work ran past its deadline. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';

  constructor(readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
  }
}

/** A bulkhead had no free slot and no room left in its queue. */
export class BulkheadFullError extends Error {
  override readonly name = 'BulkheadFullError';

  constructor(
    readonly limit: number,
    readonly queue: number,
  ) {
    super(`bulkhead full: ${limit} running and ${queue} queued`);
  }
}

/** What a call rejects with when its caller aborted it: the signal's reason. */
export function abortErrorOf(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}
