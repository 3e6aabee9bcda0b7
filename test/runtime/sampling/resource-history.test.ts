/** The ring of recent samples: oldest dropped when full, nulls kept, copies handed out. */
import { describe, expect, it } from 'vitest';
import type { ResourceSample } from '../../../src/core/limits/resources.js';
import { ResourceHistory } from '../../../src/runtime/sampling/resource-history.js';

const sample = (at: number, overrides: Partial<ResourceSample> = {}): ResourceSample => ({
  at,
  cpuPercent: at / 10,
  memoryBytes: at * 1_000,
  fds: 5,
  threads: 2,
  processes: 1,
  ...overrides,
});

describe('ResourceHistory', () => {
  it('is empty at first', () => {
    const history = new ResourceHistory(3);
    expect(history.size).toBe(0);
    expect(history.latest()).toBeNull();
    expect(history.toArray()).toEqual([]);
  });

  it('keeps the newest samples up to its capacity, oldest first', () => {
    const history = new ResourceHistory(3);
    for (const at of [10, 20, 30, 40, 50]) history.push(sample(at));
    expect(history.size).toBe(3);
    expect(history.toArray()).toEqual([sample(30), sample(40), sample(50)]);
    expect(history.latest()).toEqual(sample(50));
  });

  it('keeps a missing CPU figure and uncountable descriptors as null', () => {
    const history = new ResourceHistory(2);
    history.push(sample(10, { cpuPercent: null, fds: null }));
    expect(history.latest()).toEqual(sample(10, { cpuPercent: null, fds: null }));
  });

  it('copies what it is given, and starts over once cleared', () => {
    const history = new ResourceHistory(2);
    const reused = { ...sample(10) };
    history.push(reused);
    reused.at = 99;
    expect(history.latest()!.at).toBe(10);
    history.clear();
    expect(history.toArray()).toEqual([]);
    history.push(sample(20));
    expect(history.toArray()).toEqual([sample(20)]);
  });
});
