/**
 * The duty cycle of a CPU throttle on a fake clock: paused for the rest of each period,
 * resumed at its start, and never left paused once released.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Throttle } from '../../../src/runtime/sampling/throttle.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function throttle() {
  const sent: Array<[number, string]> = [];
  const start = Date.now();
  const held = new Throttle((signal) => sent.push([Date.now() - start, signal]), 100);
  return { held, sent };
}

describe('Throttle', () => {
  it('runs duty × period, pauses for the rest, and resumes at each period', () => {
    const { held, sent } = throttle();
    held.setDuty(0.3);
    vi.advanceTimersByTime(250);
    expect(sent).toEqual([
      [30, 'SIGSTOP'],
      [100, 'SIGCONT'],
      [130, 'SIGSTOP'],
      [200, 'SIGCONT'],
      [230, 'SIGSTOP'],
    ]);
    // Held paused: the last signal the tree got was SIGSTOP.
    expect(sent.at(-1)?.[1]).toBe('SIGSTOP');
    expect(held.current).toBe(0.3);
  });

  it('takes a new duty from the next period on', () => {
    const { held, sent } = throttle();
    held.setDuty(0.5);
    vi.advanceTimersByTime(60);
    held.setDuty(0.2);
    vi.advanceTimersByTime(140);
    expect(sent).toEqual([
      [50, 'SIGSTOP'],
      [100, 'SIGCONT'],
      [120, 'SIGSTOP'],
      [200, 'SIGCONT'],
    ]);
  });

  it('resumes a paused tree at once on release, and stops cycling', () => {
    const { held, sent } = throttle();
    held.setDuty(0.3);
    vi.advanceTimersByTime(50);
    held.release();
    vi.advanceTimersByTime(1_000);
    expect(sent).toEqual([
      [30, 'SIGSTOP'],
      [50, 'SIGCONT'],
    ]);
    // Left running: the last signal the tree got was SIGCONT.
    expect(sent.at(-1)?.[1]).toBe('SIGCONT');
    expect(held.current).toBeNull();
  });

  it('releases on a duty of null or 1 and more; a release of a free tree sends nothing', () => {
    const { held, sent } = throttle();
    held.release();
    held.setDuty(null);
    expect(sent).toEqual([]);
    held.setDuty(0.5);
    vi.advanceTimersByTime(10);
    held.setDuty(1);
    expect(sent).toEqual([[10, 'SIGCONT']]);
    vi.advanceTimersByTime(500);
    expect(sent).toHaveLength(1);
  });
});
