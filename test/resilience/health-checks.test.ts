import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CheckAnswer } from '../../src/resilience/health-check-run.js';
import { type HealthChecks, healthChecks } from '../../src/resilience/health-checks.js';

const START = Date.parse('2026-01-01T00:00:00.000Z');
const iso = (offsetMs: number) => new Date(START + offsetMs).toISOString();

/** A check the test answers by hand: each run waits until told how it ends. */
function manualCheck() {
  const runs: Array<{ signal: AbortSignal; answer: (value: CheckAnswer) => void }> = [];
  const check = vi.fn(
    (signal: AbortSignal) =>
      new Promise<CheckAnswer>((resolve) => runs.push({ signal, answer: resolve })),
  );
  return { check, runs, last: () => runs[runs.length - 1]! };
}

let checks: HealthChecks;

beforeEach(() => {
  vi.useFakeTimers({ now: START });
  checks = healthChecks();
});
afterEach(() => {
  checks.stop();
  vi.useRealTimers();
});

describe('healthChecks', () => {
  it('runs a check at once, then every interval, and reports unknown before its first answer', async () => {
    const { check, runs } = manualCheck();
    checks.register('db', check, { interval: '10s' });

    expect(check).toHaveBeenCalledTimes(1);
    expect(checks.status()).toEqual({
      status: 'degraded',
      components: [
        {
          name: 'db',
          status: 'unknown',
          latencyMs: null,
          checkedAt: null,
          since: iso(0),
          critical: true,
        },
      ],
    });

    await vi.advanceTimersByTimeAsync(40);
    runs[0]!.answer(undefined);
    await vi.advanceTimersByTimeAsync(0);
    expect(checks.status()).toEqual({
      status: 'healthy',
      components: [
        {
          name: 'db',
          status: 'healthy',
          latencyMs: 40,
          checkedAt: iso(40),
          since: iso(40),
          critical: true,
        },
      ],
    });

    await vi.advanceTimersByTimeAsync(9_960);
    expect(check).toHaveBeenCalledTimes(2);
    runs[1]!.answer(true);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(check).toHaveBeenCalledTimes(3);
  });

  it('keeps since while the status holds and moves it when the status changes', async () => {
    let answer: CheckAnswer = true;
    checks.register('cache', async () => answer, { interval: 1_000 });
    await vi.advanceTimersByTimeAsync(0);

    await vi.advanceTimersByTimeAsync(1_000);
    expect(checks.status().components[0]).toMatchObject({ checkedAt: iso(1_000), since: iso(0) });

    answer = { status: 'degraded', message: 'replica lagging' };
    await vi.advanceTimersByTimeAsync(1_000);
    expect(checks.status().components[0]).toMatchObject({
      status: 'degraded',
      message: 'replica lagging',
      checkedAt: iso(2_000),
      since: iso(2_000),
    });
  });

  it('counts a hanging check unhealthy at its timeout and aborts its signal', async () => {
    const { check, last } = manualCheck();
    checks.register('api', check, { timeout: 2_000 });

    await vi.advanceTimersByTimeAsync(1_999);
    expect(checks.status().components[0]!.status).toBe('unknown');
    expect(last().signal.aborted).toBe(false);

    await vi.advanceTimersByTimeAsync(1);
    expect(last().signal.aborted).toBe(true);
    expect(checks.status()).toMatchObject({
      status: 'unhealthy',
      components: [{ status: 'unhealthy', message: 'timed out after 2000 ms', latencyMs: 2_000 }],
    });
  });

  it('never runs a check twice at once: a tick that finds it still running is skipped', async () => {
    const { check, runs } = manualCheck();
    checks.register('api', check, { interval: 1_000, timeout: 500 });

    await vi.advanceTimersByTimeAsync(3_000);
    expect(check).toHaveBeenCalledTimes(1);
    await expect(checks.checkNow('api')).resolves.toMatchObject({ status: 'unhealthy' });
    expect(check).toHaveBeenCalledTimes(1);

    runs[0]!.answer(true);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(check).toHaveBeenCalledTimes(2);
  });

  it('reads a throw and false as unhealthy, with the message of the error', async () => {
    checks.register('db', async () => {
      throw new Error('connection refused');
    });
    checks.register('queue', () => false);
    checks.register('search', () => {
      throw 'no index';
    });

    const report = await checks.checkNow();

    expect(
      report.components.map(({ name, status, message }) => ({ name, status, message })),
    ).toEqual([
      { name: 'db', status: 'unhealthy', message: 'connection refused' },
      { name: 'queue', status: 'unhealthy', message: 'the check answered false' },
      { name: 'search', status: 'unhealthy', message: 'no index' },
    ]);
  });

  it('judges the whole: a critical failure is unhealthy, a non-critical one or a degraded one degraded', async () => {
    let db: CheckAnswer = true;
    let cache: CheckAnswer = true;
    checks.register('db', () => db);
    checks.register('cache', () => cache, { critical: false });

    expect((await checks.checkNow()).status).toBe('healthy');
    cache = false;
    expect((await checks.checkNow()).status).toBe('degraded');
    cache = true;
    db = { status: 'degraded' };
    expect((await checks.checkNow()).status).toBe('degraded');
    db = false;
    expect((await checks.checkNow()).status).toBe('unhealthy');
  });

  it('tells every status change, and a listener that throws breaks nothing', async () => {
    let answer: CheckAnswer = true;
    const changes = vi.fn();
    checks.onChange(() => {
      throw new Error('listener bug');
    });
    checks.onChange(changes);
    checks.register('db', () => answer);

    await checks.checkNow('db');
    answer = false;
    await checks.checkNow('db');
    await checks.checkNow('db');
    answer = true;
    await checks.checkNow('db');

    expect(changes.mock.calls.map(([event]) => event)).toEqual([
      { name: 'db', from: 'unknown', to: 'healthy' },
      { name: 'db', from: 'healthy', to: 'unhealthy', message: 'the check answered false' },
      { name: 'db', from: 'unhealthy', to: 'healthy' },
    ]);
    expect(checks.status().status).toBe('healthy');
  });

  it('unregister aborts the running check, stops its runs and removes it from the status', async () => {
    const { check, last } = manualCheck();
    const unregister = checks.register('db', check, { interval: 1_000 });
    const changes = vi.fn();
    checks.onChange(changes);

    unregister();
    unregister();
    last().answer(true);
    await vi.advanceTimersByTimeAsync(5_000);

    expect(last().signal.aborted).toBe(true);
    expect(check).toHaveBeenCalledTimes(1);
    expect(checks.status()).toEqual({ status: 'healthy', components: [] });
    expect(changes).not.toHaveBeenCalled();
    checks.register('db', check);
    expect(check).toHaveBeenCalledTimes(2);
  });

  it('stop clears every timer and aborts running checks; their last results stay', async () => {
    const { check, last } = manualCheck();
    checks.register('cache', async () => true, { interval: 1_000 });
    checks.register('db', check, { interval: 1_000 });
    await vi.advanceTimersByTimeAsync(0);

    checks.stop();

    expect(vi.getTimerCount()).toBe(0);
    expect(last().signal.aborted).toBe(true);
    expect(checks.status().components.map((component) => component.status)).toEqual([
      'healthy',
      'unknown',
    ]);
    expect(() => checks.register('api', check)).toThrow(/stopped/);
    await expect(checks.checkNow()).rejects.toThrow(/stopped/);
  });

  it('refuses a second check of one name and bad options, naming them', async () => {
    checks.register('db', () => true);

    expect(() => checks.register('db', () => true)).toThrow(
      'health check db: a check of that name is already registered',
    );
    expect(() => checks.register('api', () => true, { interval: 0 })).toThrow(RangeError);
    expect(() => checks.register('api', () => true, { timeout: 'soon' })).toThrow(
      /health check api timeout/,
    );
    await expect(checks.checkNow('nope')).rejects.toThrow('no check named nope');
  });
});
