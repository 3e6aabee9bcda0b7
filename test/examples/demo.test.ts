/**
 * The demo stack the README's first command runs (examples/demo), brought up as a user
 * would, through the built CLI in a copy of its folder on free ports: every process ends
 * where the demo's comments say it does.
 */
import { cpSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { cleanup, createProject, freePort, overseer, ps, row } from '../cli/helpers.js';

const DEMO = fileURLToPath(new URL('../../examples/demo/', import.meta.url));

afterAll(cleanup);

it('the demo stack comes up: api and workers serve, the job ran, flaky waits for its retry, the heartbeat waits for its schedule', async () => {
  const project = createProject(readFileSync(`${DEMO}overseer.yaml`, 'utf8'));
  cpSync(DEMO, project.dir, { recursive: true, filter: (path) => !path.includes('.overseer') });
  const env = { DEMO_PORT: String(await freePort()), DEMO_CACHE_PORT: String(await freePort()) };

  const up = await overseer(project, ['up', '-d'], { env });

  // flaky is meant to fail: `up -d` says so, and exits 1.
  expect(up.exitCode, String(up.stderr)).toBe(1);
  expect(`${up.stdout}${up.stderr}`).toMatch(/flaky failed: restart budget spent/);
  const rows = await ps(project);
  expect(row(rows, 'migrate')).toMatchObject({ status: 'completed', namespace: 'backend' });
  expect(row(rows, 'api')).toMatchObject({ status: 'running', health: 'healthy' });
  for (const name of ['worker-0', 'worker-1']) {
    expect(row(rows, name)).toMatchObject({ status: 'running', namespace: 'workers' });
  }
  expect(row(rows, 'cache').status).toBe('running');
  expect(row(rows, 'flaky').status).toBe('failed');
  expect(row(rows, 'flaky').retryAt).not.toBeNull();
  // Between two fires it waits; at the very moment of one (every 15 s) it runs.
  const heartbeat = row(rows, 'heartbeat');
  if (heartbeat.status === 'scheduled') expect(heartbeat.nextRunAt).not.toBeNull();
  else expect(['pending', 'starting', 'running']).toContain(heartbeat.status);
  expect(row(rows, 'api').labels).toEqual({ app: 'demo' });
});
