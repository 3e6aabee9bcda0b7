import { type Backoff, backoffAt, delayOf, exponentialBackoff } from '../backoff.js';
import { formatDuration } from '../units.js';
import { type Breaker, type BreakerTrip, CLOSED_BREAKER, tripBreaker } from './breaker.js';
import type { RestartSpec } from './spec.js';
import type { ExitInfo, RestartLedger } from './state.js';

/** What the restart policy says about an exit that nobody asked for. */
export type RestartDecision =
  | {
      readonly action: 'restart';
      readonly delayMs: number;
      /** The n-th policy restart within the current window (1-based). */
      readonly attempt: number;
      readonly ledger: RestartLedger;
    }
  | { readonly action: 'complete' }
  | {
      readonly action: 'fail';
      readonly reason: string;
      /** With `restart.cooldown`, after a spent budget: the breaker opens, for this long. */
      readonly retry?: BreakerTrip;
    };

/** True when the exit counts as success under `exitCodes`. A signal is never a success. */
export function isSuccessfulExit(spec: RestartSpec, exit: ExitInfo): boolean {
  return exit.code !== null && exit.signal === null && spec.exitCodes.includes(exit.code);
}

/** `exited with code 3`, `killed by SIGKILL`. */
export function describeExit(exit: ExitInfo): string {
  if (exit.signal !== null) return `killed by ${exit.signal}`;
  return `exited with code ${exit.code}`;
}

/**
 * Decides what follows an unexpected exit. `success` defaults to what the exit code says;
 * a run the supervisor ended itself (liveness, limits) passes `false`.
 *
 * - `never` completes on an accepted exit code and fails otherwise; `on-failure` completes on
 *   an accepted code and restarts otherwise; `always` restarts either way.
 * - At most `maxRestarts` restarts within the sliding `windowMs`; the exit after that fails
 *   the process with a reason saying so (and how the run ended, unless the supervisor
 *   ended it itself: its caller puts that cause first).
 * - A run shorter than `minUptimeMs` extends the streak of short runs: the n-th in a row
 *   waits `delayMs × factor^(n-1)`, capped at `maxDelayMs`. A run that lasted `minUptimeMs`
 *   resets the streak, and waits `delayMs`.
 * - With `cooldownMs` (the breaker, see `breaker.ts`), a spent budget fails the process with
 *   a `retry` after the cooldown; the exit of that one try (`breaker` half-open: it did not
 *   come up, or the breaker would be closed) fails it again at once, the cooldown doubled.
 */
export function decideRestart(
  spec: RestartSpec,
  ledger: RestartLedger,
  exit: ExitInfo,
  now: number,
  success: boolean = isSuccessfulExit(spec, exit),
  breaker: Breaker = CLOSED_BREAKER,
): RestartDecision {
  if (spec.policy === 'never' || (spec.policy === 'on-failure' && success)) {
    return success ? { action: 'complete' } : { action: 'fail', reason: describeExit(exit) };
  }

  if (breaker.position === 'half-open') {
    const reason = `not up after a cooldown of ${formatDuration(breaker.cooldownMs)}${howItEnded(exit)}`;
    return withRetry(reason, tripBreaker(spec, breaker));
  }

  const recent = ledger.recent.filter((at) => at > now - spec.windowMs);
  if (recent.length >= spec.maxRestarts) {
    const reason = `restart budget spent${howItEnded(exit)} after ${recent.length} restarts within ${formatDuration(spec.windowMs)}`;
    return withRetry(reason, tripBreaker(spec, breaker));
  }

  const shortRuns = exit.runMs < spec.minUptimeMs ? ledger.shortRuns + 1 : 0;
  const delayMs = backoffDelay(spec, shortRuns);
  const nextRecent = [...recent, now];
  return {
    action: 'restart',
    delayMs,
    attempt: nextRecent.length,
    ledger: { recent: nextRecent, shortRuns },
  };
}

/**
 * `: exited with code 1`; nothing for a run the supervisor ended itself (`exit.cause`),
 * whose reason goes first (`not ready within start_timeout 5s; …`): its signal was the
 * supervisor's own, and blaming it would hide why.
 */
function howItEnded(exit: ExitInfo): string {
  return exit.cause === undefined ? `: ${describeExit(exit)}` : '';
}

function withRetry(reason: string, retry: BreakerTrip | undefined): RestartDecision {
  return retry ? { action: 'fail', reason, retry } : { action: 'fail', reason };
}

/**
 * The restart backoff of `spec` after `shortRuns` short runs in a row: each short run is
 * one attempt, and a run that lasted `min_uptime` starts it over.
 */
export function restartBackoff(spec: RestartSpec, shortRuns: number): Backoff {
  const fresh = exponentialBackoff({
    initialMs: spec.delayMs,
    factor: spec.factor,
    maxMs: spec.maxDelayMs,
  });
  return backoffAt(fresh, shortRuns);
}

/** `delay × factor^(n-1)` for the n-th short run in a row, capped; `delay` when n is 0. */
export function backoffDelay(spec: RestartSpec, shortRuns: number): number {
  return delayOf(restartBackoff(spec, shortRuns));
}
