/**
 * reload, scale and signal: one contract suite run against the three sides that offer them
 * (the library's Supervisor, the API a daemon serves, the client over the daemon's socket),
 * then the routes' answers to bodies that are not what they expect.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SupervisorEvent } from '../../src/core/events.js';
import { createMonitoringRoutes } from '../../src/daemon/routes.js';
import { servedApi } from '../../src/daemon/served-api.js';
import type { SupervisorApi } from '../../src/protocol/api.js';
import { HttpSupervisorClient } from '../../src/protocol/client.js';
import {
  type AnySupervisor,
  cleanupAll,
  createSupervisor,
  fixture,
  openDaemon,
  recordEvents,
  tempDir,
  waitFor,
} from '../daemon/helpers.js';

afterEach(cleanupAll);

/** A tiny HTTP server that prints a line on SIGUSR1; ready once it listens. */
function server(dir: string, instances?: number) {
  return {
    command: fixture('control-server.mjs', dir),
    readiness: { log: '^listening on' },
    ...(instances === undefined ? {} : { instances }),
  };
}

interface Subject {
  readonly api: SupervisorApi;
  readonly supervisor: AnySupervisor;
}

async function daemonSubject(remote: boolean): Promise<Subject> {
  const dir = tempDir();
  const processes = { web: server(dir, 2), solo: server(dir) };
  const { daemon, socketPath } = await openDaemon({ processes }, dir);
  await daemon.up();
  const api = remote
    ? new HttpSupervisorClient({ socketPath })
    : servedApi(daemon.supervisor, () => {});
  return { api, supervisor: daemon.supervisor };
}

const SUBJECTS: ReadonlyArray<readonly [string, () => Promise<Subject>]> = [
  [
    'the in-process Supervisor',
    async () => {
      const dir = tempDir();
      const supervisor = createSupervisor({ cwd: dir });
      supervisor.add({ name: 'web', ...server(dir, 2) });
      supervisor.add({ name: 'solo', ...server(dir) });
      await supervisor.up();
      return { api: supervisor, supervisor };
    },
  ],
  ['the API a daemon serves, in its process', () => daemonSubject(false)],
  ['the client over the Unix socket', () => daemonSubject(true)],
];

async function failure(call: () => unknown): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

const said = (event: SupervisorEvent) =>
  'name' in event ? `${event.type} ${event.name}` : event.type;

describe.each(SUBJECTS)('reload, scale and signal: %s', (_name, make) => {
  it('signal() reaches each running instance; reload() replaces one at a time; scale() adds and removes; each refuses what it cannot do', async () => {
    const { api, supervisor } = await make();
    const events = recordEvents(supervisor);

    const signalled = await api.signal('web', 'usr1');
    expect(signalled.signal).toBe('SIGUSR1');
    expect(signalled.signalled.map((row) => row.name)).toEqual(['web-0', 'web-1']);
    expect(signalled.notRunning).toEqual([]);
    for (const name of ['web-0', 'web-1']) {
      await waitFor(() =>
        supervisor.logs(name).some((line) => line.text === `got SIGUSR1 in ${name}`),
      );
      expect(events.map(said)).toContain(`process:signalled ${name}`);
    }
    const pidsBefore = supervisor.list().map((row) => row.pid);

    const report = await api.reload('web');
    expect(report).toMatchObject({
      ok: true,
      instances: [
        { name: 'web-0', outcome: 'replaced', readyInMs: expect.any(Number) },
        { name: 'web-1', outcome: 'replaced', readyInMs: expect.any(Number) },
      ],
      plainRestarts: [],
    });
    const order = events.map(said);
    // web-1 was stopped only once web-0's replacement was ready.
    const ready0 = order.lastIndexOf('process:ready web-0');
    expect(order.indexOf('process:exit web-1')).toBeGreaterThan(ready0);
    expect(order.indexOf('process:exit web-0')).toBeLessThan(ready0);
    const pidsAfter = supervisor.list().map((row) => row.pid);
    expect(pidsAfter.slice(0, 2).every((pid, k) => pid !== pidsBefore[k])).toBe(true);
    expect(pidsAfter[2]).toBe(pidsBefore[2]);

    const grown = await api.scale('web', 3);
    expect(grown.map((row) => [row.name, row.status])).toEqual([
      ['web-0', 'running'],
      ['web-1', 'running'],
      ['web-2', 'running'],
    ]);
    expect(grown.slice(0, 2).map((row) => row.pid)).toEqual(pidsAfter.slice(0, 2));
    expect((await api.list()).map((row) => row.name)).toEqual(['web-0', 'web-1', 'web-2', 'solo']);

    const shrunk = await api.scale('web', 1);
    expect(shrunk.map((row) => [row.name, row.pid])).toEqual([['web-0', pidsAfter[0]]]);
    expect((await api.list()).map((row) => row.name)).toEqual(['web-0', 'solo']);
    await expectRefusals(api, supervisor);
  });
});

