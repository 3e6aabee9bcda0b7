/**
 * When a closed breaker opens: after so many failures in a row, or when the share of
 * failures among the calls of a recent window passes a rate (once enough calls were made
 * for the rate to mean something).
 */
import type { UnitInput } from '../core/units.js';
import { durationMs } from './policy.js';

export type OpensAfter =
  | { readonly consecutive: number }
  | {
      /** The share of failed calls, in (0, 1], that opens the breaker. */
      readonly rate: number;
      /** How far back calls count: ms, or a duration such as `'30s'`. */
      readonly window: UnitInput;
      /** Fewer calls than this in the window never open the breaker. */
      readonly minimumCalls: number;
    };

/** Counts the outcomes of a closed breaker's calls and says when it should open. */
export interface FailureCount {
  /** Records a call's outcome at `now`; true when the breaker should open. */
  record(failed: boolean, now: number): boolean;
  reset(): void;
}

export function failureCount(opensAfter: OpensAfter): FailureCount {
  return 'consecutive' in opensAfter ? consecutive(opensAfter.consecutive) : rate(opensAfter);
}

function consecutive(limit: number): FailureCount {
  let failures = 0;
  return {
    record(failed) {
      failures = failed ? failures + 1 : 0;
      return failures >= limit;
    },
    reset() {
      failures = 0;
    },
  };
}

function rate(options: Extract<OpensAfter, { rate: number }>): FailureCount {
  const windowMs = durationMs(options.window, 'circuit breaker window');
  // Each call's time and outcome; the ones older than the window are dropped as calls come.
  let calls: Array<{ readonly at: number; readonly failed: boolean }> = [];
  return {
    record(failed, now) {
      calls = calls.filter((call) => call.at > now - windowMs);
      calls.push({ at: now, failed });
      // Only a failure opens the breaker: a success that lands in a bad window is still one.
      if (!failed || calls.length < options.minimumCalls) return false;
      const failures = calls.filter((call) => call.failed).length;
      return failures / calls.length >= options.rate;
    },
    reset() {
      calls = [];
    },
  };
}
