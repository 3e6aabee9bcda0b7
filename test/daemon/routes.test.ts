/**
 * The monitoring routes (DESIGN §5) in-process with `app.request()`, over a real Supervisor
 * running tiny fixture programs: each route's answer and its shape, and errors as exactly
 * `{"error": {"code", "message"}}` with the status their code maps to.
 */
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { createMonitoringRoutes } from '../../src/daemon/routes.js';
import type { SupervisorApi } from '../../src/protocol/api.js';
import type { Supervisor } from '../../src/runtime/supervisor.js';
import {
  cleanupAll,
  createSupervisor,
  fixture,
  isGone,
  responseEventStream,
  sleeper,
  waitFor,
} from './helpers.js';

afterEach(cleanupAll);

/** The fields of one `ps --json` row (DESIGN §4), in no particular order. */
const ROW_KEYS = [
  'cpuPercent',
  'exitCode',
  'fds',
  'health',
  'healthReasons',
  'healthScore',
  'instance',
  'kind',
  'memoryBytes',
  'name',
  'pid',
  'reason',
  'restarts',
  'startedAt',
  'status',
  'threads',
  'uptimeMs',
];

/** `web`, a running service, and `job`, which printed three lines and a partial one and completed. */
async function stack(): Promise<{ supervisor: Supervisor; app: Hono }> {
  const supervisor = createSupervisor();
  supervisor.add({ name: 'web', ...sleeper() });
  supervisor.add({ name: 'job', command: fixture('print-lines.mjs', 3), kind: 'job' });
  await supervisor.up();
  await waitFor(() => supervisor.get('job').status === 'completed', 5_000, 'job to complete');
  return { supervisor, app: createMonitoringRoutes(supervisor) };
}

/** Routes over a supervisor with `web` declared and nothing started: for answers that need no child. */
function idleApp(): Hono {
  const supervisor = createSupervisor();
  supervisor.add({ name: 'web', ...sleeper() });
  return createMonitoringRoutes(supervisor);
}

async function call(app: Hono, method: string, path: string) {
  const response = await app.request(path, { method });
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  // biome-ignore lint/suspicious/noExplicitAny: shapes are checked by the assertions
  return { status: response.status, body: (await response.json()) as any };
}

function errorOf(code: string, message: string | RegExp) {
  return { error: { code, message } };
}

describe('GET /health', () => {
  it('answers ok with the supervisor pid, uptime and counts per status', async () => {
    const supervisor = createSupervisor();
    supervisor.add({ name: 'web', ...sleeper() });
    supervisor.add({ name: 'job', command: fixture('print-lines.mjs', 3), kind: 'job' });
    await supervisor.up();
    await waitFor(() => supervisor.get('job').status === 'completed', 5_000, 'job to complete');
    const app = createMonitoringRoutes(supervisor, { startedAt: Date.now() - 5_000 });

    const { status, body } = await call(app, 'GET', '/health');

    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(['concerns', 'counts', 'pid', 'status', 'uptimeMs']);
    expect(body).toMatchObject({
      status: 'ok',
      pid: process.pid,
      counts: { running: 1, completed: 1 },
      concerns: [],
    });
    expect(body.uptimeMs).toBeGreaterThanOrEqual(5_000);
    expect(body.uptimeMs).toBeLessThan(60_000);
  });

  it('answers degraded (200) while a process backs off', async () => {
    const supervisor = createSupervisor();
    supervisor.add({
      name: 'crashy',
      command: fixture('exit-with.mjs', 1),
      restart: { policy: 'always', delay: '1m', min_uptime: '1s' },
    });
    void supervisor.up();
    await waitFor(() => supervisor.get('crashy').status === 'backoff', 5_000, 'backoff');

    const { status, body } = await call(createMonitoringRoutes(supervisor), 'GET', '/health');

    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'degraded', counts: { backoff: 1 } });
    expect(body.concerns).toEqual([
      'crashy: backoff, score 60: restarting after: exited with code 1 (-30)',
    ]);
  });

  it('answers degraded for a running process over its memory limit, saying why', async () => {
    const supervisor = createSupervisor({ sampleInterval: 200 });
    supervisor.add({ name: 'web', ...sleeper() });
    supervisor.add({
      name: 'hog',
      command: fixture('memory-hog.mjs', 8, 100),
      limits: { memory: '80MB', memory_action: 'alert' },
    });
    await supervisor.up();
    await waitFor(() => supervisor.get('hog').healthScore < 70, 10_000, 'the hog to score low');
    const app = createMonitoringRoutes(supervisor);

    const { status, body } = await call(app, 'GET', '/health');

    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'degraded', counts: { running: 2 } });
    expect(body.concerns).toEqual([
      expect.stringMatching(/^hog: running, score \d+: memory at \d+% of its 80MB limit \(-\d+\)$/),
    ]);
  });

  it('answers failing with status 503 once a process has failed', async () => {
    const supervisor = createSupervisor();
    supervisor.add({ name: 'web', ...sleeper() });
    supervisor.add({ name: 'broken', command: fixture('exit-with.mjs', 3), kind: 'job' });
    await supervisor.up();
    await waitFor(() => supervisor.get('broken').status === 'failed', 5_000, 'failure');

    const { status, body } = await call(createMonitoringRoutes(supervisor), 'GET', '/health');

    expect(status).toBe(503);
    expect(body).toMatchObject({ status: 'failing', counts: { running: 1, failed: 1 } });
    expect(body.concerns).toEqual(['broken: failed, score 0: failed: exited with code 3 (-100)']);
  });
});

