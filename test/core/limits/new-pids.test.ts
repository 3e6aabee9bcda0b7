/** Which pids a sampling pass reads, from the kernel's pid counter. */
import { describe, expect, it } from 'vitest';
import {
  mayBeNew,
  newPidsSince,
  type PidCounter,
  RESERVED_PIDS,
} from '../../../src/core/limits/new-pids.js';

const PID_MAX = 32_768;
const counter = (forks: number, lastPid: number, tasks = 200): PidCounter => ({
  forks,
  lastPid,
  tasks,
});

describe('newPidsSince', () => {
  it('reads every pid on the first pass, or when the counter cannot be read', () => {
    expect(newPidsSince(null, counter(10, 500), PID_MAX)).toEqual({ kind: 'all' });
    expect(newPidsSince(counter(10, 500), null, PID_MAX)).toEqual({ kind: 'all' });
  });

  it('reads nothing new when nothing was forked', () => {
    const pids = newPidsSince(counter(10, 500), counter(10, 500), PID_MAX);
    expect(pids).toEqual({ kind: 'none' });
    expect(mayBeNew(pids, 501)).toBe(false);
  });

  it('reads the pids above the last one handed out at the last pass', () => {
    const pids = newPidsSince(counter(10, 500), counter(15, 505), PID_MAX);
    expect(pids).toEqual({ kind: 'range', after: 500, upTo: null });
    expect(mayBeNew(pids, 500)).toBe(false);
    expect(mayBeNew(pids, 12)).toBe(false);
    expect(mayBeNew(pids, 503)).toBe(true);
    // Handed out after the counter was read, before /proc was listed.
    expect(mayBeNew(pids, 506)).toBe(true);
  });

  it('once the counter wrapped, also reads the pids up to the last one now', () => {
    const pids = newPidsSince(counter(10, 32_700), counter(200, 400), PID_MAX);
    expect(pids).toEqual({ kind: 'range', after: 32_700, upTo: 400 });
    expect(mayBeNew(pids, 32_750)).toBe(true);
    expect(mayBeNew(pids, RESERVED_PIDS + 1)).toBe(true);
    expect(mayBeNew(pids, 401)).toBe(false);
    expect(mayBeNew(pids, 32_700)).toBe(false);
  });

  it('reads every pid when the forks and the pids skipped could have gone full circle', () => {
    const busy = (tasks: number, forks: number) =>
      newPidsSince(counter(0, 500, tasks), counter(forks, 600), PID_MAX);
    expect(busy(200, 16_000).kind).toBe('range');
    expect(busy(200, 16_200).kind).toBe('all');
    expect(busy(30_000, 2_000).kind).toBe('all');
  });

  it('reads every pid when the fork count went back (another boot, another reader)', () => {
    expect(newPidsSince(counter(10, 500), counter(5, 505), PID_MAX)).toEqual({ kind: 'all' });
  });
});
