/**
 * The restart circuit breaker (`restart.cooldown`): a process whose restart budget is spent
 * is not given up on for good, but tried once more after a cooldown (half-open). A try that
 * comes up closes the breaker and gives back the whole budget; a try that fails opens it
 * again for twice as long, up to `max_cooldown`.
 *
 * Only a spent budget trips it: the other ways to `failed` (policy `never` with a bad exit
 * code, a limit whose action is `stop`, a spawn error, a sandbox refusal, a failed
 * dependency) are a verdict or a config problem that waiting would not change.
 */
import { DEFAULTS } from '../defaults.js';
import type { RestartSpec } from './spec.js';

/** Where the breaker of one process stands; an immutable value that outlives runs. */
export type Breaker =
  /** The restart budget rules alone. */
  | { readonly position: 'closed' }
  /** `failed` by a spent budget, waiting `cooldownMs` for the next try. */
  | { readonly position: 'open'; readonly cooldownMs: number }
  /** The one run tried after `cooldownMs`: up closes the breaker, a failure reopens it. */
  | { readonly position: 'half-open'; readonly cooldownMs: number };

export const CLOSED_BREAKER: Breaker = { position: 'closed' };

/** How long a process waits before a try, and the breaker while it waits. */
export interface BreakerTrip {
  readonly cooldownMs: number;
  readonly breaker: Breaker;
}

/**
 * The wait after the budget is spent (or a half-open try failed), or `undefined` when
 * `spec` has no `cooldown`: `cooldown` the first time, then twice the last wait for each
 * half-open try that failed, capped at `max_cooldown`.
 */
export function tripBreaker(spec: RestartSpec, breaker: Breaker): BreakerTrip | undefined {
  if (spec.cooldownMs === undefined) return undefined;
  const cap = spec.maxCooldownMs ?? Math.max(DEFAULTS.maxCooldownMs, spec.cooldownMs);
  const cooldownMs =
    breaker.position === 'half-open'
      ? Math.min(breaker.cooldownMs * 2, cap)
      : Math.min(spec.cooldownMs, cap);
  return { cooldownMs, breaker: { position: 'open', cooldownMs } };
}

/** The breaker once its cooldown is over: the next run is the one try. */
export function halfOpen(breaker: Breaker): Breaker {
  return breaker.position === 'open'
    ? { position: 'half-open', cooldownMs: breaker.cooldownMs }
    : breaker;
}
