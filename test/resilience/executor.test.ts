import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { exponentialBackoff } from '../../src/core/backoff.js';
import { BreakerOpenError, BulkheadFullError, TimeoutError } from '../../src/resilience/errors.js';
import { resilientExecutor } from '../../src/resilience/executor.js';

const CONSTANT = exponentialBackoff({ initialMs: 100, factor: 1, maxMs: 100 });

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const down = () =>
  vi.fn(async (): Promise<string> => {
    throw new Error('down');
  });

/** Runs the fake clock until `promise` settles, and gives its value. */
async function settled<T>(promise: Promise<T>): Promise<T> {
  await vi.runAllTimersAsync();
  return promise;
}

describe('resilientExecutor', () => {
  it('answers a success with the data, one attempt and the breaker closed', async () => {
    const executor = resilientExecutor({
      name: 'billing',
      breaker: { opensAfter: { consecutive: 2 }, halfOpenAfter: '1s' },
    });
    const result = await executor.execute(async () => 42);
    expect(result).toMatchObject({
      success: true,
      data: 42,
      attempts: 1,
      usedFallback: false,
      breaker: { name: 'billing', state: { kind: 'closed' } },
    });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('never rejects: a failure after every retry comes back as the error, with the attempts made', async () => {
    const work = down();
    const executor = resilientExecutor({
      name: 'billing',
      retry: { attempts: 3, backoff: CONSTANT },
    });
    const result = await settled(executor.execute(work));
    expect(result).toMatchObject({ success: false, attempts: 3, usedFallback: false });
    expect(!result.success && result.error.message).toBe('down');
    expect(executor.stats()).toMatchObject({
      calls: { success: 0, failure: 1, rejected: 0, aborted: 0 },
      retries: 2,
    });
  });

  it('answers a failure from the fallback, keeping the error it answered for', async () => {
    const executor = resilientExecutor({
      name: 'billing',
      fallback: (error: unknown) => `cached (${(error as Error).message})`,
    });
    const result = await executor.execute(down());
    expect(result).toMatchObject({ success: true, data: 'cached (down)', usedFallback: true });
    expect(result.usedFallback && result.error.message).toBe('down');
    expect(executor.stats()).toMatchObject({ calls: { failure: 1 }, fallbacks: 1 });
  });

  it('stops retrying once its breaker opens, and answers later calls from the fallback without running them', async () => {
    const work = down();
    const executor = resilientExecutor({
      name: 'billing',
      retry: { attempts: 5, backoff: CONSTANT },
      breaker: { opensAfter: { consecutive: 2 }, halfOpenAfter: '30s' },
      clock: Date.now,
      fallback: 'stale',
    });
    const retried = vi.fn();
    executor.policies.retry?.onRetry(retried);
    const first = await settled(executor.execute(work));
    // Two failures open it, and no third try is made into the open breaker.
    expect(work).toHaveBeenCalledTimes(2);
    expect(retried).toHaveBeenCalledTimes(1);
    expect(first).toMatchObject({ success: true, data: 'stale', attempts: 2 });
    expect(first.usedFallback && first.error.message).toBe('down');
    expect(first.breaker?.state.kind).toBe('open');
    const second = await settled(executor.execute(work));
    expect(second).toMatchObject({ success: true, data: 'stale', attempts: 0 });
    expect(second.usedFallback && second.error).toBeInstanceOf(BreakerOpenError);
    expect(work).toHaveBeenCalledTimes(2);
    expect(executor.stats().calls).toEqual({ success: 0, failure: 1, rejected: 1, aborted: 0 });
  });

  it('gives each attempt its own deadline, and counts the timeouts', async () => {
    let calls = 0;
    const executor = resilientExecutor({
      name: 'slow',
      retry: { attempts: 2, backoff: CONSTANT },
      timeout: '1s',
    });
    const result = await settled(
      executor.execute(
        ({ signal }) =>
          new Promise<string>((resolve, reject) => {
            calls++;
            if (calls === 2) return resolve('second time lucky');
            signal.addEventListener('abort', () => reject(signal.reason));
          }),
      ),
    );
    expect(result).toMatchObject({ success: true, data: 'second time lucky', attempts: 2 });
    expect(executor.stats()).toMatchObject({ retries: 1, timeouts: 1 });
  });

  it('reports a timeout of the last attempt as a TimeoutError', async () => {
    const executor = resilientExecutor({
      name: 'slow',
      timeout: { duration: 50, mode: 'aggressive' },
    });
    const result = await settled(executor.execute(() => new Promise(() => {})));
    expect(!result.success && result.error).toBeInstanceOf(TimeoutError);
  });

  it('reports the TimeoutError of a try that opened the breaker, not the abort the work met', async () => {
    const executor = resilientExecutor({
      name: 'slow',
      retry: { attempts: 3, backoff: CONSTANT },
      breaker: { opensAfter: { consecutive: 1 }, halfOpenAfter: '1m' },
      timeout: 50,
      clock: Date.now,
    });
    const result = await settled(
      executor.execute(
        ({ signal }) =>
          new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
      ),
    );
    expect(result).toMatchObject({ success: false, attempts: 1 });
    expect(!result.success && result.error).toBeInstanceOf(TimeoutError);
    expect(executor.stats().calls.failure).toBe(1);
  });

  it('refuses beyond its bulkhead, as a rejection the fallback answers', async () => {
    const executor = resilientExecutor({
      name: 'db',
      bulkhead: { limit: 1, queue: 0 },
      fallback: null,
    });
    let release!: () => void;
    const holding = executor.execute(() => new Promise<void>((resolve) => (release = resolve)));
    const refused = await executor.execute(async () => 'never');
    expect(refused).toMatchObject({ success: true, data: null, usedFallback: true, attempts: 0 });
    expect(refused.usedFallback && refused.error).toBeInstanceOf(BulkheadFullError);
    expect(executor.stats()).toMatchObject({ calls: { rejected: 1 }, bulkheadRejections: 1 });
    release();
    expect((await holding).success).toBe(true);
  });

  it('does not answer a call its caller aborted from the fallback: nobody waits for it', async () => {
    const executor = resilientExecutor({
      name: 'billing',
      retry: { attempts: 3, backoff: CONSTANT },
      fallback: 'stale',
    });
    const controller = new AbortController();
    const pending = executor.execute(down(), controller.signal);
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(new Error('client went away'));
    const result = await settled(pending);
    expect(result).toMatchObject({ success: false, usedFallback: false, attempts: 1 });
    expect(!result.success && result.error.message).toBe('client went away');
    expect(executor.stats().calls.aborted).toBe(1);
  });

  it('reports a fallback that fails too as the failure, with its own error', async () => {
    const executor = resilientExecutor({
      name: 'billing',
      fallback: () => {
        throw new Error('no cache either');
      },
    });
    const result = await executor.execute(down());
    expect(result).toMatchObject({ success: false, usedFallback: false });
    expect(!result.success && result.error.message).toBe('no cache either');
  });

  it('wraps a thrown non-error in an Error that keeps it as the cause', async () => {
    const executor = resilientExecutor({ name: 'odd' });
    const result = await executor.execute(() => {
      throw 'plain text';
    });
    expect(!result.success && result.error).toMatchObject({
      message: 'plain text',
      cause: 'plain text',
    });
  });

  it('runs the work once, bare, when disabled: no retry, no fallback', async () => {
    const work = down();
    const executor = resilientExecutor({
      name: 'billing',
      enabled: false,
      retry: { attempts: 3, backoff: CONSTANT },
      breaker: { opensAfter: { consecutive: 1 }, halfOpenAfter: '1s' },
      fallback: 'stale',
    });
    const result = await executor.execute(work);
    expect(result).toMatchObject({ success: false, attempts: 1, usedFallback: false });
    expect(result.breaker).toBeUndefined();
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('withFallback shares the policies and counts, with another answer', async () => {
    const executor = resilientExecutor({
      name: 'billing',
      breaker: { opensAfter: { consecutive: 1 }, halfOpenAfter: '1m' },
      clock: Date.now,
    });
    const withDefault = executor.withFallback(() => 'default');
    expect(await withDefault.execute(down())).toMatchObject({ data: 'default' });
    expect(executor.policies.breaker?.state().kind).toBe('open');
    expect(executor.stats().calls.failure).toBe(1);
  });
});
