import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { exponentialBackoff } from '../../../src/core/backoff.js';
import { bulkhead } from '../../../src/resilience/bulkhead.js';
import { circuitBreaker } from '../../../src/resilience/circuit-breaker.js';
import { fallback } from '../../../src/resilience/fallback.js';
import { logPolicyEvents } from '../../../src/resilience/logger/policy-events.js';
import { retry } from '../../../src/resilience/retry.js';
import { timeout } from '../../../src/resilience/timeout.js';
import { capturedLogger } from './logger-test-kit.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const fail = (message: string) => () => Promise.reject(new Error(message));
const summary = (lines: Record<string, unknown>[]) => lines.map((line) => [line.level, line.msg]);

describe('logPolicyEvents', () => {
  it('logs a breaker opening, refusing, going half-open and closing, by its clock', async () => {
    let now = T0;
    const breaker = circuitBreaker({
      name: 'billing',
      opensAfter: { consecutive: 1 },
      halfOpenAfter: '30s',
      clock: () => now,
    });
    const { logger, lines } = capturedLogger({ level: 'debug' });
    logPolicyEvents(logger.category('billing'), { breaker });
    await expect(breaker.execute(fail('connection refused'))).rejects.toThrow();
    await expect(breaker.execute(() => 'refused')).rejects.toThrow(/is open/);
    now += 30_000;
    await breaker.execute(() => 'trial');
    expect(summary(lines())).toEqual([
      [40, 'breaker billing opened until 2026-01-01T00:00:30.000Z: connection refused'],
      [20, 'breaker billing refused a call: open until 2026-01-01T00:00:30.000Z'],
      [30, 'breaker billing half-open: the next call is a trial'],
      [30, 'breaker billing closed'],
    ]);
    expect(lines()[0]).toMatchObject({
      category: 'app:billing',
      policy: 'breaker',
      breaker: 'billing',
      err: { message: 'connection refused' },
    });
  });

  describe('with retries', () => {
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());

    it('logs each retry with its delay and error, then the giving up', async () => {
      const policy = retry({
        attempts: 3,
        backoff: exponentialBackoff({ initialMs: 350, factor: 2, maxMs: 10_000 }),
      });
      const { logger, lines } = capturedLogger();
      logPolicyEvents(logger, { name: 'invoices', retry: policy });
      const call = expect(policy.execute(fail('HTTP 503'))).rejects.toThrow('HTTP 503');
      await vi.advanceTimersByTimeAsync(350 + 700);
      await call;
      expect(summary(lines())).toEqual([
        [30, 'invoices: retry 2 of 3 in 350 ms after HTTP 503'],
        [30, 'invoices: retry 3 of 3 in 700 ms after HTTP 503'],
        [40, 'invoices: gave up after 3 attempts: HTTP 503'],
      ]);
      expect(lines()[0]).toMatchObject({ attempt: 2, attempts: 3, delayMs: 350 });
    });
  });

  it('logs timeouts, bulkhead refusals and fallbacks, and stops at the disposer', async () => {
    vi.useFakeTimers();
    try {
      const deadline = timeout(50);
      const pool = bulkhead({ limit: 1 });
      const answer = fallback('cached');
      const { logger, lines } = capturedLogger();
      const dispose = logPolicyEvents(logger, {
        timeout: deadline,
        bulkhead: pool,
        fallback: answer,
      });
      const slow = deadline.execute(
        ({ signal }) =>
          new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
      );
      const timedOut = expect(slow).rejects.toThrow(/timed out/);
      await vi.advanceTimersByTimeAsync(50);
      await timedOut;
      let release = () => {};
      const held = pool.execute(() => new Promise<void>((resolve) => (release = resolve)));
      await expect(pool.execute(() => 'second')).rejects.toThrow(/bulkhead full/);
      release();
      await held;
      await expect(answer.execute(fail('no price'))).resolves.toBe('cached');
      dispose();
      await answer.execute(fail('not logged'));
      expect(summary(lines())).toEqual([
        [40, 'timed out after 50 ms'],
        [40, 'bulkhead full (1 running, 0 queued): call refused'],
        [30, 'fallback used after no price'],
      ]);
    } finally {
      vi.useRealTimers();
    }
  });
});
