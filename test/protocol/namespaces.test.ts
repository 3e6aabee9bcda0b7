/**
 * Namespaces, labels and list filters as one contract, held by the in-process Supervisor,
 * by the API a daemon serves (in its process) and by the HTTP client over the daemon's Unix
 * socket: `list({namespace, status, label})`, requests on a namespace, and the errors that
 * name what was wrong. Then what only the wire shows: the status of each error, and the
 * query a filter becomes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Wish } from '../../src/core/stack/desired-state.js';
import { servedApi } from '../../src/daemon/served-api.js';
import type { SupervisorApi } from '../../src/protocol/api.js';
import { HttpSupervisorClient } from '../../src/protocol/client.js';
import {
  cleanupAll,
  createSupervisor,
  fixture,
  httpRequest,
  json,
  openDaemon,
  sleeper,
  waitFor,
} from '../daemon/helpers.js';

/** api and db in backend, web in frontend, a completed job in default. */
const PROCESSES = {
  api: { ...sleeper(), namespace: 'backend', labels: { tier: 'app', team: 'core' } },
  db: { ...sleeper(), namespace: 'backend', labels: { tier: 'data' } },
  web: { ...sleeper(), namespace: 'frontend', labels: { tier: 'app' } },
  once: { command: fixture('exit-with.mjs', 0), kind: 'job' as const },
};

interface Subject {
  readonly api: SupervisorApi;
  /** The wishes remembered for requests; `undefined` where nothing remembers them. */
  readonly remembered: (readonly [readonly string[], Wish])[] | undefined;
}

async function completed(list: SupervisorApi['list']): Promise<void> {
  await waitFor(
    async () => (await list({ names: ['once'] }))[0]!.status === 'completed',
    5_000,
    'once to complete',
  );
}

const SUBJECTS: ReadonlyArray<readonly [string, () => Promise<Subject>]> = [
  [
    'the in-process Supervisor',
    async () => {
      const supervisor = createSupervisor();
      for (const [name, entry] of Object.entries(PROCESSES)) supervisor.add({ name, ...entry });
      await supervisor.up();
      await completed((filter) => supervisor.list(filter));
      return { api: supervisor, remembered: undefined };
    },
  ],
  [
    'the API a daemon serves, in its process',
    async () => {
      const { daemon } = await openDaemon({ processes: PROCESSES });
      await daemon.up();
      await completed((filter) => daemon.supervisor.list(filter));
      const remembered: NonNullable<Subject['remembered']> = [];
      const api = servedApi(daemon.supervisor, (names, wish) => remembered.push([names, wish]));
      return { api, remembered };
    },
  ],
  [
    'the client over the Unix socket',
    async () => {
      const { daemon, socketPath } = await openDaemon({ processes: PROCESSES });
      await daemon.up();
      await completed((filter) => daemon.supervisor.list(filter));
      return { api: new HttpSupervisorClient({ socketPath }), remembered: undefined };
    },
  ],
];

/** What a call threw or rejected with. */
async function failure(call: () => unknown): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

afterAll(cleanupAll);

