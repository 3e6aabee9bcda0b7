import { describe, expect, it } from 'vitest';
import {
  backoffAt,
  DECORRELATED_JITTER,
  delayOf,
  exponentialBackoff,
  FULL_JITTER,
  NO_JITTER,
  nextBackoff,
  resetBackoff,
} from '../../src/core/backoff.js';

const DOUBLING = exponentialBackoff({ initialMs: 1_000, factor: 2, maxMs: 30_000 });

describe('Backoff', () => {
  it('starts with no attempt counted and no jitter', () => {
    expect(DOUBLING).toEqual({
      policy: { initialMs: 1_000, factor: 2, maxMs: 30_000, jitter: NO_JITTER },
      attempt: 0,
    });
  });

  it.each([
    [0, 1_000],
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [5, 16_000],
    [6, 30_000],
    [40, 30_000],
  ])('after %i attempts waits %i ms (initial × factor^(n-1), capped)', (attempt, delay) => {
    expect(delayOf(backoffAt(DOUBLING, attempt))).toBe(delay);
  });

  it('with factor 1 waits the same delay every time', () => {
    const constant = exponentialBackoff({ initialMs: 500, factor: 1, maxMs: 30_000 });
    expect(delayOf(backoffAt(constant, 9))).toBe(500);
  });

  it('is immutable: next and reset return new values and leave the old one as it was', () => {
    const once = nextBackoff(DOUBLING);
    const twice = nextBackoff(once);
    expect([DOUBLING.attempt, once.attempt, twice.attempt]).toEqual([0, 1, 2]);
    expect(resetBackoff(twice)).toEqual(DOUBLING);
    expect(twice.attempt).toBe(2);
  });

  it('survives a round trip through JSON, so it can be persisted', () => {
    const along = backoffAt(DOUBLING, 3);
    expect(JSON.parse(JSON.stringify(along))).toEqual(along);
  });

  it('reads no random source without a randomized jitter', () => {
    const random = () => {
      throw new Error('read');
    };
    expect(delayOf(backoffAt(DOUBLING, 2), random)).toBe(2_000);
  });
});

describe('randomized jitter', () => {
  const FULL = exponentialBackoff({
    initialMs: 100,
    factor: 2,
    maxMs: 10_000,
    jitter: FULL_JITTER,
  });
  const DECORRELATED = exponentialBackoff({
    initialMs: 100,
    factor: 2,
    maxMs: 1_000,
    jitter: DECORRELATED_JITTER,
  });

  it('full: waits between 0 and the computed delay, as drawn', () => {
    expect(delayOf(backoffAt(FULL, 3), () => 0)).toBe(0);
    expect(delayOf(backoffAt(FULL, 3), () => 0.5)).toBe(200);
    expect(delayOf(backoffAt(FULL, 3), () => 0.999)).toBeLessThan(400);
  });

  it('decorrelated: stays within [initial, min(max, 3 × previous)] over many draws', () => {
    let previous: number | undefined;
    let random = 0.1;
    for (let attempt = 1; attempt <= 200; attempt++) {
      random = (random * 7.31 + 0.17) % 1;
      const drawn = random;
      const delay = delayOf(backoffAt(DECORRELATED, attempt), () => drawn, previous);
      expect(delay).toBeGreaterThanOrEqual(100);
      expect(delay).toBeLessThanOrEqual(Math.min(1_000, 3 * (previous ?? 100)));
      previous = delay;
    }
  });

  it('decorrelated: the bounds are reached at the ends of the draw', () => {
    expect(delayOf(backoffAt(DECORRELATED, 2), () => 0, 250)).toBe(100);
    expect(delayOf(backoffAt(DECORRELATED, 2), () => 1, 250)).toBe(750);
    expect(delayOf(backoffAt(DECORRELATED, 2), () => 1, 900)).toBe(1_000);
  });

  it('refuses to draw without a random source', () => {
    expect(() => delayOf(backoffAt(FULL, 1))).toThrow(/random source/);
  });
});
