import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { boundedRefresh } from '../../src/tui/bounded-refresh.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('a bounded refresh', () => {
  it('runs a burst of asks as one refresh per interval, the last ask included', async () => {
    const refresh = vi.fn(async () => {});
    const refresher = boundedRefresh(refresh, 500);
    for (let ask = 0; ask < 10; ask++) refresher.request();
    await vi.advanceTimersByTimeAsync(0);
    expect(refresh).toHaveBeenCalledTimes(1);
    for (let ask = 0; ask < 10; ask++) refresher.request();
    await vi.advanceTimersByTimeAsync(499);
    expect(refresh).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(refresh).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(refresh).toHaveBeenCalledTimes(2);
    refresher.dispose();
  });

  it('never runs two at once: an ask during a slow refresh runs after it', async () => {
    let finish: () => void = () => {};
    const refresh = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const refresher = boundedRefresh(refresh, 100);
    refresher.request();
    await vi.advanceTimersByTimeAsync(0);
    refresher.request();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(refresh).toHaveBeenCalledTimes(1);
    finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(refresh).toHaveBeenCalledTimes(2);
    refresher.dispose();
  });

  it('runs nothing once disposed', async () => {
    const refresh = vi.fn(async () => {});
    const refresher = boundedRefresh(refresh, 100);
    refresher.request();
    refresher.dispose();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(refresh).not.toHaveBeenCalled();
  });
});
