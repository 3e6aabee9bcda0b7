import { describe, expect, it } from 'vitest';
import { createExecutors } from '../../src/resilience/executors.js';
import { healthChecks } from '../../src/resilience/health-checks.js';
import { presets, withOverrides } from '../../src/resilience/presets.js';
import { registerResilienceMetrics } from '../../src/resilience/resilience-metrics.js';

const touchy = withOverrides(presets.testing, {
  api: { breaker: { opensAfter: { consecutive: 1 }, halfOpenAfter: '1m' }, timeout: false },
  database: { bulkhead: { limit: 1, queue: 0 }, timeout: false },
});

const down = async (): Promise<string> => {
  throw new Error('down');
};

/** The value of the sample `name{labels}` in a scrape, or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('registerResilienceMetrics', () => {
  it('reads the breakers and executors at each scrape', async () => {
    const executors = createExecutors({ preset: touchy });
    const registry = await registerResilienceMetrics({ executors });
    const billing = executors.forApi('billing', 'stale');
    await billing.execute(async () => 'ok');
    let text = await registry.metrics();
    expect(sample(text, 'overseer_breaker_state{breaker="billing",state="closed"}')).toBe(1);
    expect(
      sample(text, 'overseer_executor_calls_total{executor="billing",outcome="success"}'),
    ).toBe(1);

    await billing.execute(down);
    await billing.execute(down);
    text = await registry.metrics();
    expect(sample(text, 'overseer_breaker_state{breaker="billing",state="open"}')).toBe(1);
    expect(sample(text, 'overseer_breaker_state{breaker="billing",state="closed"}')).toBe(0);
    expect(sample(text, 'overseer_breaker_calls_total{breaker="billing",outcome="rejected"}')).toBe(
      1,
    );
    expect(sample(text, 'overseer_breaker_openings_total{breaker="billing"}')).toBe(1);
    expect(
      sample(text, 'overseer_executor_calls_total{executor="billing",outcome="failure"}'),
    ).toBe(1);
    expect(
      sample(text, 'overseer_executor_calls_total{executor="billing",outcome="rejected"}'),
    ).toBe(1);
    expect(sample(text, 'overseer_executor_fallbacks_total{executor="billing"}')).toBe(2);
    // A second scrape does not count the same calls twice.
    expect(await registry.metrics()).toBe(text);
  });

  it('counts the bulkhead refusals of an executor', async () => {
    const executors = createExecutors({ preset: touchy });
    const registry = await registerResilienceMetrics({
      executors: { stats: executors.stats, breakerStats: () => [] },
    });
    const users = executors.forDatabase('users');
    let release!: () => void;
    const holding = users.execute(() => new Promise<void>((resolve) => (release = resolve)));
    await users.execute(async () => 'refused');
    release();
    await holding;
    const text = await registry.metrics();
    expect(sample(text, 'overseer_bulkhead_rejections_total{executor="users"}')).toBe(1);
    expect(text).not.toContain('overseer_breaker_state{');
  });

  it('gives each health check its status and the latency of its last run', async () => {
    const health = healthChecks();
    let reachable = true;
    health.register('db', () => reachable);
    health.register('cache', () => ({ status: 'degraded', message: 'slow' }), { critical: false });
    try {
      await health.checkNow();
      const registry = await registerResilienceMetrics({ health });
      let text = await registry.metrics();
      const db = (status: string) =>
        sample(
          text,
          `overseer_health_check_status{component="db",status="${status}",critical="true"}`,
        );
      expect(db('healthy')).toBe(1);
      expect(
        sample(
          text,
          'overseer_health_check_status{component="cache",status="degraded",critical="false"}',
        ),
      ).toBe(1);
      expect(
        sample(text, 'overseer_health_check_latency_seconds{component="db"}'),
      ).toBeGreaterThanOrEqual(0);
      reachable = false;
      await health.checkNow('db');
      text = await registry.metrics();
      expect([db('healthy'), db('unhealthy')]).toEqual([0, 1]);
    } finally {
      health.stop();
    }
  });
});
