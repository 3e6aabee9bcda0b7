/**
 * Backoff as an immutable value: how long to wait before the next attempt of something
 * that keeps failing. Restarts use it today; retries and workflow steps are meant to use
 * the same value. `next()` returns a new value, so a backoff can live in state, be compared
 * in tests and be persisted (`nextBackoff`); nothing here reads a clock or draws a random number unless
 * the caller hands it a random source.
 */

/**
 * How the computed delay is spread, as data. `none` waits exactly the computed delay. The
 * randomized strategies that retries need (full, decorrelated) join this union; they take
 * their random numbers from the `RandomSource` the caller passes to `delayOf`.
 */
export type Jitter = { readonly kind: 'none' };

/** Returns a number in [0, 1), as `Math.random` does: injected so tests can fix it. */
export type RandomSource = () => number;

/** The shape of an exponential backoff: everything but how far along it is. */
export interface BackoffPolicy {
  /** The delay of the first attempt, in ms. */
  readonly initialMs: number;
  /** What each further attempt multiplies the delay by (1: a constant delay). */
  readonly factor: number;
  /** No delay exceeds this, in ms. */
  readonly maxMs: number;
  readonly jitter: Jitter;
}

/** A backoff policy and how many attempts in a row it has counted so far. */
export interface Backoff {
  readonly policy: BackoffPolicy;
  /** Attempts counted so far; 0 for a fresh backoff. */
  readonly attempt: number;
}

/** No jitter: the delay is exactly `initial × factor^(n-1)`, capped. */
export const NO_JITTER: Jitter = { kind: 'none' };

/** A fresh exponential backoff (no attempt counted yet); jitter defaults to none. */
export function exponentialBackoff(
  policy: Omit<BackoffPolicy, 'jitter'> & { readonly jitter?: Jitter },
): Backoff {
  return { policy: { jitter: NO_JITTER, ...policy }, attempt: 0 };
}

/** The same backoff, one more attempt along. */
export function nextBackoff(backoff: Backoff): Backoff {
  return { ...backoff, attempt: backoff.attempt + 1 };
}

/** The same backoff, as if no attempt had been counted. */
export function resetBackoff(backoff: Backoff): Backoff {
  return { ...backoff, attempt: 0 };
}

/** The same backoff, `attempt` attempts along. */
export function backoffAt(backoff: Backoff, attempt: number): Backoff {
  return { ...backoff, attempt };
}

/**
 * How long to wait before the attempt this backoff has counted up to: `initial ×
 * factor^(n-1)` for the n-th attempt, capped at `maxMs`; a fresh backoff (n = 0) waits
 * `initial`, as the first attempt does. `random` is only read by randomized jitters.
 */
export function delayOf(backoff: Backoff, random?: RandomSource): number {
  const { initialMs, factor, maxMs, jitter } = backoff.policy;
  const exponent = Math.max(0, backoff.attempt - 1);
  const computed = Math.min(initialMs * factor ** exponent, maxMs);
  return spread(jitter, computed, random);
}

/** The delay once `jitter` has spread it. */
function spread(jitter: Jitter, delayMs: number, _random: RandomSource | undefined): number {
  switch (jitter.kind) {
    case 'none':
      return delayMs;
  }
}
