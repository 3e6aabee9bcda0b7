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
  // Each call's time and outcome, oldest first, from `first` on: the ones older than the
  // window are dropped as calls come. A busy breaker holds many calls in its window, so
  // dropping must not walk them all: while the clock never goes back the times are in
  // order and the old calls are all at the front.
  let calls: Array<{ readonly at: number; readonly failed: boolean }> = [];
  let first = 0;
  let failures = 0;
  let inOrder = true;

  const dropOlderThan = (since: number) => {
    if (!inOrder) {
      calls = calls.slice(first).filter((call) => call.at > since);
      first = 0;
      failures = calls.filter((call) => call.failed).length;
      inOrder = calls.every((call, index) => index === 0 || (calls[index - 1]?.at ?? 0) <= call.at);
      return;
    }
    for (let oldest = calls[first]; oldest && oldest.at <= since; oldest = calls[first]) {
      if (oldest.failed) failures--;
      first++;
    }
    // Compact once the dropped part is the larger, so the array stays within twice the window.
    if (first > 1024 && first * 2 > calls.length) {
      calls = calls.slice(first);
      first = 0;
    }
  };

  return {
    record(failed, now) {
      dropOlderThan(now - windowMs);
      const last = calls[calls.length - 1];
      if (first < calls.length && last && last.at > now) inOrder = false;
      calls.push({ at: now, failed });
      if (failed) failures++;
      // Only a failure opens the breaker: a success that lands in a bad window is still one.
      const count = calls.length - first;
      if (!failed || count < options.minimumCalls) return false;
      return failures / count >= options.rate;
    },
    reset() {
      calls = [];
      first = 0;
      failures = 0;
      inOrder = true;
    },
  };
}
