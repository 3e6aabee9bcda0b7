/**
 * Retry: runs work again while it fails, waiting a core `Backoff` between attempts. Our own
 * code rather than cockatiel's retry: the delays come from the same `Backoff` value as
 * restarts, and `retryOn` judges results as well as errors.
 */
import {
  type Backoff,
  backoffAt,
  DECORRELATED_JITTER,
  delayOf,
  exponentialBackoff,
  type RandomSource,
} from '../core/backoff.js';
import type { Disposer } from '../core/subscription.js';
import { abortableDelay } from './abortable-delay.js';
import { abortErrorOf } from './errors.js';
import { Listeners, type PolicyListener } from './listeners.js';
import { NEVER_ABORTED, type Policy, type Work } from './policy.js';

/** How an attempt ended, as `retryOn` judges it. */
export type AttemptOutcome<T = unknown> =
  | { readonly error: unknown; readonly result?: never }
  | { readonly result: T; readonly error?: never };

export interface RetryOptions {
  /** How many attempts in all, the first included (1: no retry). */
  readonly attempts: number;
  /** The waits between attempts; exponential with decorrelated jitter if not given. */
  readonly backoff?: Backoff;
  /** Whether an attempt that ended so is tried again; by default every error, no result. */
  readonly retryOn?: (outcome: AttemptOutcome) => boolean;
  /** Where the jitter draws from; `Math.random` if not given. */
  readonly random?: RandomSource;
}

/** An attempt that will be tried again, after `delayMs`. */
export interface RetryEvent {
  /** The attempt that just ended (1 for the first). */
  readonly attempt: number;
  readonly delayMs: number;
  readonly outcome: AttemptOutcome;
}

/** Retries give up after this many attempts: the last outcome stands. */
export interface GiveUpEvent {
  readonly attempts: number;
  readonly outcome: AttemptOutcome;
}

export interface RetryPolicy extends Policy {
  /** How many attempts in all, as given: what a log of the retries counts against. */
  readonly attempts: number;
  /** Before each wait for another attempt. */
  onRetry(listener: PolicyListener<RetryEvent>): Disposer;
  /** When the last attempt allowed failed too. */
  onGiveUp(listener: PolicyListener<GiveUpEvent>): Disposer;
}

/** 100 ms, then up to three times the previous wait, never more than 10 s. */
export const DEFAULT_RETRY_BACKOFF: Backoff = exponentialBackoff({
  initialMs: 100,
  factor: 2,
  maxMs: 10_000,
  jitter: DECORRELATED_JITTER,
});

const RETRY_ERRORS = (outcome: AttemptOutcome) => 'error' in outcome;

export function retry(options: RetryOptions): RetryPolicy {
  if (!Number.isInteger(options.attempts) || options.attempts < 1) {
    throw new RangeError(`retry: attempts must be a whole number of at least 1`);
  }
  const backoff = options.backoff ?? DEFAULT_RETRY_BACKOFF;
  const retryOn = options.retryOn ?? RETRY_ERRORS;
  const random = options.random ?? Math.random;
  const retries = new Listeners<RetryEvent>();
  const giveUps = new Listeners<GiveUpEvent>();

  return {
    async execute<T>(fn: Work<T>, signal: AbortSignal = NEVER_ABORTED): Promise<T> {
      let previousDelayMs: number | undefined;
      for (let attempt = 1; ; attempt++) {
        if (signal.aborted) throw abortErrorOf(signal);
        const outcome = await settle(() => fn({ signal, attempt }));
        // An attempt the caller aborted is not tried again, whatever retryOn says.
        const again = !signal.aborted && retryOn(outcome);
        if (!again) return unwrap(outcome);
        if (attempt >= options.attempts) {
          giveUps.emit({ attempts: attempt, outcome });
          return unwrap(outcome);
        }
        const delayMs = delayOf(backoffAt(backoff, attempt), random, previousDelayMs);
        previousDelayMs = delayMs;
        retries.emit({ attempt, delayMs, outcome });
        await abortableDelay(delayMs, signal);
      }
    },
    attempts: options.attempts,
    onRetry: (listener) => retries.add(listener),
    onGiveUp: (listener) => giveUps.add(listener),
  };
}

async function settle<T>(fn: () => PromiseLike<T> | T): Promise<AttemptOutcome<T>> {
  try {
    return { result: await fn() };
  } catch (error) {
    return { error };
  }
}

function unwrap<T>(outcome: AttemptOutcome<T>): T {
  if ('error' in outcome) throw outcome.error;
  return outcome.result as T;
}
