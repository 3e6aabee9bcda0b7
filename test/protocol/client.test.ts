/**
 * HttpSupervisorClient: one contract suite run against the in-process Supervisor and the
 * client over the daemon's Unix socket and over TCP, then what
 * only the remote client does: errors off the wire, streams that break, daemons that are
 * not there.
 */
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { OverseerError } from '../../src/core/errors.js';
import type { SupervisorEvent } from '../../src/core/events.js';
import type { LogLine, ProcessLogLine, Snapshot } from '../../src/core/view.js';
import { servedApi } from '../../src/daemon/served-api.js';
import type { SupervisorApi } from '../../src/protocol/api.js';
import { HttpSupervisorClient, isNoSupervisor } from '../../src/protocol/client.js';
import {
  type AnySupervisor,
  cleanupAll,
  cleanupKept,
  createSupervisor,
  fixture,
  isGone,
  keepForTheFile,
  openDaemon,
  sleeper,
  TOKEN,
  tempDir,
  waitFor,
} from '../daemon/helpers.js';

afterEach(cleanupAll);
afterAll(cleanupKept);

const PROCESSES = {
  web: sleeper(),
  job: { command: fixture('print-lines.mjs', 3), kind: 'job' as const },
};

interface Subject {
  readonly api: SupervisorApi;
  readonly supervisor: AnySupervisor;
}

async function settled(supervisor: AnySupervisor): Promise<void> {
  await waitFor(() => supervisor.get('job').status === 'completed', 5_000, 'job to complete');
}