describe('GET /processes', () => {
  it('answers the ps --json document: one row per process, in declaration order', async () => {
    const { supervisor, app } = await stack();

    const { status, body } = await call(app, 'GET', '/processes');

    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(['processes']);
    const [web, job] = body.processes;
    expect(body.processes).toHaveLength(2);
    for (const row of body.processes) expect(Object.keys(row).sort()).toEqual(ROW_KEYS);
    const pid = supervisor.get('web').pid;
    expect(web).toMatchObject({
      name: 'web',
      status: 'running',
      health: 'healthy',
      pid,
      restarts: 0,
      exitCode: null,
      reason: null,
      kind: 'service',
      instance: 0,
    });
    expect(typeof pid).toBe('number');
    expect(new Date(web.startedAt).toISOString()).toBe(web.startedAt);
    expect(web.uptimeMs).toBeGreaterThanOrEqual(0);
    expect(job).toMatchObject({
      name: 'job',
      status: 'completed',
      health: 'none',
      pid: null,
      exitCode: 0,
      kind: 'job',
      startedAt: null,
      uptimeMs: null,
      cpuPercent: null,
      memoryBytes: null,
    });
  });
});

describe('GET /processes/:name', () => {
  it('answers one process with its spec, runs and resources', async () => {
    const { supervisor, app } = await stack();
    const pid = supervisor.get('web').pid;

    const { status, body } = await call(app, 'GET', '/processes/web');

    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual([...ROW_KEYS, 'resources', 'runs', 'spec'].sort());
    expect(body).toMatchObject({ name: 'web', status: 'running', pid });
    expect(body.spec).toMatchObject({ name: 'web', kind: 'service', instance: 0 });
    expect(body.runs).toEqual([
      expect.objectContaining({ pid, endedAt: null, exitCode: null, signal: null }),
    ]);
    const job = await call(app, 'GET', '/processes/job');
    expect(job.body.runs).toEqual([
      expect.objectContaining({ exitCode: 0, signal: null, killedAfterTimeout: false }),
    ]);
    expect(job.body.runs[0].endedAt).toEqual(expect.any(String));
  });

  it('answers 404 UNKNOWN_PROCESS for a name nobody declared', async () => {
    const { app } = await stack();

    const { status, body } = await call(app, 'GET', '/processes/nope');

    expect(status).toBe(404);
    expect(body).toEqual(errorOf('UNKNOWN_PROCESS', 'no process named nope'));
  });
});

