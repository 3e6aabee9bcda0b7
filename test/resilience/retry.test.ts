import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { exponentialBackoff } from '../../src/core/backoff.js';
import type { PolicyContext } from '../../src/resilience/policy.js';
import { type RetryEvent, retry } from '../../src/resilience/retry.js';

const CONSTANT = exponentialBackoff({ initialMs: 100, factor: 1, maxMs: 100 });

/** Work that fails `failures` times, then answers `'ok'`. */
function failing(failures: number) {
  let calls = 0;
  return vi.fn(async (_context: PolicyContext) => {
    calls++;
    if (calls <= failures) throw new Error(`failure ${calls}`);
    return 'ok';
  });
}

describe('retry', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('tries again after the backoff until the work succeeds, telling each attempt', async () => {
    const policy = retry({ attempts: 3, backoff: CONSTANT });
    const work = failing(2);
    const call = policy.execute(work);
    await vi.advanceTimersByTimeAsync(100);
    expect(work).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(100);
    await expect(call).resolves.toBe('ok');
    expect(work.mock.calls.map(([context]) => context.attempt)).toEqual([1, 2, 3]);
  });

  it('rejects with the last error once the attempts are spent, and says it gave up', async () => {
    const policy = retry({ attempts: 2, backoff: CONSTANT });
    const gaveUp = vi.fn();
    policy.onGiveUp(gaveUp);
    const call = policy.execute(failing(5));
    const settled = expect(call).rejects.toThrow('failure 2');
    await vi.advanceTimersByTimeAsync(100);
    await settled;
    expect(gaveUp).toHaveBeenCalledWith(expect.objectContaining({ attempts: 2 }));
  });

  it('tells listeners the attempt and the delay before each wait', async () => {
    const policy = retry({ attempts: 3, backoff: CONSTANT });
    const events: RetryEvent[] = [];
    policy.onRetry((event) => events.push(event));
    const call = policy.execute(failing(2));
    await vi.advanceTimersByTimeAsync(200);
    await call;
    expect(events.map(({ attempt, delayMs }) => [attempt, delayMs])).toEqual([
      [1, 100],
      [2, 100],
    ]);
  });

  it('judges results as well as errors with retryOn', async () => {
    const answers = [503, 503, 200];
    const policy = retry({
      attempts: 5,
      backoff: CONSTANT,
      retryOn: (outcome) => 'result' in outcome && outcome.result === 503,
    });
    const call = policy.execute(() => answers.shift());
    await vi.advanceTimersByTimeAsync(200);
    await expect(call).resolves.toBe(200);
  });

  it('does not retry an error retryOn refuses', async () => {
    const policy = retry({
      attempts: 5,
      backoff: CONSTANT,
      retryOn: (outcome) => 'error' in outcome && (outcome.error as Error).message !== 'fatal',
    });
    const work = vi.fn(async () => {
      throw new Error('fatal');
    });
    await expect(policy.execute(work)).rejects.toThrow('fatal');
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('by default waits with decorrelated jitter, drawn from the random source given', async () => {
    const policy = retry({ attempts: 3, random: () => 0.5 });
    const delays: number[] = [];
    policy.onRetry((event) => delays.push(event.delayMs));
    const call = policy.execute(failing(2));
    await vi.runAllTimersAsync();
    await call;
    // 100 + 0.5 × (300 − 100), then 100 + 0.5 × (600 − 100).
    expect(delays).toEqual([200, 350]);
  });

  it('rejects at once with the abort error when aborted mid-backoff', async () => {
    const policy = retry({
      attempts: 3,
      backoff: exponentialBackoff({ initialMs: 60_000, factor: 1, maxMs: 60_000 }),
    });
    const controller = new AbortController();
    const work = failing(5);
    const call = policy.execute(work, controller.signal);
    const settled = expect(call).rejects.toMatchObject({ name: 'AbortError' });
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    await settled;
    expect(work).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not start when the signal is already aborted', async () => {
    const work = vi.fn();
    await expect(retry({ attempts: 2 }).execute(work, AbortSignal.abort())).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(work).not.toHaveBeenCalled();
  });

  it('a listener that throws never breaks the call', async () => {
    const policy = retry({ attempts: 2, backoff: CONSTANT });
    policy.onRetry(() => {
      throw new Error('listener');
    });
    policy.onGiveUp(() => {
      throw new Error('listener');
    });
    const call = policy.execute(failing(1));
    await vi.advanceTimersByTimeAsync(100);
    await expect(call).resolves.toBe('ok');
  });

  it('stops telling a listener once disposed', async () => {
    const policy = retry({ attempts: 2, backoff: CONSTANT });
    const listener = vi.fn();
    policy.onRetry(listener)();
    const call = policy.execute(failing(1));
    await vi.advanceTimersByTimeAsync(100);
    await call;
    expect(listener).not.toHaveBeenCalled();
  });
});
