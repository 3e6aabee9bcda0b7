import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bulkhead } from '../../src/resilience/bulkhead.js';
import { BulkheadFullError, TimeoutError } from '../../src/resilience/errors.js';
import { fallback } from '../../src/resilience/fallback.js';
import type { PolicyContext } from '../../src/resilience/policy.js';
import { timeout } from '../../src/resilience/timeout.js';

/** Work that answers `value` after `ms`, or rejects with the signal's reason when aborted. */
function answerAfter<T>(ms: number, value: T) {
  return ({ signal }: PolicyContext) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => resolve(value), ms);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(signal.reason);
      });
    });
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('timeout', () => {
  it('lets work that ends in time answer', async () => {
    const call = timeout(1_000).execute(answerAfter(500, 'done'));
    await vi.advanceTimersByTimeAsync(500);
    await expect(call).resolves.toBe('done');
  });

  it('cooperative: aborts the work at the deadline and rejects once it has ended', async () => {
    const policy = timeout('1s', 'cooperative');
    const timedOut = vi.fn();
    policy.onTimeout(timedOut);
    let ended = false;
    const call = policy.execute(async ({ signal }) => {
      await new Promise((resolve) => signal.addEventListener('abort', resolve));
      await new Promise((resolve) => setTimeout(resolve, 200));
      ended = true;
      return 'late';
    });
    const settled = expect(call).rejects.toBeInstanceOf(TimeoutError);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(ended).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    await settled;
    expect(ended).toBe(true);
    expect(timedOut).toHaveBeenCalledWith({ timeoutMs: 1_000 });
  });

  it('aggressive: rejects at the deadline without waiting for the work', async () => {
    const call = timeout(1_000, 'aggressive').execute(() => new Promise(() => {}));
    const settled = expect(call).rejects.toMatchObject({ name: 'TimeoutError', timeoutMs: 1_000 });
    await vi.advanceTimersByTimeAsync(1_000);
    await settled;
  });

  it('an abort by the caller rejects with the abort error, not a timeout', async () => {
    const controller = new AbortController();
    const call = timeout(1_000, 'aggressive').execute(answerAfter(5_000, 'x'), controller.signal);
    const settled = expect(call).rejects.toMatchObject({ name: 'AbortError' });
    controller.abort();
    await settled;
  });
});

describe('bulkhead', () => {
  it('runs up to limit at once, queues up to queue, and refuses the rest at once', async () => {
    const policy = bulkhead({ limit: 2, queue: 1 });
    const rejected = vi.fn();
    policy.onReject(rejected);
    const running = [policy.execute(answerAfter(100, 'a')), policy.execute(answerAfter(100, 'b'))];
    const queued = policy.execute(answerAfter(100, 'c'));
    expect([policy.running(), policy.queued()]).toEqual([2, 1]);
    const overflow = policy.execute(answerAfter(100, 'd'));
    await expect(overflow).rejects.toBeInstanceOf(BulkheadFullError);
    await expect(overflow).rejects.toMatchObject({ limit: 2, queue: 1 });
    expect(rejected).toHaveBeenCalledWith({ limit: 2, queue: 1 });
    await vi.advanceTimersByTimeAsync(100);
    await expect(Promise.all(running)).resolves.toEqual(['a', 'b']);
    await vi.advanceTimersByTimeAsync(100);
    await expect(queued).resolves.toBe('c');
  });

  it('a listener that throws never breaks a call, nor turns a refusal into another error', async () => {
    const policy = bulkhead({ limit: 1 });
    policy.onReject(() => {
      throw new Error('listener');
    });
    const first = policy.execute(answerAfter(10, 'a'));
    await expect(policy.execute(answerAfter(10, 'b'))).rejects.toBeInstanceOf(BulkheadFullError);
    await vi.advanceTimersByTimeAsync(10);
    await expect(first).resolves.toBe('a');
  });
});

describe('fallback', () => {
  it('answers with the value when the work fails, and tells why', async () => {
    const policy = fallback('cached');
    const fellBack = vi.fn();
    policy.onFallback(fellBack);
    await expect(policy.execute(() => Promise.reject(new Error('down')))).resolves.toBe('cached');
    expect(fellBack).toHaveBeenCalledWith({ error: new Error('down') });
  });

  it('answers with what a function of the error gives', async () => {
    const policy = fallback((error) => `failed: ${(error as Error).message}`);
    await expect(policy.execute(() => Promise.reject(new Error('down')))).resolves.toBe(
      'failed: down',
    );
  });

  it('lets the work answer when it succeeds', async () => {
    await expect(fallback(0).execute(() => 7)).resolves.toBe(7);
  });

  it('does not answer for an abort by the caller', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      fallback('cached').execute(({ signal }) => Promise.reject(signal.reason), controller.signal),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });
});
