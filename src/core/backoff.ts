/**
 * Backoff as an immutable value: how long to wait before the next attempt of something
 * that keeps failing. Restarts use it today; retries and workflow steps are meant to use
 * the same value. `next()` returns a new value, so a backoff can live in state, be compared
 * in tests and be persisted (`nextBackoff`); nothing here reads a clock or draws a random number unless
 * the caller hands it a random source.
 */

/**
 * How the computed delay is spread, as data. `none` waits exactly the computed delay (what
 * restarts use). The randomized strategies spread retries of many callers apart; they take
 * their random numbers from the `RandomSource` the caller passes to `delayOf`:
 * - `full` waits a random delay in [0, computed);
 * - `decorrelated` waits a random delay in [initial, min(max, 3 × previous delay)], the
 *   previous delay being the one the caller waited last (initial before the first). It
 *   ignores `factor`: the growth comes from the ×3 bound.
 */
export type Jitter =
  | { readonly kind: 'none' }
  | { readonly kind: 'full' }
  | { readonly kind: 'decorrelated' };

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

/** Full jitter: a random delay between 0 and the computed one. */
export const FULL_JITTER: Jitter = { kind: 'full' };

/** Decorrelated jitter: a random delay between initial and three times the previous one. */
export const DECORRELATED_JITTER: Jitter = { kind: 'decorrelated' };

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
 * `initial`, as the first attempt does. `random` is only read by randomized jitters,
 * which refuse to run without one (core draws no random number of its own); `previousDelayMs` only by `decorrelated`, which needs
 * the delay last waited and would otherwise start again from `initial`.
 */
export function delayOf(backoff: Backoff, random?: RandomSource, previousDelayMs?: number): number {
  const { initialMs, factor, maxMs, jitter } = backoff.policy;
  const exponent = Math.max(0, backoff.attempt - 1);
  const computed = Math.min(initialMs * factor ** exponent, maxMs);
  switch (jitter.kind) {
    case 'none':
      return computed;
    case 'full':
      return drawFrom(random) * computed;
    case 'decorrelated': {
      const upper = Math.min(maxMs, 3 * (previousDelayMs ?? initialMs));
      const lower = Math.min(initialMs, upper);
      return lower + drawFrom(random) * (upper - lower);
    }
  }
}

/** A number from `random`, which a randomized jitter cannot do without. */
function drawFrom(random: RandomSource | undefined): number {
  if (!random) throw new Error('a randomized jitter needs a random source');
  return random();
}
