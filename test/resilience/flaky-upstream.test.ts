/**
 * The toolkit against a real service: the example's upstream, supervised, on 127.0.0.1,
 * made to fail, hang and recover. The executor's results, its breaker and `/health` (the
 * supervisor's processes and the components together, on a real server) follow it.
 */
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createAdaptorServer } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import { exponentialBackoff } from '../../src/core/backoff.js';
import { createMonitoringRoutes } from '../../src/daemon/routes.js';
import { BreakerOpenError, TimeoutError } from '../../src/resilience/errors.js';
import { createExecutors } from '../../src/resilience/executors.js';
import { healthChecks } from '../../src/resilience/health-checks.js';
import { presets } from '../../src/resilience/presets.js';
import { registerResilienceMetrics } from '../../src/resilience/resilience-metrics.js';
import { httpRequest } from '../daemon/helpers.js';
import { cleanup, createSupervisor, freePort, waitFor } from '../runtime/helpers.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/resilience/', import.meta.url));
const closers: Array<() => void> = [];

afterEach(async () => {
  for (const close of closers.splice(0)) close();
  await cleanup();
});

/** The example's upstream under a supervisor, its round off: the test sets its mode. */
async function superviseUpstream() {
  const port = await freePort();
  const supervisor = createSupervisor({ cwd: EXAMPLE });
  supervisor.add({
    name: 'upstream',
    command: ['node', 'upstream.mjs'],
    env: { UPSTREAM_PORT: String(port), UPSTREAM_ROUND: 'off' },
    readiness: { http: `http://127.0.0.1:${port}/health`, interval: '50ms' },
  });
  await supervisor.start('all');
  await waitFor(async () => (await supervisor.list())[0]?.health === 'healthy');
  const setMode = async (mode: 'healthy' | 'failing' | 'hanging') =>
    expect((await httpRequest({ port }, 'POST', `/mode/${mode}`)).status).toBe(204);
  return { supervisor, port, setMode };
}

async function serve(app: { fetch: (request: Request) => Response | Promise<Response> }) {
  const server = createAdaptorServer({ fetch: app.fetch });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => server.close());
  return (server.address() as AddressInfo).port;
}

describe('an executor calling a flaky upstream', () => {
  it('follows it through failing, hanging and recovering, and so do its breaker and /health', async () => {
    const upstream = await superviseUpstream();
    let now = 1_000_000;
    const executors = createExecutors({
      preset: presets.testing,
      clock: () => now,
      overrides: {
        api: {
          timeout: 300,
          retry: {
            attempts: 2,
            backoff: exponentialBackoff({ initialMs: 10, factor: 1, maxMs: 10 }),
          },
          breaker: { opensAfter: { consecutive: 2 }, halfOpenAfter: '5s' },
        },
      },
    });
    const quotes = executors.forApi('quotes', 'stale');
    const breaker = quotes.policies.breaker!;
    const health = healthChecks({ clock: () => now });
    closers.push(() => health.stop());
    health.register('quotes', () => breaker.state().kind === 'closed' || { status: 'unhealthy' }, {
      interval: '1h',
    });
    const metrics = await registerResilienceMetrics({ executors, health });
    const monitoring = await serve(
      createMonitoringRoutes(upstream.supervisor, { health, metrics }),
    );
    const call = () =>
      quotes.execute(async ({ signal }) => {
        const response = await fetch(`http://127.0.0.1:${upstream.port}/quote`, { signal });
        if (!response.ok) throw new Error(`upstream answered ${response.status}`);
        return (await response.json()) as { price: string };
      });
    const healthAnswer = async () => {
      await health.checkNow();
      const answer = await httpRequest({ port: monitoring }, 'GET', '/health');
      return { code: answer.status, body: JSON.parse(answer.text) };
    };

    // Healthy: a price at the first try; the process and the component both healthy.
    const fine = await call();
    expect(fine).toMatchObject({ success: true, usedFallback: false, attempts: 1 });
    expect(fine.success && fine.data).toMatchObject({ price: expect.any(String) });
    expect(await healthAnswer()).toMatchObject({
      code: 200,
      body: {
        status: 'ok',
        counts: { running: 1 },
        checks: [{ name: 'quotes', status: 'healthy' }],
      },
    });

    // Failing: two tries, both 503, open the breaker; the fallback answers.
    await upstream.setMode('failing');
    const failed = await call();
    expect(failed).toMatchObject({ success: true, data: 'stale', usedFallback: true, attempts: 2 });
    expect(failed.usedFallback && failed.error.message).toBe('upstream answered 503');
    expect(breaker.state()).toEqual({ kind: 'open', until: now + 5_000 });
    const down = await healthAnswer();
    expect(down.code).toBe(503);
    expect(down.body).toMatchObject({
      status: 'failing',
      concerns: ['quotes: unhealthy (critical)'],
    });
    const scrape = (await httpRequest({ port: monitoring }, 'GET', '/metrics')).text;
    expect(scrape).toContain('overseer_process_up{name="upstream",namespace="default"} 1');
    expect(scrape).toContain('overseer_breaker_state{breaker="quotes",state="open"} 1');

    // While open, calls are refused without reaching the upstream.
    const refused = await call();
    expect(refused).toMatchObject({ usedFallback: true, attempts: 0 });
    expect(refused.usedFallback && refused.error).toBeInstanceOf(BreakerOpenError);

    // Hanging: the trial runs into its deadline, and the breaker opens again.
    await upstream.setMode('hanging');
    now += 5_000;
    const hung = await call();
    expect(hung).toMatchObject({ usedFallback: true, attempts: 1 });
    expect(hung.usedFallback && hung.error).toBeInstanceOf(TimeoutError);
    expect(breaker.state().kind).toBe('open');

    // Recovered: the next trial closes it, and /health is 200 again.
    await upstream.setMode('healthy');
    now += 5_000;
    expect(await call()).toMatchObject({ success: true, usedFallback: false, attempts: 1 });
    expect(breaker.state()).toEqual({ kind: 'closed' });
    expect(await healthAnswer()).toMatchObject({ code: 200, body: { status: 'ok' } });
    expect(executors.stats()[0]).toMatchObject({
      calls: { success: 2, failure: 2, rejected: 1, aborted: 0 },
      fallbacks: 3,
      timeouts: 1,
    });
  });
});
