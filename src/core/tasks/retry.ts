/**
 * Whether a try of a task that did not succeed is followed by another, and after how long:
 * the task's own retry policy, on the core `Backoff`. Pure: the runner says how the try
 * ended, this says what follows.
 */
import { backoffAt, delayOf } from '../backoff.js';
import type { FinalTaskStatus, TaskRetrySpec } from './task.js';

/** How one try ended, as the runner saw it. */
export type TryEnd =
  /** It exited by itself: a code, or a signal it did not get from the supervisor. */
  | { readonly kind: 'exited'; readonly code: number | null; readonly signal: string | null }
  /** The supervisor ended it: a limit whose action ends the run, `retryable` unless that action is `stop`. */
  | { readonly kind: 'ended'; readonly reason: string; readonly retryable: boolean }
  /** It ran past the task's timeout and was stopped. */
  | { readonly kind: 'timed_out' }
  /** It was cancelled, queued or running. */
  | { readonly kind: 'cancelled'; readonly reason: string }
  /** The sandbox refused it: nothing was spawned. */
  | { readonly kind: 'refused'; readonly reason: string }
  /** The OS could not start it. */
  | { readonly kind: 'spawn-failed'; readonly reason: string };

export type TryVerdict =
  | { readonly next: 'retry'; readonly delayMs: number; readonly reason: string }
  | { readonly next: 'end'; readonly status: FinalTaskStatus; readonly reason: string | null };

/**
 * What follows try number `attempt` (1 for the first) that ended as `end`. `successCodes`:
 * the exit codes that count as success.
 */
export function judgeTry(
  retry: TaskRetrySpec,
  successCodes: readonly number[],
  attempt: number,
  end: TryEnd,
  timeoutMs?: number,
): TryVerdict {
  const outcome = outcomeOf(retry, successCodes, end, timeoutMs);
  if (outcome.status === 'succeeded') return { next: 'end', status: 'succeeded', reason: null };
  if (!outcome.retryable || attempt >= retry.attempts) {
    const spent = outcome.retryable && retry.attempts > 1 ? ` (after ${attempt} attempts)` : '';
    return { next: 'end', status: outcome.status, reason: `${outcome.reason}${spent}` };
  }
  const delayMs = delayOf(backoffAt({ policy: retry.backoff, attempt: 0 }, attempt));
  return {
    next: 'retry',
    delayMs,
    reason: `${outcome.reason}; attempt ${attempt + 1} of ${retry.attempts} in ${delayMs} ms`,
  };
}

interface Outcome {
  readonly status: FinalTaskStatus;
  readonly reason: string;
  readonly retryable: boolean;
}

function outcomeOf(
  retry: TaskRetrySpec,
  successCodes: readonly number[],
  end: TryEnd,
  timeoutMs: number | undefined,
): Outcome {
  switch (end.kind) {
    case 'exited': {
      if (end.signal !== null) {
        const retryable = retry.signals === undefined || retry.signals.includes(end.signal);
        return { status: 'failed', reason: `killed by ${end.signal}`, retryable };
      }
      const code = end.code ?? 0;
      if (successCodes.includes(code)) return { status: 'succeeded', reason: '', retryable: false };
      const retryable = retry.exitCodes === undefined || retry.exitCodes.includes(code);
      return { status: 'failed', reason: `exited with code ${code}`, retryable };
    }
    case 'ended':
      return { status: 'failed', reason: end.reason, retryable: end.retryable };
    case 'timed_out':
      return {
        status: 'timed_out',
        reason: timeoutMs === undefined ? 'timed out' : `timed out after ${timeoutMs} ms`,
        retryable: retry.onTimeout,
      };
    case 'cancelled':
      return { status: 'cancelled', reason: end.reason, retryable: false };
    case 'refused':
      return { status: 'refused', reason: end.reason, retryable: false };
    case 'spawn-failed':
      return { status: 'failed', reason: end.reason, retryable: false };
  }
}
