import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { exponentialBackoff } from '../../src/core/backoff.js';
import { circuitBreaker } from '../../src/resilience/circuit-breaker.js';
import { BreakerOpenError, TimeoutError } from '../../src/resilience/errors.js';
import { fallback } from '../../src/resilience/fallback.js';
import { wrap } from '../../src/resilience/policy.js';
import { retry } from '../../src/resilience/retry.js';
import { timeout } from '../../src/resilience/timeout.js';

const CONSTANT = exponentialBackoff({ initialMs: 100, factor: 1, maxMs: 100 });

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** A breaker on the fake clock that opens at the first failure, for 10 s. */
const touchyBreaker = () =>
  circuitBreaker({
    name: 'svc',
    opensAfter: { consecutive: 1 },
    halfOpenAfter: 10_000,
    clock: Date.now,
  });

const failing = () =>
  vi.fn(async () => {
    throw new Error('down');
  });

describe('wrap', () => {
  it('timeout(breaker(retry)): the breaker sees the retried call as one, the timeout bounds it all', async () => {
    const breaker = touchyBreaker();
    const policy = wrap(
      timeout(1_000, 'aggressive'),
      breaker,
      retry({ attempts: 3, backoff: CONSTANT }),
    );
    const work = vi.fn(async ({ attempt }: { attempt?: number }) => {
      if (attempt! < 3) throw new Error('flaky');
      return 'ok';
    });
    const call = policy.execute(work);
    await vi.advanceTimersByTimeAsync(200);
    await expect(call).resolves.toBe('ok');
    expect(work).toHaveBeenCalledTimes(3);
    expect(breaker.state().kind).toBe('closed');
  });

  it('timeout(breaker(retry)): a retry that outlasts the deadline rejects with TimeoutError', async () => {
    const policy = wrap(
      timeout(250, 'aggressive'),
      touchyBreaker(),
      retry({ attempts: 10, backoff: CONSTANT }),
    );
    const call = policy.execute(failing());
    const settled = expect(call).rejects.toBeInstanceOf(TimeoutError);
    await vi.advanceTimersByTimeAsync(250);
    await settled;
  });

  it('retry(breaker(timeout)): the first failure opens the breaker and the retries are refused', async () => {
    const breaker = touchyBreaker();
    const policy = wrap(retry({ attempts: 3, backoff: CONSTANT }), breaker, timeout(1_000));
    const work = failing();
    const call = policy.execute(work);
    const settled = expect(call).rejects.toBeInstanceOf(BreakerOpenError);
    await vi.advanceTimersByTimeAsync(200);
    await settled;
    expect(work).toHaveBeenCalledTimes(1);
    expect(breaker.state().kind).toBe('open');
  });

  it('retry(timeout): each attempt gets its own deadline and its attempt number', async () => {
    const policy = wrap(retry({ attempts: 2, backoff: CONSTANT }), timeout(1_000, 'aggressive'));
    const seen: Array<number | undefined> = [];
    const call = policy.execute(({ attempt }) => {
      seen.push(attempt);
      return attempt === 1 ? new Promise<string>(() => {}) : 'second';
    });
    await vi.advanceTimersByTimeAsync(1_100);
    await expect(call).resolves.toBe('second');
    expect(seen).toEqual([1, 2]);
  });

  it('fallback outermost answers for whatever the inner policies reject with', async () => {
    const breaker = touchyBreaker();
    const policy = wrap(fallback('cached'), breaker, timeout(1_000));
    await expect(policy.execute(failing())).resolves.toBe('cached');
    await expect(policy.execute(() => 'fresh')).resolves.toBe('cached');
    expect(breaker.state().kind).toBe('open');
  });

  it('with no policy, runs the work as it is', async () => {
    await expect(wrap().execute(() => 'plain')).resolves.toBe('plain');
  });
});
