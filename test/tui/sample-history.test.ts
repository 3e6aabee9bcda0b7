import { describe, expect, it } from 'vitest';
import { sampleHistory } from '../../src/tui/sample-history.js';
import { processRow } from './fake-api.js';

describe('the sample history', () => {
  it('keeps each process its samples, oldest first', () => {
    const history = sampleHistory();
    history.record([processRow({ name: 'web', cpuPercent: 1, memoryBytes: 10 })], 1000);
    history.record([processRow({ name: 'web', cpuPercent: 2, memoryBytes: 20 })], 2000);
    expect(history.series('web')).toEqual([
      { at: 1000, cpuPercent: 1, memoryBytes: 10 },
      { at: 2000, cpuPercent: 2, memoryBytes: 20 },
    ]);
    expect(history.series('db')).toEqual([]);
  });

  it('keeps the last N samples of a process', () => {
    const history = sampleHistory(3);
    for (let at = 1; at <= 5; at += 1) {
      history.record([processRow({ name: 'web', cpuPercent: at })], at);
    }
    expect(history.series('web').map((sample) => sample.at)).toEqual([3, 4, 5]);
  });

  it('forgets a process gone from the rows, and skips one that does not run', () => {
    const history = sampleHistory();
    history.record([processRow({ name: 'web' }), processRow({ name: 'old' })], 1);
    const stopped = processRow({ name: 'web', cpuPercent: null, memoryBytes: null, pid: null });
    history.record([stopped], 2);
    expect(history.series('old')).toEqual([]);
    expect(history.series('web').map((sample) => sample.at)).toEqual([1]);
  });

  it('adds nothing for the same rows seen twice', () => {
    const history = sampleHistory();
    const rows = [processRow({ name: 'web' })];
    history.record(rows, 1);
    history.record(rows, 2);
    expect(history.series('web')).toHaveLength(1);
  });
});
