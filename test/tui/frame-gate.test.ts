import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { frameGate } from '../../src/tui/frame-gate.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the frame gate', () => {
  it('applies what arrives in one turn together, in the next', async () => {
    const gate = frameGate(500, () => Date.now());
    const applied: string[] = [];
    gate.commit(() => applied.push('rows'));
    gate.commit(() => applied.push('logs'));
    expect(applied).toEqual([]);
    await vi.advanceTimersByTimeAsync(0);
    expect(applied).toEqual(['rows', 'logs']);
  });

  it('applies at most once per interval, every update kept', async () => {
    const gate = frameGate(500, () => Date.now());
    const flushes: number[] = [];
    let pending = 0;
    const update = () => {
      pending -= 1;
      if (!flushes.includes(Date.now())) flushes.push(Date.now());
    };
    const start = Date.now();
    for (let at = 0; at < 2000; at += 50) {
      pending += 1;
      gate.commit(update);
      await vi.advanceTimersByTimeAsync(50);
    }
    await vi.advanceTimersByTimeAsync(500);
    expect(pending).toBe(0);
    const gaps = flushes.slice(1).map((at, index) => at - flushes[index]!);
    expect(gaps.every((gap) => gap >= 500)).toBe(true);
    expect(flushes.length).toBeLessThanOrEqual(Math.ceil((Date.now() - start) / 500));
  });

  it('drops what is left once disposed', async () => {
    const gate = frameGate(500, () => Date.now());
    const applied: string[] = [];
    gate.commit(() => applied.push('late'));
    gate.dispose();
    // A read still on its way when the dashboard ended.
    gate.commit(() => applied.push('later'));
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(applied).toEqual([]);
  });
});