describe('POST /processes/:name/start|stop|restart', () => {
  it('stops, starts and restarts, answering the new state of every instance', async () => {
    const { supervisor, app } = await stack();
    const firstPid = supervisor.get('web').pid!;

    const stopped = await call(app, 'POST', '/processes/web/stop');
    expect(stopped.status).toBe(200);
    expect(Object.keys(stopped.body)).toEqual(['processes']);
    expect(stopped.body.processes).toEqual([
      expect.objectContaining({ name: 'web', status: 'stopped', pid: null }),
    ]);
    expect(isGone(firstPid)).toBe(true);

    const started = await call(app, 'POST', '/processes/web/start');
    expect(started.status).toBe(200);
    const [afterStart] = started.body.processes;
    expect(afterStart).toMatchObject({ name: 'web', status: 'running', health: 'healthy' });
    expect(afterStart.pid).not.toBe(firstPid);

    const restarted = await call(app, 'POST', '/processes/web/restart');
    expect(restarted.status).toBe(200);
    const [afterRestart] = restarted.body.processes;
    expect(afterRestart).toMatchObject({ name: 'web', status: 'running', restarts: 1 });
    expect(afterRestart.pid).not.toBe(afterStart.pid);
    expect(isGone(afterStart.pid)).toBe(true);
    expect(supervisor.get('web').pid).toBe(afterRestart.pid);
  });

  it('answers every instance of a name with instances', async () => {
    const supervisor = createSupervisor();
    supervisor.add({ name: 'pool', ...sleeper(), instances: 2 });
    await supervisor.up();
    const app = createMonitoringRoutes(supervisor);

    const { status, body } = await call(app, 'POST', '/processes/pool/stop');

    expect(status).toBe(200);
    expect(body.processes.map((row: { name: string; status: string }) => row)).toEqual([
      expect.objectContaining({ name: 'pool-0', status: 'stopped', instance: 0 }),
      expect.objectContaining({ name: 'pool-1', status: 'stopped', instance: 1 }),
    ]);
  });

  it('answers 409 INVALID_STATE to stop a stopped process and start a running one', async () => {
    const { app } = await stack();

    const startRunning = await call(app, 'POST', '/processes/web/start');
    expect(startRunning.status).toBe(409);
    expect(startRunning.body).toEqual(errorOf('INVALID_STATE', 'web is already running'));

    const stopCompleted = await call(app, 'POST', '/processes/job/stop');
    expect(stopCompleted.status).toBe(409);
    expect(stopCompleted.body).toEqual(errorOf('INVALID_STATE', 'job is not running (completed)'));

    await call(app, 'POST', '/processes/web/stop');
    const stopStopped = await call(app, 'POST', '/processes/web/stop');
    expect(stopStopped.status).toBe(409);
    expect(stopStopped.body).toEqual(errorOf('INVALID_STATE', 'web is not running (stopped)'));
  });

  it('answers 404 UNKNOWN_PROCESS for each action on an unknown name, changing nothing', async () => {
    const { supervisor, app } = await stack();
    const before = supervisor.list().map(({ name, status, pid }) => ({ name, status, pid }));

    for (const action of ['start', 'stop', 'restart']) {
      const { status, body } = await call(app, 'POST', `/processes/nope/${action}`);
      expect(status).toBe(404);
      expect(body).toEqual(errorOf('UNKNOWN_PROCESS', 'no process named nope'));
    }
    expect(supervisor.list().map(({ name, status, pid }) => ({ name, status, pid }))).toEqual(
      before,
    );
  });
});

describe('GET /processes/:name/logs', () => {
  it('answers the last 100 lines by default, oldest first, the partial last line included', async () => {
    const { app } = await stack();

    const { status, body } = await call(app, 'GET', '/processes/job/logs');

    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(['lines']);
    expect(body.lines.map((line: { text: string }) => line.text)).toEqual([
      'line 1',
      'line 2',
      'line 3',
      'partial',
    ]);
    for (const line of body.lines) {
      expect(Object.keys(line).sort()).toEqual(['at', 'stream', 'text']);
      expect(line.stream).toBe('stdout');
      expect(Number.isInteger(line.at)).toBe(true);
    }
  });

  it('answers the last N lines with ?lines=N', async () => {
    const { app } = await stack();

    const { body } = await call(app, 'GET', '/processes/job/logs?lines=2');
    const max = await call(app, 'GET', '/processes/job/logs?lines=10000');

    expect(body.lines.map((line: { text: string }) => line.text)).toEqual(['line 3', 'partial']);
    expect(max.status).toBe(200);
    expect(max.body.lines).toHaveLength(4);
  });

  it.each(['0', '-1', 'abc', '1.5', '10001', ''])(
    'answers 400 BAD_REQUEST for ?lines=%j',
    async (lines) => {
      const app = idleApp();

      const { status, body } = await call(
        app,
        'GET',
        `/processes/web/logs?lines=${encodeURIComponent(lines)}`,
      );

      expect(status).toBe(400);
      expect(body).toEqual(
        errorOf(
          'BAD_REQUEST',
          `lines: expected a whole number from 1 to 10000, got ${JSON.stringify(lines)}`,
        ),
      );
    },
  );

  it('answers 404 for an unknown process, also when following', async () => {
    const { app } = await stack();

    for (const path of ['/processes/nope/logs', '/processes/nope/logs?follow=true']) {
      const { status, body } = await call(app, 'GET', path);
      expect(status).toBe(404);
      expect(body).toEqual(errorOf('UNKNOWN_PROCESS', 'no process named nope'));
    }
  });

  it('with ?follow=true streams the last lines, then new lines of that process only', async () => {
    const { app } = await stack();
    const response = await app.request('/processes/web/logs?lines=5&follow=true');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const stream = responseEventStream(response);
    await stream.until((item) => item.data.text === 'ready', 'the recent line');

    await call(app, 'POST', '/processes/job/start');
    await call(app, 'POST', '/processes/web/restart');
    await waitFor(() => stream.items.length === 2, 5_000, 'the line of the new run');

    expect(stream.items.map((item) => [item.event, item.data.text])).toEqual([
      ['line', 'ready'],
      ['line', 'ready'],
    ]);
    expect(stream.items[1]!.data).toMatchObject({ at: expect.any(Number), stream: 'stdout' });
  });
});

