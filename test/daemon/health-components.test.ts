/**
 * `/health` with the application's components (`MonitoringOptions.health`), served on a
 * real HTTP server on 127.0.0.1: the status and the answer's code follow the components'
 * last results, next to the processes'.
 */
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { createMonitoringRoutes } from '../../src/daemon/routes.js';
import type { CheckAnswer } from '../../src/resilience/health-check-run.js';
import { type HealthChecks, healthChecks } from '../../src/resilience/health-checks.js';
import { cleanupAll, createSupervisor, httpRequest, json } from './helpers.js';

const closers: Array<() => Promise<void>> = [];
let checks: HealthChecks | undefined;

afterEach(async () => {
  checks?.stop();
  await Promise.all(closers.splice(0).map((close) => close()));
  await cleanupAll();
});

/** `app` served on an ephemeral port of 127.0.0.1 until the test ends. */
async function serve(app: Hono): Promise<number> {
  const server = createAdaptorServer({ fetch: app.fetch });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  );
  return (server.address() as AddressInfo).port;
}

async function getHealth(port: number) {
  const response = await httpRequest({ port }, 'GET', '/health');
  // biome-ignore lint/suspicious/noExplicitAny: shapes are checked by the assertions
  return { status: response.status, body: json(response) as any };
}

describe('GET /health with component checks', () => {
  it('reports components with the processes: 503 for a critical failure, degraded for a non-critical one', async () => {
    const answers: Record<string, CheckAnswer> = { db: true, cache: true };
    checks = healthChecks();
    checks.register('db', () => answers.db);
    checks.register('cache', () => answers.cache, { critical: false });
    await checks.checkNow();
    const port = await serve(createMonitoringRoutes(createSupervisor(), { health: checks }));

    const healthy = await getHealth(port);
    expect(healthy.status).toBe(200);
    expect(healthy.body).toMatchObject({ status: 'ok', concerns: [] });
    expect(healthy.body.checks).toEqual([
      {
        name: 'db',
        status: 'healthy',
        latencyMs: expect.any(Number),
        checkedAt: expect.any(String),
        since: expect.any(String),
        critical: true,
      },
      expect.objectContaining({ name: 'cache', status: 'healthy', critical: false }),
    ]);

    answers.db = { status: 'unhealthy', message: 'connection refused' };
    await checks.checkNow('db');
    const failing = await getHealth(port);
    expect(failing.status).toBe(503);
    expect(failing.body).toMatchObject({
      status: 'failing',
      concerns: ['db: unhealthy (critical): connection refused'],
    });

    answers.db = true;
    answers.cache = false;
    await checks.checkNow();
    const degraded = await getHealth(port);
    expect(degraded.status).toBe(200);
    expect(degraded.body).toMatchObject({
      status: 'degraded',
      concerns: ['cache: unhealthy: the check answered false'],
    });

    answers.cache = true;
    await checks.checkNow();
    const recovered = await getHealth(port);
    expect(recovered.status).toBe(200);
    expect(recovered.body).toMatchObject({ status: 'ok', concerns: [] });
  });

  it('reads the last results: a request runs no check', async () => {
    let runs = 0;
    checks = healthChecks();
    checks.register('db', () => {
      runs += 1;
    });
    const port = await serve(createMonitoringRoutes(createSupervisor(), { health: checks }));

    await getHealth(port);
    await getHealth(port);

    expect(runs).toBe(1);
  });

  it('answers no components without a source of them', async () => {
    const port = await serve(createMonitoringRoutes(createSupervisor()));

    const { status, body } = await getHealth(port);

    expect(status).toBe(200);
    expect(body).not.toHaveProperty('checks');
  });
});
