/**
 * Selectors and waits end to end, through the built CLI and a served daemon (docs/cli.md,
 * §7): every name is resolved before anything is done; a waiting process says why;
 * commands that wait show what they wait for and honour `--wait-timeout`; `start_timeout`
 * ends a start that would never end.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProcessInfo } from '../../src/index.js';
import {
  cleanup,
  createProject,
  fixture,
  freePort,
  isGone,
  overseer,
  type Project,
  ps,
  row,
  waitFor,
} from './helpers.js';

afterEach(cleanup);

/** What must not change when a command is refused: who runs, as which pid, restarted how often. */
const identity = (rows: readonly ProcessInfo[]) =>
  rows.map((info) => [info.name, info.status, info.pid, info.restarts]);

/** web (two instances), worker and ticker, all running. */
async function startTrio(): Promise<Project> {
  const project = createProject(`version: 1
processes:
  web:
    command: ${fixture('sleeper.mjs')}
    instances: 2
    readiness: { log: "^ready$" }
  worker:
    command: ${fixture('sleeper.mjs')}
    readiness: { log: "^ready$" }
  ticker:
    command: ${fixture('sleeper.mjs')}
    readiness: { log: "^ready$" }
`);
  const up = await overseer(project, ['up', '-d']);
  expect(up.exitCode, String(up.stderr)).toBe(0);
  return project;
}

describe('selectors', () => {
  it('restart web worker nope exits 2 and restarts neither web nor worker', async () => {
    const project = await startTrio();
    const before = await ps(project);

    const restart = await overseer(project, ['restart', 'web', 'worker', 'nope']);
    const stop = await overseer(project, ['stop', 'ticker', 'nope']);

    const after = await ps(project);
    expect(identity(after)).toEqual(identity(before));
    for (const info of after) expect(isGone(info.pid!)).toBe(false);
    for (const refused of [restart, stop]) {
      expect(refused.exitCode, refused.command).toBe(2);
      expect(refused.stderr, refused.command).toBe('overseer: no process named nope\n');
      expect(refused.stdout, refused.command).toBe('');
    }
    // Every unknown name is named at once, not only the first.
    const several = await overseer(project, ['start', 'nada', 'web-0', 'nope']);
    expect(several.exitCode).toBe(2);
    expect(several.stderr).toBe('overseer: no processes named nada, nope\n');
  });

  it('start worker web-1 with web-1 running starts worker and leaves web-1 be; web-1 named alone is refused', async () => {
    const project = await startTrio();
    const stopped = await overseer(project, ['stop', 'worker']);
    expect(stopped.exitCode, String(stopped.stderr)).toBe(0);
    const before = await ps(project);

    // Several names: what is already so is left as it is, and said, not an error.
    const start = await overseer(project, ['start', 'worker', 'web-1']);
    expect(start.exitCode, String(start.stderr)).toBe(0);
    expect(start.stderr).toBe('overseer: web-1 is already running: left as it is\n');
    const after = await ps(project);
    expect(row(after, 'worker').status).toBe('running');
    expect(row(after, 'web-1').pid).toBe(row(before, 'web-1').pid);

    // One instance named alone: saying it is already so is worth an error.
    const alone = await overseer(project, ['start', 'web-1']);
    expect(alone.exitCode).toBe(1);
    expect(alone.stderr).toBe('overseer: web-1 is already running\n');
    // Every name is still judged first: an unknown one refuses the whole command.
    const unknown = await overseer(project, ['stop', 'worker', 'nope']);
    expect(unknown.exitCode).toBe(2);
    expect(row(await ps(project), 'worker').status).toBe('running');
  });

  it('stop web with web-1 already stopped stops web-0: a process named whole goes to the instances it applies to', async () => {
    const project = await startTrio();
    expect((await overseer(project, ['stop', 'web-1'])).exitCode).toBe(0);

    const stop = await overseer(project, ['stop', 'web']);
    expect(stop.exitCode, String(stop.stderr)).toBe(0);
    const rows = await ps(project);
    expect(row(rows, 'web-0').status).toBe('stopped');
    expect(row(rows, 'web-1').status).toBe('stopped');
    // Stopped whole: now nothing of web runs, and a stop has nothing to do, successfully.
    const again = await overseer(project, ['stop', 'web']);
    expect(again.exitCode, String(again.stderr)).toBe(0);
    expect(again.stderr).toMatch(/^overseer: web-0 is not running \(stopped\): left as it is\n/);
  });

  it('takes an instance alone, and all for every process', async () => {
    const project = await startTrio();
    const before = await ps(project);

    const one = await overseer(project, ['restart', 'web-1', '--json']);
    expect(one.exitCode, String(one.stderr)).toBe(0);
    const restarted = (JSON.parse(String(one.stdout)) as { processes: ProcessInfo[] }).processes;
    expect(restarted.map((info) => [info.name, info.status])).toEqual([['web-1', 'running']]);
    const afterOne = await ps(project);
    expect(row(afterOne, 'web-1').pid).not.toBe(row(before, 'web-1').pid);
    for (const name of ['web-0', 'worker', 'ticker']) {
      expect(row(afterOne, name).pid, name).toBe(row(before, name).pid);
    }

    const stopAll = await overseer(project, ['stop', 'all']);
    expect(stopAll.exitCode, String(stopAll.stderr)).toBe(0);
    expect((await ps(project)).map((info) => info.status)).toEqual(Array(4).fill('stopped'));
    for (const info of afterOne) expect(isGone(info.pid!)).toBe(true);

    const startAll = await overseer(project, ['start', 'all']);
    expect(startAll.exitCode, String(startAll.stderr)).toBe(0);
    expect((await ps(project)).map((info) => info.status)).toEqual(Array(4).fill('running'));
  });
});

