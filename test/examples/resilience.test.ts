/**
 * The resilience example (examples/resilience) as a user runs it: through the built CLI, in
 * a copy of its folder on free ports, the package linked as `overseer` would be once
 * installed. The worker's /health and /metrics follow its upstream into failure.
 */
import { cpSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { cleanup, createProject, freePort, overseer, ps, row, waitFor } from '../cli/helpers.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/resilience/', import.meta.url));
const PACKAGE = fileURLToPath(new URL('../../', import.meta.url));

afterAll(cleanup);

async function get(port: number, path: string) {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, text: await response.text() };
}

it('the worker serves its health and metrics, and both say so when the upstream fails', async () => {
  const project = createProject(readFileSync(`${EXAMPLE}overseer.yaml`, 'utf8'));
  cpSync(EXAMPLE, project.dir, { recursive: true, filter: (path) => !path.includes('.overseer') });
  mkdirSync(join(project.dir, 'node_modules'));
  symlinkSync(PACKAGE, join(project.dir, 'node_modules', 'overseer'));
  const [upstream, worker] = [await freePort(), await freePort()];
  const env = { UPSTREAM_PORT: String(upstream), WORKER_PORT: String(worker) };

  const up = await overseer(project, ['up', '-d'], { env });
  expect(up.exitCode, String(up.stderr)).toBe(0);
  const rows = await ps(project);
  expect(row(rows, 'upstream')).toMatchObject({ status: 'running', health: 'healthy' });
  expect(row(rows, 'worker')).toMatchObject({ status: 'running', health: 'healthy' });

  await waitFor(async () => (await get(worker, '/health')).status === 200, 'a healthy worker');
  const before = await get(worker, '/metrics');
  expect(before.text).toContain('overseer_breaker_state{breaker="upstream",state="closed"} 1');

  await fetch(`http://127.0.0.1:${upstream}/mode/failing`, { method: 'POST' });
  const failing = await waitFor(async () => {
    const answer = await get(worker, '/health');
    return answer.status === 503 ? answer : undefined;
  }, 'the worker to report its upstream unhealthy');
  expect(JSON.parse(failing.text)).toMatchObject({
    status: 'unhealthy',
    components: expect.arrayContaining([
      expect.objectContaining({ name: 'upstream', status: 'unhealthy', critical: true }),
    ]),
  });
  const after = await get(worker, '/metrics');
  expect(after.text).toContain('overseer_breaker_state{breaker="upstream",state="open"} 1');
  expect(after.text).toMatch(/overseer_executor_fallbacks_total\{executor="upstream"\} [1-9]/);
});