const SUBJECTS: ReadonlyArray<readonly [string, () => Promise<Subject>]> = [
  [
    'the in-process Supervisor',
    async () => {
      const supervisor = createSupervisor();
      for (const [name, entry] of Object.entries(PROCESSES)) supervisor.add({ name, ...entry });
      await supervisor.up();
      await settled(supervisor);
      return { api: supervisor, supervisor };
    },
  ],
  [
    'the API a daemon serves, in its process',
    async () => {
      const { daemon } = await openDaemon({ processes: PROCESSES });
      await daemon.up();
      await settled(daemon.supervisor);
      return { api: servedApi(daemon.supervisor, () => {}), supervisor: daemon.supervisor };
    },
  ],
  [
    'the client over the Unix socket',
    async () => {
      const { daemon, socketPath } = await openDaemon({ processes: PROCESSES });
      await daemon.up();
      await settled(daemon.supervisor);
      return { api: new HttpSupervisorClient({ socketPath }), supervisor: daemon.supervisor };
    },
  ],
  [
    'the client over TCP',
    async () => {
      const { daemon } = await openDaemon({
        settings: { api: { listen: '127.0.0.1:0', token: TOKEN } },
        processes: PROCESSES,
      });
      await daemon.up();
      await settled(daemon.supervisor);
      const port = daemon.tcpPort!;
      return {
        api: new HttpSupervisorClient({ host: '127.0.0.1', port, token: TOKEN }),
        supervisor: daemon.supervisor,
      };
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

const stable = ({ uptimeMs: _, ...rest }: { uptimeMs: unknown }) => rest;

const readOnlySubjects = new Map<() => Promise<Subject>, Promise<Subject>>();

/**
 * One subject of each kind for the tests that only ask it questions (answering changes
 * nothing in it), made on first use and kept for the file.
 */
function sharedSubject(make: () => Promise<Subject>): Promise<Subject> {
  let subject = readOnlySubjects.get(make);
  if (subject === undefined) {
    subject = keepForTheFile(make);
    readOnlySubjects.set(make, subject);
  }
  return subject;
}

describe.each(SUBJECTS)('SupervisorApi contract: %s', (_name, make) => {
  it('list() answers every row as the supervisor sees it', async () => {
    const { api, supervisor } = await sharedSubject(make);

    const rows = await api.list();

    expect(rows.map(stable)).toEqual(supervisor.list().map(stable));
    expect(rows.map((row) => [row.name, row.status])).toEqual([
      ['web', 'running'],
      ['job', 'completed'],
    ]);
  });

  it('list({names}) answers only what the selectors stand for; an unknown one fails', async () => {
    const { api } = await sharedSubject(make);

    const names = async (selectors: string[]) =>
      (await api.list({ names: selectors })).map((row) => row.name);

    expect(await names(['job'])).toEqual(['job']);
    expect(await names(['all'])).toEqual(['web', 'job']);
    expect(await names(['job', 'web', 'job'])).toEqual(['web', 'job']);
    const error = await failure(() => api.list({ names: ['web', 'nada', 'nope'] }));
    expect(error).toMatchObject({
      code: 'UNKNOWN_PROCESS',
      message: 'no processes named nada, nope',
    });
  });

  it('get() answers the row with its spec and runs', async () => {
    const { api, supervisor } = await sharedSubject(make);

    const details = await api.get('web');

    expect(details).toMatchObject({ name: 'web', pid: supervisor.get('web').pid });
    expect(details.spec).toEqual(JSON.parse(JSON.stringify(supervisor.get('web').spec)));
    expect(details.runs).toEqual(supervisor.get('web').runs);
  });

  it('an unknown name fails with UNKNOWN_PROCESS, whatever the call', async () => {
    const { api } = await sharedSubject(make);
    const calls = [
      () => api.get('nope'),
      () => api.logs('nope'),
      () => api.readLogs('nope'),
      () => api.start('nope'),
      () => api.stop('nope'),
      () => api.restart('nope'),
    ];

    for (const call of calls) {
      const error = await failure(call);
      expect(error).toBeInstanceOf(OverseerError);
      expect(error).toMatchObject({ code: 'UNKNOWN_PROCESS', message: 'no process named nope' });
    }
  });

  it('stop(), start() and restart() answer the new state; a conflict fails INVALID_STATE', async () => {
    const { api, supervisor } = await make();
    const first = supervisor.get('web').pid!;

    const [stopped] = await api.stop('web');
    expect(stopped).toMatchObject({ name: 'web', status: 'stopped', pid: null });
    expect(isGone(first)).toBe(true);
    expect(await failure(() => api.stop('web'))).toMatchObject({
      code: 'INVALID_STATE',
      message: 'web is not running (stopped)',
    });

    const [started] = await api.start('web');
    expect(started).toMatchObject({ name: 'web', status: 'running' });
    expect(await failure(() => api.start('web'))).toMatchObject({
      code: 'INVALID_STATE',
      message: 'web is already running',
    });

    const [restarted] = await api.restart('web');
    expect(restarted).toMatchObject({ name: 'web', status: 'running', restarts: 1 });
    expect(restarted!.pid).not.toBe(started!.pid);
    expect(supervisor.get('web').pid).toBe(restarted!.pid);
  });

  it('logs() answers the last lines, 100 by default', async () => {
    const { api } = await sharedSubject(make);

    const all = await api.logs('job');
    const last = await api.logs('job', 2);

    expect(all.map((line) => line.text)).toEqual(['line 1', 'line 2', 'line 3', 'partial']);
    expect(last.map((line) => line.text)).toEqual(['line 3', 'partial']);
    expect(last[0]).toEqual({ at: expect.any(Number), stream: 'stdout', text: 'line 3' });
  });

  it('readLogs() answers the last lines that pass the query, each with its name', async () => {
    const { api } = await sharedSubject(make);
    const text = (lines: readonly ProcessLogLine[]) => lines.map((line) => line.text);

    const all = await api.readLogs('job');
    const last = await api.readLogs('job', { lines: 2 });
    const grep = await api.readLogs('job', { grep: /^LINE [13]$/i });
    const since = await api.readLogs('job', { since: all[1]!.at });
    const future = await api.readLogs('job', { since: Date.now() + 60_000 });
    const until = await api.readLogs('job', { lines: 1, until: all[2]!.at });

    expect(text(all)).toEqual(['line 1', 'line 2', 'line 3', 'partial']);
    expect(last).toEqual([
      { name: 'job', at: expect.any(Number), stream: 'stdout', text: 'line 3' },
      { name: 'job', at: expect.any(Number), stream: 'stdout', text: 'partial' },
    ]);
    expect(text(grep)).toEqual(['line 1', 'line 3']);
    expect(text(since)).toEqual(text(all.filter((line) => line.at >= all[1]!.at)));
    expect(future).toEqual([]);
    expect(until).toEqual(all.filter((line) => line.at < all[2]!.at).slice(-1));
  });

  it('watch() delivers a snapshot, then the events of a restart, until unsubscribed', async () => {
    const { api, supervisor } = await make();
    const items: Array<Snapshot | SupervisorEvent> = [];

    const stop = api.watch((item) => items.push(item));
    await waitFor(() => items.length > 0, 5_000, 'the snapshot');
    await api.restart('web');
    await waitFor(
      () => items.some((item) => item.type === 'process:ready'),
      5_000,
      'web to be ready',
    );
    stop();
    stop();

    expect(items[0]).toMatchObject({ type: 'snapshot', at: expect.any(Number) });
    expect((items[0] as Snapshot).processes.map((row) => row.name)).toEqual(['web', 'job']);
    expect(
      items
        .slice(1)
        .map((item) => item.type)
        .filter((type) => type !== 'process:health'),
    ).toEqual([
      'process:exit',
      'process:pending',
      'process:starting',
      'process:started',
      'process:restarted',
      'process:ready',
    ]);
    expect(items.find((item) => item.type === 'process:started')).toMatchObject({
      name: 'web',
      pid: supervisor.get('web').pid,
    });
  });

  it('onLog() delivers every new line with the name of its process', async () => {
    const { api } = await make();
    const lines: ProcessLogLine[] = [];

    const stop = api.onLog((line) => lines.push(line));
    // Over HTTP the subscription is made a moment later: restart web until its line arrives.
    const fromWeb = () => lines.some((line) => line.name === 'web');
    for (let tries = 1; ; tries += 1) {
      await api.restart('web');
      if (await waitFor(fromWeb, 1_000).then(Boolean, () => false)) break;
      if (tries === 10) throw new Error('no line of web arrived');
    }
    await api.start('job');
    await waitFor(() => lines.some((line) => line.text === 'partial'), 5_000, 'the lines of job');
    stop();

    expect(lines.filter((line) => line.name === 'job')).toEqual([
      { name: 'job', at: expect.any(Number), stream: 'stdout', text: 'line 1' },
      { name: 'job', at: expect.any(Number), stream: 'stdout', text: 'line 2' },
      { name: 'job', at: expect.any(Number), stream: 'stdout', text: 'line 3' },
      { name: 'job', at: expect.any(Number), stream: 'stdout', text: 'partial' },
    ]);
  });
});

describe.each(SUBJECTS)('SupervisorApi contract, following and health: %s', (_name, make) => {
  it('followLogs() delivers the last lines, then new ones, each with its name', async () => {
    const { api } = await make();
    const lines: ProcessLogLine[] = [];

    const stop = api.followLogs('job', 2, (line) => lines.push(line));
    await waitFor(() => lines.length === 2, 5_000, 'the last two lines');
    await api.start('job');
    await waitFor(() => lines.length === 6, 5_000, 'the lines of the new run');
    stop();

    expect(lines.map((line) => [line.name, line.text])).toEqual(
      ['line 3', 'partial', 'line 1', 'line 2', 'line 3', 'partial'].map((text) => ['job', text]),
    );
  });

  it('health() answers the status of the stack, its counts and the supervisor pid', async () => {
    const { api } = await sharedSubject(make);

    expect(await api.health()).toMatchObject({
      status: 'ok',
      pid: process.pid,
      counts: { running: 1, completed: 1 },
      concerns: [],
    });
  });

  it('onBreak() returns a disposer; nothing breaks while the supervisor is there', async () => {
    const { api } = await make();
    const breaks: unknown[] = [];

    const dispose = api.onBreak((error) => breaks.push(error));
    const stop = api.watch(() => {});
    await api.restart('web');
    stop();
    dispose();

    expect(breaks).toEqual([]);
  });
});

/** A family of two jobs, each printing one line and a partial one. */
const FAMILY = {
  pair: { command: fixture('print-lines.mjs', 1), kind: 'job' as const, instances: 2 },
};

const FAMILY_SUBJECTS: ReadonlyArray<readonly [string, () => Promise<Subject>]> = [
  [
    'the in-process Supervisor',
    async () => {
      const supervisor = createSupervisor();
      supervisor.add({ name: 'pair', ...FAMILY.pair });
      await supervisor.up();
      return { api: supervisor, supervisor };
    },
  ],
  [
    'the client over the Unix socket',
    async () => {
      const { daemon, socketPath } = await openDaemon({ processes: FAMILY });
      await daemon.up();
      return { api: new HttpSupervisorClient({ socketPath }), supervisor: daemon.supervisor };
    },
  ],
];

describe.each(FAMILY_SUBJECTS)('following a family: %s', (_name, make) => {
  it('followLogs() of a name with instances merges them, each line named', async () => {
    const { api, supervisor } = await make();
    const done = () => supervisor.list().every((row) => row.status === 'completed');
    await waitFor(done, 5_000, 'both instances to complete');
    const lines: ProcessLogLine[] = [];

    const stop = api.followLogs('pair', 10, (line) => lines.push(line));
    await waitFor(() => lines.length === 4, 5_000, 'the lines of both instances');
    await api.start('pair-1');
    await waitFor(() => lines.length === 6, 5_000, 'the lines of the new run');
    stop();

    const named = lines.map((line) => `${line.name}: ${line.text}`);
    expect(named.slice(0, 4).sort()).toEqual([
      'pair-0: line 1',
      'pair-0: partial',
      'pair-1: line 1',
      'pair-1: partial',
    ]);
    expect(named.slice(4)).toEqual(['pair-1: line 1', 'pair-1: partial']);
  });
});

describe('HttpSupervisorClient only', () => {
  it('followLogs() delivers the last lines, then new ones', async () => {
    const { daemon, socketPath } = await openDaemon({ processes: PROCESSES });
    await daemon.up();
    await settled(daemon.supervisor);
    const client = new HttpSupervisorClient({ socketPath });
    const lines: LogLine[] = [];

    const stop = client.followLogs('job', 2, (line) => lines.push(line));
    await waitFor(() => lines.length === 2, 5_000, 'the last two lines');
    await client.start('job');
    await waitFor(() => lines.length === 6, 5_000, 'the lines of the new run');
    stop();

    expect(lines.map((line) => line.text)).toEqual([
      'line 3',
      'partial',
      'line 1',
      'line 2',
      'line 3',
      'partial',
    ]);
  });

  it('health() and status() answer a failing stack (HTTP 503) instead of failing', async () => {
    const { daemon, socketPath, configPath } = await openDaemon({
      name: 'broken',
      processes: { bad: { command: fixture('exit-with.mjs', 3), kind: 'job' } },
    });
    await daemon.up();
    await waitFor(() => daemon.supervisor.get('bad').status === 'failed', 5_000, 'failure');
    const client = new HttpSupervisorClient({ socketPath });

    expect(await client.health()).toMatchObject({
      status: 'failing',
      pid: process.pid,
      counts: { failed: 1 },
    });
    expect(await client.status()).toMatchObject({
      status: 'failing',
      project: 'broken',
      configPath,
    });
  });

  it('turns an error body back into the OverseerError it stood for', async () => {
    const { daemon, socketPath } = await openDaemon({ processes: PROCESSES });
    await daemon.up();
    const client = new HttpSupervisorClient({ socketPath });

    const badLines = await failure(() => client.logs('web', 0));
    const badApply = await failure(() => client.apply(['nope']));

    expect(badLines).toBeInstanceOf(OverseerError);
    expect(badLines).toMatchObject({
      code: 'BAD_REQUEST',
      message: 'lines: expected a whole number from 1 to 10000, got "0"',
    });
    expect(badApply).toMatchObject({ code: 'UNKNOWN_PROCESS' });
  });

  it('encodes names in paths: any name comes back as the same name', async () => {
    const { daemon, socketPath } = await openDaemon({ processes: PROCESSES });
    await daemon.up();
    const client = new HttpSupervisorClient({ socketPath });

    for (const name of ['a b', 'x/y', '../web', 'é?#&']) {
      expect(await failure(() => client.get(name))).toMatchObject({
        code: 'UNKNOWN_PROCESS',
        message: `no process named ${name}`,
      });
    }
  });

  it('reports no daemon on the socket as UNAVAILABLE, naming where it looked', async () => {
    const socketPath = join(tempDir(), 'overseer.sock');
    const client = new HttpSupervisorClient({ socketPath });
    const breaks: OverseerError[] = [];
    client.onBreak((error) => breaks.push(error));

    expect(await failure(() => client.list())).toMatchObject({
      code: 'UNAVAILABLE',
      message: `no supervisor is running at ${socketPath}`,
    });
    const stop = client.watch(() => {});
    await waitFor(() => breaks.length > 0, 5_000, 'the stream to fail');
    stop();
    expect(breaks).toEqual([
      expect.objectContaining({
        code: 'UNAVAILABLE',
        message: `no supervisor is running at ${socketPath}`,
      }),
    ]);
  });

  it('reports no daemon on a TCP port as UNAVAILABLE, naming its URL, apart from a local socket', async () => {
    const { daemon } = await openDaemon({
      settings: { api: { listen: '127.0.0.1:0', token: TOKEN } },
      processes: PROCESSES,
    });
    const port = daemon.tcpPort!;
    await daemon.shutdown();
    const client = new HttpSupervisorClient({ host: '127.0.0.1', port, token: TOKEN });

    expect(await failure(() => client.list())).toMatchObject({
      code: 'UNAVAILABLE',
      message: `cannot reach the supervisor at http://127.0.0.1:${port}: connection refused (is a daemon listening there, with settings.api.listen on that address and port?)`,
    });
    expect(isNoSupervisor(await failure(() => client.list()))).toBe(false);
  });

  // Regression: the stream listened for its response's 'end', which a connection cut by
  // an exiting daemon never emits, so a watcher was never told the daemon had gone.
  it('tells onBreak, once, when the daemon goes away under a stream', async () => {
    const { daemon, socketPath } = await openDaemon({ processes: PROCESSES });
    await daemon.up();
    const client = new HttpSupervisorClient({ socketPath });
    const breaks: OverseerError[] = [];
    client.onBreak((error) => breaks.push(error));
    const items: unknown[] = [];
    const lines: unknown[] = [];
    const stops = [
      client.watch((item) => items.push(item)),
      client.onLog((line) => lines.push(line)),
      client.followLogs('web', 1, (line) => lines.push(line)),
    ];
    await waitFor(() => items.length > 0 && lines.length > 0, 5_000, 'the streams to open');

    await daemon.shutdown();

    await waitFor(() => breaks.length === 3, 5_000, 'every stream to break');
    for (const stop of stops) stop();
    expect(breaks.map((error) => [error.code, error.message])).toEqual([
      ['UNAVAILABLE', 'the supervisor closed the stream'],
      ['UNAVAILABLE', 'the supervisor closed the stream'],
      ['UNAVAILABLE', 'the supervisor closed the stream'],
    ]);
  });

  it('does not call onBreak for a stream the caller closed', async () => {
    const { daemon, socketPath } = await openDaemon({ processes: PROCESSES });
    await daemon.up();
    const client = new HttpSupervisorClient({ socketPath });
    const breaks: OverseerError[] = [];
    client.onBreak((error) => breaks.push(error));
    const items: unknown[] = [];
    const stop = client.watch((item) => items.push(item));
    await waitFor(() => items.length > 0, 5_000, 'the snapshot');

    stop();
    await daemon.shutdown();
    // A second stream that is broken on purpose shows when the first would have been reported.
    const witness = client.watch(() => {});
    await waitFor(() => breaks.length > 0, 5_000, 'the witness to break');
    witness();

    expect(breaks).toHaveLength(1);
  });
});
