/**
 * Dependencies: a dependent starts only once its dependency meets the condition (here
 * `healthy`, gated by a readiness probe), fails when its dependency fails, and shutdown
 * stops dependents before what they depend on.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Status, Supervisor } from '../../../src/index.js';
import {
  cleanup,
  createSupervisor,
  describeEvents,
  fixture,
  freePort,
  isEvent,
  isGone,
  recordEvents,
} from '../helpers.js';

afterEach(cleanup);

describe('depends_on', () => {
  it('spawns a dependent of a slow HTTP server only after the server is ready', async () => {
    const port = await freePort();
    const supervisor = createSupervisor();
    supervisor.add({
      name: 'web',
      // Listens only after 500 ms: the readiness probe fails until then.
      command: fixture('http-server.mjs', port, 500),
      readiness: { http: `http://127.0.0.1:${port}/health`, interval: '50ms', timeout: '500ms' },
    });
    supervisor.add({
      name: 'worker',
      command: fixture('sleeper.mjs'),
      depends_on: { web: 'healthy' },
      restart: { min_uptime: '50ms' },
    });
    const events = recordEvents(supervisor);
    let workerWhenWebReady: Status | undefined;
    supervisor.on('process:ready', (event) => {
      if (event.name === 'web') workerWhenWebReady = supervisor.get('worker').status;
    });

    const infos = await supervisor.up();

    expect(infos.map((info) => [info.name, info.status, info.health])).toEqual([
      ['web', 'running', 'healthy'],
      ['worker', 'running', 'none'],
    ]);
    expect(workerWhenWebReady).toBe('pending');
    const order = describeEvents(events);
    const webReady = order.indexOf('process:ready web');
    expect(webReady).toBeGreaterThan(order.indexOf('process:started web'));
    // Before web was ready, the worker did nothing but wait, saying what for as it changed.
    const workerBefore = order.slice(0, webReady).filter((entry) => entry.endsWith(' worker'));
    expect(workerBefore.length).toBeGreaterThan(0);
    expect(new Set(workerBefore)).toEqual(new Set(['process:pending worker']));
    expect(
      events.filter(isEvent('process:pending', 'worker')).map((event) => event.reason),
    ).toContain('waiting for web to be healthy (web is starting)');
    expect(order.indexOf('process:starting worker')).toBeGreaterThan(webReady);
    const readyAt = events.find(isEvent('process:ready', 'web'))!.at;
    expect(events.find(isEvent('process:started', 'worker'))!.at).toBeGreaterThanOrEqual(readyAt);
    expect(supervisor.logs('web').map((line) => line.text)).toContain(`listening on ${port}`);
  });

  it('fails a dependent whose dependency failed, without spawning it', async () => {
    const supervisor = createSupervisor();
    supervisor.add({
      name: 'db',
      command: fixture('exit-with.mjs', 1),
      // A long min_uptime: db never counts as running (and so healthy) before it exits.
      restart: { policy: 'never', min_uptime: '1m' },
    });
    supervisor.add({ name: 'api', command: fixture('sleeper.mjs'), depends_on: { db: 'healthy' } });
    const events = recordEvents(supervisor);

    const infos = await supervisor.up();

    expect(infos.map((info) => [info.name, info.status, info.reason])).toEqual([
      ['db', 'failed', 'exited with code 1'],
      ['api', 'failed', 'dependency db failed'],
    ]);
    expect(events.some(isEvent('process:starting', 'api'))).toBe(false);
  });

  it('starts the named process and its dependencies, and nothing else', async () => {
    const supervisor = createChain();

    const infos = await supervisor.up(['api']);

    expect(infos.map((info) => [info.name, info.status])).toEqual([
      ['api', 'running'],
      ['db', 'running'],
    ]);
    expect(supervisor.get('web').status).toBe('stopped');
  });
});

describe('shutdown', () => {
  it('stops dependents before their dependencies and resolves once all are gone', async () => {
    const supervisor = createChain();
    const infos = await supervisor.up();
    expect(infos.every((info) => info.status === 'running')).toBe(true);
    const pids = infos.map((info) => info.pid!);
    const events = recordEvents(supervisor);

    await supervisor.shutdown();

    // Everything is gone the moment shutdown resolves: no waiting here.
    expect(pids.filter((pid) => !isGone(pid))).toEqual([]);
    expect(supervisor.list().map((info) => [info.name, info.status, info.pid])).toEqual([
      ['api', 'stopped', null],
      ['db', 'stopped', null],
      ['web', 'stopped', null],
    ]);
    expect(describeEvents(events, ['process:stopped', 'supervisor:shutdown'])).toEqual([
      'process:stopped web',
      'process:stopped api',
      'process:stopped db',
      'supervisor:shutdown',
    ]);
    // A dependency got its stop signal only after its dependent had stopped.
    const stoppedAt = (name: string) => events.find(isEvent('process:stopped', name))!.at;
    expect(sigtermAt(supervisor, 'api')).toBeGreaterThanOrEqual(stoppedAt('web'));
    expect(sigtermAt(supervisor, 'db')).toBeGreaterThanOrEqual(stoppedAt('api'));
  });

  // Regression: computing the stop order recursed forever on a cycle, so shutdown() threw
  // and left the running process behind.
  it('stops running processes even when other declared processes form a cycle', async () => {
    const supervisor = createSupervisor();
    supervisor.add({ name: 'svc', command: fixture('sleeper.mjs'), readiness: { log: '^ready$' } });
    const [running] = await supervisor.up();
    supervisor.add({ name: 'a', command: fixture('sleeper.mjs'), depends_on: ['b'] });
    supervisor.add({ name: 'b', command: fixture('sleeper.mjs'), depends_on: ['a'] });

    await supervisor.shutdown();

    expect(supervisor.get('svc').status).toBe('stopped');
    expect(isGone(running!.pid!)).toBe(true);
  });
});

/**
 * db ← api ← web, declared out of order so neither declaration order nor its reverse is the
 * stop order. Each takes 100 ms to exit after SIGTERM, so the layers are seen to wait.
 */
function createChain(): Supervisor {
  const supervisor = createSupervisor();
  const member = (name: string, dependsOn: string[]) =>
    supervisor.add({
      name,
      command: fixture('slow-stop.mjs', 100),
      depends_on: dependsOn,
      // Ready once the SIGTERM handler is installed, so every stop is logged.
      readiness: { log: '^ready$' },
    });
  member('api', ['db']);
  member('db', []);
  member('web', ['api']);
  return supervisor;
}

/** When the process received SIGTERM, by its own clock (slow-stop.mjs logs it). */
function sigtermAt(supervisor: Supervisor, name: string): number {
  const line = supervisor.logs(name).find((entry) => entry.text.startsWith('SIGTERM at '));
  expect(line, `${name} logged its SIGTERM`).toBeDefined();
  return Number(line!.text.slice('SIGTERM at '.length));
}