/** What reload, scale and signal refuse, each naming what was wrong; nothing changes. */
async function expectRefusals(api: SupervisorApi, supervisor: AnySupervisor): Promise<void> {
  const pids = supervisor.list().map((row) => row.pid);
  const refusals: Array<[() => unknown, string, string | RegExp]> = [
    [
      () => api.scale('web-0', 2),
      'BAD_REQUEST',
      "web-0 is one instance of web: scale takes the process's name (web)",
    ],
    [() => api.scale('solo', 2), 'BAD_REQUEST', /^solo was declared without `instances:`/],
    [
      () => api.scale('web', 0),
      'BAD_REQUEST',
      /^instances: expected a whole number from 1 to 1000, got 0/,
    ],
    [() => api.scale('all', 2), 'BAD_REQUEST', 'scale takes the name of one process, not all'],
    [() => api.scale('nope', 2), 'UNKNOWN_PROCESS', 'no process named nope'],
    [() => api.signal('web', '9'), 'BAD_REQUEST', /^signal: expected a signal name/],
    [() => api.signal('nope', 'HUP'), 'UNKNOWN_PROCESS', 'no process named nope'],
    [() => api.reload('nope'), 'UNKNOWN_PROCESS', 'no process named nope'],
  ];
  for (const [call, code, message] of refusals) {
    expect(await failure(call)).toMatchObject({ code, message });
  }
  await api.stop('solo');
  expect(await failure(() => api.signal('solo', 'HUP'))).toMatchObject({
    code: 'INVALID_STATE',
    message: 'solo is not running (stopped)',
  });
  expect(await failure(() => api.reload('solo'))).toMatchObject({
    code: 'INVALID_STATE',
    message: 'solo is not running (stopped)',
  });
  expect(supervisor.list()[0]!.pid).toBe(pids[0]);
}

describe('the control routes', () => {
  it('answer 400 naming what is wrong with a body, before acting', async () => {
    const supervisor = createSupervisor();
    supervisor.add({ name: 'web', command: fixture('sleeper.mjs'), instances: 2 });
    const app = createMonitoringRoutes(supervisor);
    const post = async (path: string, body: string) => {
      const res = await app.request(path, { method: 'POST', body });
      return [res.status, ((await res.json()) as { error: { message: string } }).error.message];
    };

    expect(await post('/processes/web/scale', '{}')).toEqual([
      400,
      'instances: expected a whole number, got nothing',
    ]);
    expect(await post('/processes/web/scale', '{"instances":"3"}')).toEqual([
      400,
      'instances: expected a whole number, got "3"',
    ]);
    expect(await post('/processes/web/scale', 'three')).toEqual([
      400,
      'the body is not JSON: expected {"instances": N}',
    ]);
    expect(await post('/processes/web/signal', '[]')).toEqual([
      400,
      'expected a JSON object {"signal": "SIGHUP"}',
    ]);
    expect(await post('/processes/web/signal', '{"signal":9}')).toEqual([
      400,
      'signal: expected a signal name such as "SIGHUP", got 9',
    ]);
    expect(supervisor.list().map((row) => row.status)).toEqual(['stopped', 'stopped']);
  });
});
