/** How sampling paces itself by what its passes cost. */
import { describe, expect, it } from 'vitest';
import {
  isQuiet,
  nextPassCost,
  pacedInterval,
  type ResourceSample,
  SAMPLE_PACING,
} from '../../../src/core/limits/resources.js';

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

  it('doubles the paced delay for each quiet pass in a row, up to 15 s', () => {
    expect(pacedInterval(0.5, 1)).toBe(4_000);
    expect(pacedInterval(0.5, 2)).toBe(8_000);
    expect(pacedInterval(0.5, 3)).toBe(15_000);
    expect(pacedInterval(0.5, 40)).toBe(15_000);
    expect(pacedInterval(2, 1)).toBe(10_000);
    expect(pacedInterval(null, 1)).toBe(4_000);
  });

  it('is the paced delay again once a pass is not quiet', () => {
    expect(pacedInterval(2, 0)).toBe(pacedInterval(2));
  });
});

describe('isQuiet', () => {
  const still: ResourceSample = {
    at: 10_000,
    cpuPercent: 0,
    memoryBytes: 1_048_576,
    fds: 3,
    threads: 1,
    processes: 1,
  };
  const footprint = { memoryBytes: 1_048_576, fds: 3, threads: 1, processes: 1 };

  it('holds for a tree that used no CPU and kept its footprint', () => {
    expect(isQuiet(footprint, still)).toBe(true);
    expect(isQuiet({ ...footprint, fds: null }, { ...still, fds: null })).toBe(true);
  });

  it('fails on any CPU used, or on a first sample with no CPU figure', () => {
    expect(isQuiet(footprint, { ...still, cpuPercent: 0.1 })).toBe(false);
    expect(isQuiet(footprint, { ...still, cpuPercent: null })).toBe(false);
  });

  it('fails on any change of memory, descriptors, threads or processes', () => {
    expect(isQuiet(footprint, { ...still, memoryBytes: 1_052_672 })).toBe(false);
    expect(isQuiet(footprint, { ...still, fds: 4 })).toBe(false);
    expect(isQuiet(footprint, { ...still, fds: null })).toBe(false);
    expect(isQuiet(footprint, { ...still, threads: 2 })).toBe(false);
    expect(isQuiet(footprint, { ...still, processes: 2 })).toBe(false);
  });
});

describe('nextPassCost', () => {
  it('starts from the first measure, then moves 30 % of the way to each new one', () => {
    expect(nextPassCost(null, 4)).toBe(4);
    expect(nextPassCost(4, 14)).toBeCloseTo(7);
  });
});
