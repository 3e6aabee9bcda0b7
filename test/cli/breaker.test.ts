/**
 * The restart circuit breaker and `depends_on … restart: true`, end to end (docs/lifecycle.md):
 * a process failed by a spent budget comes back by itself after its cooldown, `ps` saying
 * when; a dependent follows its dependency's restart. One daemon for the file.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cleanup,
  createProject,
  fixture,
  inspect,
  overseer,
  type Project,
  ps,
  row,
  waitFor,
} from './helpers.js';

const SLEEPER = fileURLToPath(new URL('../fixtures/sleeper.mjs', import.meta.url));

let project: Project;

beforeAll(async () => {
  // `flaky` fails at once until the file `healed` exists; then it stays up.
  const flaky = `if [ -f healed ]; then exec ${process.execPath} ${SLEEPER}; else exit 1; fi`;
  project = createProject(`version: 1
name: brk
processes:
  flaky:
    command: ${JSON.stringify(flaky)}
    restart: { max_restarts: 1, delay: 10ms, min_uptime: 150ms, cooldown: 300ms, max_cooldown: 600ms }
  doomed:
    command: ${fixture('exit-with.mjs', 3)}
    restart: { max_restarts: 0, cooldown: 10m }
  db:
    command: ${fixture('sleeper.mjs')}
    readiness: { log: "^ready$", interval: 50ms }
  api:
    command: ${fixture('sleeper.mjs')}
    depends_on: { db: { condition: healthy, restart: true } }
    restart: { min_uptime: 100ms }
`);
  // `flaky` and `doomed` failing make `up` exit 1; the rest of the stack is up all the same.
  const result = await overseer(project, ['up', '-d']);
  expect(result.exitCode, `${String(result.stdout)}${String(result.stderr)}`).toBe(1);
  expect(String(result.stdout)).toMatch(/flaky/);
});

afterAll(cleanup);

describe('a failed process with restart.cooldown', () => {
  it('is tried again by itself, the cooldown doubled while it fails, and stays once it is up', async () => {
    const first = await waitFor(async () => {
      const flaky = row(await ps(project), 'flaky');
      return flaky.status === 'failed' && flaky.retryAt !== null ? flaky : null;
    }, 'flaky failed with a retryAt');
    // The budget spent, or already a try after the cooldown that failed: `up` took a while.
    expect(first.reason).toMatch(
      /^(restart budget spent|not up after a cooldown of \d+ms): exited with code 1/,
    );
    const table = await overseer(project, ['ps'], { env: { NO_COLOR: '1' } });
    expect(String(table.stdout)).toMatch(/flaky .*failed.*\(retry in \d+ms\)/);

    // The try after the cooldown fails too: failed again, to be tried later still.
    const second = await waitFor(async () => {
      const flaky = row(await ps(project), 'flaky');
      return flaky.status === 'failed' && flaky.retryAt !== first.retryAt ? flaky : null;
    }, 'the half-open try to fail');
    expect(second.reason).toMatch(/^not up after a cooldown of (300|600)ms: exited with code 1$/);
    expect(Date.parse(second.retryAt!)).toBeGreaterThan(Date.parse(first.retryAt!));

    writeFileSync(join(project.dir, 'healed'), '');
    const up = await waitFor(async () => {
      const flaky = row(await ps(project), 'flaky');
      return flaky.status === 'running' ? flaky : null;
    }, 'flaky to come back by itself');
    expect(up).toMatchObject({ retryAt: null, reason: null });
  });
});

describe('stop of a failed process waiting for its retry', () => {
  it('is taken: the retry is off, the process stopped; a second stop is refused', async () => {
    const doomed = await waitFor(async () => {
      const info = row(await ps(project), 'doomed');
      return info.status === 'failed' ? info : null;
    }, 'doomed to fail');
    expect(doomed.retryAt).not.toBeNull();

    const stop = await overseer(project, ['stop', 'doomed']);
    expect(stop.exitCode, String(stop.stderr)).toBe(0);
    expect(row(await ps(project), 'doomed')).toMatchObject({ status: 'stopped', retryAt: null });

    const again = await overseer(project, ['stop', 'doomed']);
    expect(again.exitCode).toBe(1);
    expect(String(again.stderr)).toMatch(/doomed is not running \(stopped\)/);
  });
});

describe('depends_on with restart: true', () => {
  it('restarts the dependent after its dependency restarts, once the dependency is healthy again', async () => {
    const before = await waitFor(async () => {
      const rows = await ps(project);
      const up = (name: string) => row(rows, name).status === 'running';
      return up('db') && up('api') ? rows : null;
    }, 'db and api running');
    const apiPid = row(before, 'api').pid;

    const restart = await overseer(project, ['restart', 'db']);
    expect(restart.exitCode, String(restart.stderr)).toBe(0);

    const after = await waitFor(async () => {
      const rows = await ps(project);
      const api = row(rows, 'api');
      return api.status === 'running' && api.pid !== apiPid ? rows : null;
    }, 'api restarted with a new pid');
    expect(row(after, 'db').status).toBe('running');
    const { runs } = await inspect(project, 'api');
    // Regression: it read `restart requested`, a request nobody made.
    expect(runs.at(-2)?.reason).toBe('db restarted');
  });
});
