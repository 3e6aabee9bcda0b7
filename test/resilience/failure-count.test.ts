import { describe, expect, it } from 'vitest';
import { failureCount } from '../../src/resilience/failure-count.js';

/** The rate rule as written down: every call of the window looked at, each time. */
function rateByDefinition(rate: number, windowMs: number, minimumCalls: number) {
  let calls: Array<{ at: number; failed: boolean }> = [];
  return {
    record(failed: boolean, now: number) {
      calls = calls.filter((call) => call.at > now - windowMs);
      calls.push({ at: now, failed });
      if (!failed || calls.length < minimumCalls) return false;
      return calls.filter((call) => call.failed).length / calls.length >= rate;
    },
    reset() {
      calls = [];
    },
  };
}

/** A fixed sequence that looks random: the same on every run. */
function sequence(start: number) {
  let state = start;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('failureCount by rate', () => {
  it.each([
    ['a clock that only goes forward', 0],
    ['a clock that sometimes steps back', 0.05],
  ])('decides as the definition does, with %s', (_, backShare) => {
    const next = sequence(7);
    const counted = failureCount({ rate: 0.5, window: 1_000, minimumCalls: 5 });
    const defined = rateByDefinition(0.5, 1_000, 5);
    let now = 0;
    for (let call = 0; call < 5_000; call++) {
      now += next() < backShare ? -Math.floor(next() * 800) : Math.floor(next() * 40);
      const failed = next() < 0.45;
      expect(counted.record(failed, now), `call ${call} at ${now}`).toBe(
        defined.record(failed, now),
      );
      if (call % 2_003 === 2_002) {
        counted.reset();
        defined.reset();
      }
    }
  });
});