describe.each(SUBJECTS)('namespaces and filters: %s', (_name, make) => {
  let subject: Subject;
  beforeAll(async () => {
    subject = await make();
  });
  const names = async (filter: Parameters<SupervisorApi['list']>[0]) =>
    (await subject.api.list(filter)).map((row) => row.name);

  it('every row carries its namespace and labels', async () => {
    const rows = await subject.api.list();
    expect(rows.map((row) => [row.name, row.namespace, row.labels])).toEqual([
      ['api', 'backend', { tier: 'app', team: 'core' }],
      ['db', 'backend', { tier: 'data' }],
      ['web', 'frontend', { tier: 'app' }],
      ['once', 'default', {}],
    ]);
  });

  it('list() narrows by namespace, status and label, each alone and together', async () => {
    expect(await names({ namespace: 'backend' })).toEqual(['api', 'db']);
    expect(await names({ names: ['db', 'all'], namespace: 'backend' })).toEqual(['api', 'db']);
    expect(await names({ status: 'completed' })).toEqual(['once']);
    expect(await names({ status: ['completed', 'running'] })).toEqual(['api', 'db', 'web', 'once']);
    expect(await names({ label: 'tier=app' })).toEqual(['api', 'web']);
    expect(await names({ label: { tier: 'app', team: 'core' } })).toEqual(['api']);
    expect(await names({ label: ['tier=app'], namespace: 'frontend' })).toEqual(['web']);
    expect(await names({ status: 'failed' })).toEqual([]);
  });

  it('an unknown namespace, a name outside it, a bad status or label: each named', async () => {
    expect(await failure(() => subject.api.list({ namespace: 'nope' }))).toMatchObject({
      code: 'UNKNOWN_NAMESPACE',
      message: 'no namespace named nope (namespaces: backend, default, frontend)',
    });
    expect(
      await failure(() => subject.api.list({ names: ['web'], namespace: 'backend' })),
    ).toMatchObject({
      code: 'UNKNOWN_PROCESS',
      message: 'no process named web in namespace backend (web is in frontend)',
    });
    expect(
      await failure(() => subject.api.list({ status: 'sleeping' as 'running' })),
    ).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/^status: .*"sleeping"$/),
    });
    expect(await failure(() => subject.api.list({ label: 'tier' }))).toMatchObject({
      code: 'BAD_REQUEST',
      message: 'label: expected key=value, got "tier"',
    });
    expect(await failure(() => subject.api.stop({ namespace: 'nope' }))).toMatchObject({
      code: 'UNKNOWN_NAMESPACE',
    });
  });

  it('stop and start of a namespace act on exactly its processes, never refused for those already so', async () => {
    const before = await subject.api.list();

    const stopped = await subject.api.stop({ namespace: 'backend' });
    const again = await subject.api.stop({ namespace: 'backend' });

    expect(stopped.map((row) => [row.name, row.status])).toEqual([
      ['api', 'stopped'],
      ['db', 'stopped'],
    ]);
    expect(again).toEqual([]);
    const during = await subject.api.list();
    expect(during.map((row) => [row.name, row.status])).toEqual([
      ['api', 'stopped'],
      ['db', 'stopped'],
      ['web', 'running'],
      ['once', 'completed'],
    ]);
    expect(during[2]!.pid).toBe(before[2]!.pid);

    const started = await subject.api.start({ namespace: 'backend' });
    expect(started.map((row) => [row.name, row.status])).toEqual([
      ['api', 'running'],
      ['db', 'running'],
    ]);
    const restarted = await subject.api.restart({ namespace: 'frontend' });
    expect(restarted.map((row) => row.name)).toEqual(['web']);
    expect(restarted[0]!.pid).not.toBe(before[2]!.pid);
  });

  it('remembers what a namespace request was accepted for, where requests are remembered', () => {
    if (subject.remembered === undefined) return;
    expect(subject.remembered).toEqual([
      [['api', 'db'], 'stopped'],
      [[], 'stopped'],
      [['api', 'db'], 'running'],
      [['web'], 'running'],
    ]);
  });
});

describe('filters and namespaces on the wire', () => {
  let socketPath: string;
  beforeAll(async () => {
    const opened = await openDaemon({ processes: { api: PROCESSES.api, web: PROCESSES.web } });
    await opened.daemon.up();
    socketPath = opened.socketPath;
  });
  const get = async (path: string) => {
    const response = await httpRequest({ socketPath }, 'GET', path);
    return { status: response.status, body: json(response) as Record<string, unknown> };
  };

  it('GET /processes takes repeated and comma-separated filters', async () => {
    const { status, body } = await get(
      '/processes?status=running,failed&label=tier=app&namespace=backend',
    );
    expect(status).toBe(200);
    expect((body.processes as { name: string }[]).map((row) => row.name)).toEqual(['api']);
  });

  it('answers 400 naming a bad filter, 404 naming an unknown namespace', async () => {
    const badStatus = await get('/processes?status=runing');
    const badLabel = await get('/processes?label=tier');
    const twoNamespaces = await get('/processes?namespace=a&namespace=b');
    const unknown = await get('/processes?namespace=nope');
    const action = await httpRequest({ socketPath }, 'POST', '/namespaces/nope/restart');

    expect([badStatus, badLabel, twoNamespaces].map((answer) => answer.status)).toEqual([
      400, 400, 400,
    ]);
    expect(badStatus.body).toMatchObject({
      error: { code: 'BAD_REQUEST', message: expect.stringContaining('"runing"') },
    });
    expect(twoNamespaces.body).toMatchObject({
      error: { message: 'namespace: give one namespace, not several' },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: 'UNKNOWN_NAMESPACE' } });
    expect(action.status).toBe(404);
    expect(json(action)).toEqual({
      error: {
        code: 'UNKNOWN_NAMESPACE',
        message: 'no namespace named nope (namespaces: backend, frontend)',
      },
    });
  });
});
