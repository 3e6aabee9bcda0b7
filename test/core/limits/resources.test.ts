/** How sampling paces itself by what its passes cost. */
import { describe, expect, it } from 'vitest';
import { nextPassCost, pacedInterval, SAMPLE_PACING } from '../../../src/core/limits/resources.js';

describe('pacedInterval', () => {
  it('samples as often as allowed before any pass was measured', () => {
    expect(pacedInterval(null)).toBe(SAMPLE_PACING.minMs);
  });

  it('holds passes to 0.04 % of a core, between 2 s and 15 s', () => {
    expect(pacedInterval(0.5)).toBe(2_000);
    expect(pacedInterval(2)).toBe(5_000);
    expect(pacedInterval(4)).toBe(10_000);
    expect(pacedInterval(50)).toBe(15_000);
  });
});

describe('nextPassCost', () => {
  it('starts from the first measure, then moves 30 % of the way to each new one', () => {
    expect(nextPassCost(null, 4)).toBe(4);
    expect(nextPassCost(4, 14)).toBeCloseTo(7);
  });
});