describe('GET /logs', () => {
  it('answers 400 without ?follow=true', async () => {
    const { app } = await stack();

    const { status, body } = await call(app, 'GET', '/logs');

    expect(status).toBe(400);
    expect(body).toEqual(
      errorOf('BAD_REQUEST', 'GET /logs streams every process: add ?follow=true'),
    );
  });

  it('with ?follow=true streams every new line of every process, with its name', async () => {
    const { app } = await stack();
    const stream = responseEventStream(await app.request('/logs?follow=true'));

    await call(app, 'POST', '/processes/job/start');
    await call(app, 'POST', '/processes/web/restart');
    await stream.until((item) => item.data.name === 'web', 'a line of web');
    await stream.until((item) => item.data.text === 'partial', 'the last line of job');

    expect(stream.items.every((item) => item.event === 'line')).toBe(true);
    expect(stream.items.map((item) => `${item.data.name}: ${item.data.text}`).sort()).toEqual([
      'job: line 1',
      'job: line 2',
      'job: line 3',
      'job: partial',
      'web: ready',
    ]);
  });
});

describe('GET /metrics', () => {
  it('answers Prometheus text with its content type', async () => {
    const { app } = await stack();

    const response = await app.request('/metrics');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await response.text()).toContain('overseer_process_up{name="web"} 1');
  });
});

describe('GET /events', () => {
  it('streams a snapshot of every process first', async () => {
    const { supervisor, app } = await stack();

    const response = await app.request('/events');
    const stream = responseEventStream(response);
    const [first] = [await stream.until(() => true, 'the snapshot')];

    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(first!.event).toBe('snapshot');
    expect(first!.data.type).toBe('snapshot');
    expect(first!.data.processes.map((row: { name: string; pid: number | null }) => row)).toEqual([
      expect.objectContaining({ name: 'web', status: 'running', pid: supervisor.get('web').pid }),
      expect.objectContaining({ name: 'job', status: 'completed', pid: null }),
    ]);
  });
});

describe('unknown routes', () => {
  it.each([
    ['GET', '/nope'],
    ['GET', '/processes/web/stop'],
    ['DELETE', '/processes/web'],
  ])('answer 404 NOT_FOUND as an error body for %s %s', async (method, path) => {
    const app = idleApp();

    const { status, body } = await call(app, method, path);

    expect(status).toBe(404);
    expect(body).toEqual(errorOf('NOT_FOUND', `no route ${method} ${path}`));
  });
});

describe('embedding', () => {
  it('serves the same answers mounted under a prefix of a host app', async () => {
    const { supervisor, app } = await stack();
    const host = new Hono();
    host.route('/monitoring', app);

    const list = await call(host, 'GET', '/monitoring/processes');
    const unknown = await call(host, 'GET', '/monitoring/processes/nope');
    const conflict = await call(host, 'POST', '/monitoring/processes/job/stop');

    expect(list.status).toBe(200);
    expect(list.body.processes.map((row: { pid: number | null }) => row.pid)).toEqual(
      supervisor.list().map((row) => row.pid),
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual(errorOf('UNKNOWN_PROCESS', 'no process named nope'));
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe('INVALID_STATE');
  });
});

describe('streams and their subscriptions', () => {
  it('unsubscribes from the supervisor when the client goes away', async () => {
    const { supervisor } = await stack();
    const active = { watch: 0, onLog: 0 };
    const counted: SupervisorApi = {
      list: () => supervisor.list(),
      get: (name) => supervisor.get(name),
      start: (name) => supervisor.start(name),
      stop: (name) => supervisor.stop(name),
      restart: (name) => supervisor.restart(name),
      logs: (name, lines) => supervisor.logs(name, lines),
      readLogs: (name, query) => supervisor.readLogs(name, query),
      watch: (listener) => track('watch', supervisor.watch(listener)),
      onLog: (listener) => track('onLog', supervisor.onLog(listener)),
    };
    function track(kind: keyof typeof active, dispose: () => void) {
      active[kind] += 1;
      return () => {
        active[kind] -= 1;
        dispose();
      };
    }
    const app = createMonitoringRoutes(counted);

    const streams = [
      responseEventStream(await app.request('/events')),
      responseEventStream(await app.request('/logs?follow=true')),
      responseEventStream(await app.request('/processes/web/logs?follow=true')),
    ];
    await streams[0]!.until((item) => item.event === 'snapshot');
    expect(active).toEqual({ watch: 1, onLog: 2 });

    for (const stream of streams) stream.close();

    await waitFor(() => active.watch === 0 && active.onLog === 0, 5_000, 'unsubscribing');
  });
});