describe('waiting says why', () => {
  it('restart worker while its dependency is stopped says what it waits for instead of hanging', async () => {
    const project = createProject(`version: 1
processes:
  db:
    command: ${fixture('sleeper.mjs')}
    readiness: { log: "^ready$" }
  worker:
    command: ${fixture('sleeper.mjs')}
    depends_on: { db: healthy }
`);
    expect((await overseer(project, ['up', '-d'])).exitCode).toBe(0);
    expect((await overseer(project, ['stop', 'db'])).exitCode).toBe(0);
    const worker = row(await ps(project), 'worker');

    const restart = await overseer(project, ['restart', 'worker'], { timeoutMs: 10_000 });

    expect(restart.timedOut).toBe(false);
    expect(restart.exitCode).toBe(1);
    const waitsFor = 'waiting for db to be healthy (db is stopped)';
    expect(String(restart.stderr)).toContain(
      `overseer: worker stays pending: ${waitsFor}. Start what it waits for, or run \`overseer up worker\` to start it with its dependencies.\n`,
    );
    expect(isGone(worker.pid!)).toBe(true);
    expect(row(await ps(project), 'worker')).toMatchObject({ status: 'pending', reason: waitsFor });

    // What it waits for comes: it starts by itself.
    expect((await overseer(project, ['start', 'db'])).exitCode).toBe(0);
    await waitFor(
      async () => row(await ps(project), 'worker').status === 'running',
      'worker running once db is',
    );
  });

  it('restart slow web: a first name that never gets ready does not keep web from being restarted', async () => {
    const port = await freePort();
    const project = createProject(`version: 1
processes:
  slow:
    command: ${fixture('sleeper.mjs')}
    readiness: { tcp: "127.0.0.1:${port}", interval: 100ms }
    start_timeout: 0
  web:
    command: ${fixture('sleeper.mjs')}
    readiness: { log: "^ready$" }
`);
    await overseer(project, ['up', '-d', '--wait-timeout', '1s']);
    const before = row(await ps(project), 'web');
    expect(before.status).toBe('running');

    const restart = await overseer(project, ['restart', 'slow', 'web', '--wait-timeout', '1s']);

    expect(restart.exitCode).toBe(1);
    const web = row(await ps(project), 'web');
    expect(web.restarts).toBe(before.restarts + 1);
    expect(web.pid).not.toBe(before.pid);
  });

  it('--wait-timeout ends a wait on a start that never gets ready, naming who waits and why', async () => {
    const port = await freePort();
    const project = createProject(`version: 1
processes:
  slow:
    command: ${fixture('sleeper.mjs')}
    # Nothing listens there: every check is refused.
    readiness: { tcp: "127.0.0.1:${port}", interval: 100ms }
    start_timeout: 0
`);
    const stillStarting = /slow starting: readiness: connection refused ×\d+ since \d\d:\d\d:\d\d/;

    const up = await overseer(project, ['up', '-d', '--wait-timeout', '1500ms']);
    expect(up.exitCode).toBe(1);
    expect(String(up.stderr)).toMatch(
      new RegExp(`^overseer: still waiting after 1.5s: ${stillStarting.source}\\n$`),
    );
    // up -d showed what the start was held up by as it happened.
    expect(String(up.stdout)).toMatch(
      /^slow starting: readiness: connection refused ×\d+ since \d\d:\d\d:\d\d$/m,
    );

    const restart = await overseer(project, ['restart', 'slow', '--wait-timeout', '500ms']);
    expect(restart.exitCode).toBe(1);
    expect(String(restart.stderr)).toMatch(
      new RegExp(`overseer: still waiting after 500ms: ${stillStarting.source}\\n$`),
    );
    const slow = row(await ps(project), 'slow');
    expect(slow.status).toBe('starting');
    expect(slow.reason).toMatch(/^readiness: connection refused ×\d+ since/);
    expect(slow.healthScore).toBeLessThan(100);

    const bad = await overseer(project, ['restart', 'slow', '--wait-timeout', 'soon']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toBe('overseer: --wait-timeout: "soon" is not a duration (e.g. 30s, 2m)\n');
  });

  it('a start that never gets ready fails at start_timeout, and the supervisor log says why', async () => {
    const port = await freePort();
    const project = createProject(`version: 1
processes:
  slow:
    command: ${fixture('sleeper.mjs')}
    readiness: { tcp: "127.0.0.1:${port}", interval: 100ms }
    start_timeout: 400ms
    # A backoff long enough for up -d to see it.
    restart: { max_restarts: 1, delay: 300ms }
`);

    const up = await overseer(project, ['up', '-d', '--wait-timeout', '10s']);

    expect(up.exitCode).toBe(1);
    const slow = row(await ps(project), 'slow');
    expect(slow).toMatchObject({ status: 'failed', restarts: 1 });
    expect(slow.reason).toMatch(
      /^not ready within start_timeout 400ms \(readiness: connection refused ×\d+ since \d\d:\d\d:\d\d\); restart budget spent after /,
    );
    expect(String(up.stdout)).toMatch(/^slow backoff: not ready within start_timeout 400ms/m);
    const log = readFileSync(join(project.stateDir, 'overseer.log'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(log).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        msg: 'process:starting',
        name: 'slow',
        reason: expect.stringMatching(/^readiness: connection refused ×1 since/),
      }),
    );
  });
});
