/** A store clock for tests: still until moved, so that leases end exactly when told. */
import type { MovableClock } from './contract-support.js';

export interface TestClock extends MovableClock {
  readonly now: () => number;
}

export function testClock(start = Date.UTC(2026, 0, 1)): TestClock {
  let now = start;
  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
  };
}
