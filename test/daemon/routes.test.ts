/**
 * The monitoring routes (docs/http-api.md), one contract suite run against each way they are
 * served: in-process with `app.request()` over a Supervisor, and the daemon as it ships,
 * over its Unix socket and over TCP with its token. Real fixture programs behind them;
 * each route's answer and its shape, and errors as exactly `{"error": {"code", "message"}}`
 * with the status their code maps to. Then what only the embeddable routes promise.
 */

import { Hono } from 'hono';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ProcessDefinition } from '../../src/config/process-schema.js';
import type { TaskDefinition } from '../../src/config/task-schema.js';
import { createMonitoringRoutes } from '../../src/daemon/routes.js';
import type { SupervisorApi } from '../../src/protocol/api.js';
import {
  type AnySupervisor,
  cleanupAll,
  cleanupKept,
  createSupervisor,
  type EventStream,
  fixture,
  httpRequest,
  isGone,
  json,
  keepForTheFile,
  openDaemon,
  openEventStream,
  responseEventStream,
  sleeper,
  TOKEN,
  tempDir,
  type Where,
  waitFor,
} from './helpers.js';

afterEach(cleanupAll);
afterAll(cleanupKept);

/** Processes by name, as overseer.yaml declares them. */
type Declared = Record<string, Omit<ProcessDefinition, 'name'>>;

/** The routes as one way of serving them offers them, over a supervisor not started yet. */
interface Served {
  readonly supervisor: AnySupervisor;
  // biome-ignore lint/suspicious/noExplicitAny: shapes are checked by the assertions
  call(method: string, path: string): Promise<{ status: number; body: any }>;
  /** A GET whose answer is not JSON. */
  text(path: string): Promise<{ status: number; contentType: string | undefined; text: string }>;
  events(path: string): Promise<EventStream>;
}

interface ServeOptions {
  /** ms between resource samples (`settings.sample_interval`). */
  readonly sampleInterval?: number;
}

type Serve = (processes: Declared, options?: ServeOptions) => Promise<Served>;

/** The routes over a real connection to a daemon, with `headers` on every request. */
function overTheWire(
  supervisor: AnySupervisor,
  where: Where,
  headers: Record<string, string> = {},
): Served {
  return {
    supervisor,
    call: async (method, path) => {
      const response = await httpRequest(where, method, path, { headers });
      return { status: response.status, body: json(response) };
    },
    text: async (path) => {
      const response = await httpRequest(where, 'GET', path, { headers });
      const contentType = response.headers['content-type'];
      return { status: response.status, contentType, text: response.text };
    },
    events: (path) => openEventStream(where, path, headers),
  };
}

const SERVED: ReadonlyArray<readonly [string, Serve]> = [
  [
    'in-process',
    async (processes, options = {}) => {
      const supervisor = createSupervisor({ logDir: tempDir(), ...options });
      for (const [name, definition] of Object.entries(processes)) {
        supervisor.add({ name, ...definition });
      }
      const app = createMonitoringRoutes(supervisor);
      return {
        supervisor,
        call: (method, path) => call(app, method, path),
        text: async (path) => {
          const response = await app.request(path);
          const contentType = response.headers.get('content-type') ?? undefined;
          return { status: response.status, contentType, text: await response.text() };
        },
        events: async (path) => responseEventStream(await app.request(path)),
      };
    },
  ],
  [
    'the daemon over its Unix socket',
    async (processes, options = {}) => {
      const settings = { sample_interval: options.sampleInterval };
      const { daemon, socketPath } = await openDaemon({ settings, processes });
      return overTheWire(daemon.supervisor, { socketPath });
    },
  ],
  [
    'the daemon over TCP with its token',
    async (processes, options = {}) => {
      const settings = {
        sample_interval: options.sampleInterval,
        api: { listen: '127.0.0.1:0', token: TOKEN },
      };
      const { daemon } = await openDaemon({ settings, processes });
      return overTheWire(
        daemon.supervisor,
        { port: daemon.tcpPort! },
        { authorization: `Bearer ${TOKEN}` },
      );
    },
  ],
];

/** The fields of one `ps --json` row (docs/cli.md), in no particular order. */
const ROW_KEYS = [
  'blocked',
  'cpuPercent',
  'exitCode',
  'fds',
  'health',
  'healthReasons',
  'healthScore',
  'instance',
  'kind',
  'labels',
  'limitBreaches',
  'memoryBytes',
  'name',
  'namespace',
  'nextRunAt',
  'pid',
  'readBytes',
  'reason',
  'restarts',
  'retryAt',
  'startedAt',
  'status',
  'threads',
  'uptimeMs',
  'writeBytes',
];

/** `web`, a running service, and `job`, which printed three lines and a partial one and completed. */
async function stack(serve: Serve): Promise<Served> {
  const served = await serve({
    web: sleeper(),
    job: { command: fixture('print-lines.mjs', 3), kind: 'job' },
  });
  const { supervisor } = served;
  await supervisor.up();
  await waitFor(() => supervisor.get('job').status === 'completed', 5_000, 'job to complete');
  return served;
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

describe.each(SERVED)('the routes served %s', (_how, serve) => {
  // What the tests that only read share, one of each per way of serving: `stack`, and a
  // web declared but not started. Answering them changes nothing in either.
  let readOnlyStack: Promise<Served> | undefined;
  const sharedStack = () => (readOnlyStack ??= keepForTheFile(() => stack(serve)));
  let readOnlyIdle: Promise<Served> | undefined;
  const sharedIdle = () => (readOnlyIdle ??= keepForTheFile(() => serve({ web: sleeper() })));

  describe('GET /health', () => {
    it('answers ok with the supervisor pid, uptime and counts per status', async () => {
      const served = await sharedStack();

      const { status, body } = await served.call('GET', '/health');

      expect(status).toBe(200);
      expect(Object.keys(body).sort()).toEqual([
        'concerns',
        'containment',
        'counts',
        'pid',
        'status',
        'tasks',
        'uptimeMs',
      ]);
      expect(body).toMatchObject({
        status: 'ok',
        pid: process.pid,
        counts: { running: 1, completed: 1 },
        concerns: [],
        tasks: { queued: 0, running: 0, succeeded: 0, failed: 0 },
      });
      expect(body.uptimeMs).toBeGreaterThanOrEqual(0);
      expect(body.uptimeMs).toBeLessThan(60_000);
    });

    it('answers degraded (200) while a process backs off', async () => {
      const served = await serve({
        crashy: {
          command: fixture('exit-with.mjs', 1),
          restart: { policy: 'always', delay: '1m', min_uptime: '1s' },
        },
      });
      const { supervisor } = served;
      void supervisor.up();
      await waitFor(() => supervisor.get('crashy').status === 'backoff', 5_000, 'backoff');

      const { status, body } = await served.call('GET', '/health');

      expect(status).toBe(200);
      expect(body).toMatchObject({ status: 'degraded', counts: { backoff: 1 } });
      expect(body.concerns).toEqual([
        'crashy: backoff, score 60: restarting after: exited with code 1 (-30)',
      ]);
    });

    it('answers degraded for a running process over its memory limit, saying why', async () => {
      const served = await serve(
        {
          web: sleeper(),
          hog: {
            command: fixture('memory-hog.mjs', 8, 100),
            limits: { memory: '80MB', memory_action: 'alert' },
          },
        },
        { sampleInterval: 200 },
      );
      const { supervisor } = served;
      await supervisor.up();
      await waitFor(() => supervisor.get('hog').healthScore < 70, 10_000, 'the hog to score low');

      const { status, body } = await served.call('GET', '/health');

      expect(status).toBe(200);
      expect(body).toMatchObject({ status: 'degraded', counts: { running: 2 } });
      expect(body.concerns).toEqual([
        expect.stringMatching(
          /^hog: running, score \d+: memory at \d+% of its 80MB limit \(-\d+\)$/,
        ),
      ]);
    });

    it('answers failing with status 503 once a process has failed', async () => {
      const served = await serve({
        web: sleeper(),
        broken: { command: fixture('exit-with.mjs', 3), kind: 'job' },
      });
      const { supervisor } = served;
      await supervisor.up();
      await waitFor(() => supervisor.get('broken').status === 'failed', 5_000, 'failure');

      const { status, body } = await served.call('GET', '/health');

      expect(status).toBe(503);
      expect(body).toMatchObject({ status: 'failing', counts: { running: 1, failed: 1 } });
      expect(body.concerns).toEqual(['broken: failed, score 0: failed: exited with code 3 (-100)']);
    });
  });

  describe('GET /processes', () => {
    it('answers the ps --json document: one row per process, in declaration order', async () => {
      const { supervisor, ...served } = await sharedStack();

      const { status, body } = await served.call('GET', '/processes');

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
      const { supervisor, ...served } = await sharedStack();
      const pid = supervisor.get('web').pid;

      const { status, body } = await served.call('GET', '/processes/web');

      expect(status).toBe(200);
      expect(Object.keys(body).sort()).toEqual(
        [...ROW_KEYS, 'containment', 'resources', 'runs', 'spec'].sort(),
      );
      expect(body).toMatchObject({ name: 'web', status: 'running', pid });
      expect(body.spec).toMatchObject({ name: 'web', kind: 'service', instance: 0 });
      expect(body.runs).toEqual([
        expect.objectContaining({ pid, endedAt: null, exitCode: null, signal: null }),
      ]);
      const job = await served.call('GET', '/processes/job');
      expect(job.body.runs).toEqual([
        expect.objectContaining({ exitCode: 0, signal: null, killedAfterTimeout: false }),
      ]);
      expect(job.body.runs[0].endedAt).toEqual(expect.any(String));
    });

    it('answers 404 UNKNOWN_PROCESS for a name nobody declared', async () => {
      const served = await sharedStack();

      const { status, body } = await served.call('GET', '/processes/nope');

      expect(status).toBe(404);
      expect(body).toEqual(errorOf('UNKNOWN_PROCESS', 'no process named nope'));
    });
  });

  describe('POST /processes/:name/start|stop|restart', () => {
    it('stops, starts and restarts, answering the new state of every instance', async () => {
      const { supervisor, ...served } = await stack(serve);
      const firstPid = supervisor.get('web').pid!;

      const stopped = await served.call('POST', '/processes/web/stop');
      expect(stopped.status).toBe(200);
      expect(Object.keys(stopped.body)).toEqual(['processes']);
      expect(stopped.body.processes).toEqual([
        expect.objectContaining({ name: 'web', status: 'stopped', pid: null }),
      ]);
      expect(isGone(firstPid)).toBe(true);

      const started = await served.call('POST', '/processes/web/start');
      expect(started.status).toBe(200);
      const [afterStart] = started.body.processes;
      expect(afterStart).toMatchObject({ name: 'web', status: 'running', health: 'healthy' });
      expect(afterStart.pid).not.toBe(firstPid);

      const restarted = await served.call('POST', '/processes/web/restart');
      expect(restarted.status).toBe(200);
      const [afterRestart] = restarted.body.processes;
      expect(afterRestart).toMatchObject({ name: 'web', status: 'running', restarts: 1 });
      expect(afterRestart.pid).not.toBe(afterStart.pid);
      expect(isGone(afterStart.pid)).toBe(true);
      expect(supervisor.get('web').pid).toBe(afterRestart.pid);
    });

    it('answers every instance of a name with instances', async () => {
      const served = await serve({ pool: { ...sleeper(), instances: 2 } });
      await served.supervisor.up();

      const { status, body } = await served.call('POST', '/processes/pool/stop');

      expect(status).toBe(200);
      expect(body.processes.map((row: { name: string; status: string }) => row)).toEqual([
        expect.objectContaining({ name: 'pool-0', status: 'stopped', instance: 0 }),
        expect.objectContaining({ name: 'pool-1', status: 'stopped', instance: 1 }),
      ]);
    });

    it('answers 409 INVALID_STATE to stop a stopped process and start a running one', async () => {
      const served = await stack(serve);

      const startRunning = await served.call('POST', '/processes/web/start');
      expect(startRunning.status).toBe(409);
      expect(startRunning.body).toEqual(errorOf('INVALID_STATE', 'web is already running'));

      const stopCompleted = await served.call('POST', '/processes/job/stop');
      expect(stopCompleted.status).toBe(409);
      expect(stopCompleted.body).toEqual(
        errorOf('INVALID_STATE', 'job is not running (completed)'),
      );

      await served.call('POST', '/processes/web/stop');
      const stopStopped = await served.call('POST', '/processes/web/stop');
      expect(stopStopped.status).toBe(409);
      expect(stopStopped.body).toEqual(errorOf('INVALID_STATE', 'web is not running (stopped)'));
    });

    it('answers 404 UNKNOWN_PROCESS for each action on an unknown name, changing nothing', async () => {
      const { supervisor, ...served } = await sharedStack();
      const before = supervisor.list().map(({ name, status, pid }) => ({ name, status, pid }));

      for (const action of ['start', 'stop', 'restart']) {
        const { status, body } = await served.call('POST', `/processes/nope/${action}`);
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
      const served = await sharedStack();

      const { status, body } = await served.call('GET', '/processes/job/logs');

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
      const served = await sharedStack();

      const { body } = await served.call('GET', '/processes/job/logs?lines=2');
      const max = await served.call('GET', '/processes/job/logs?lines=10000');

      expect(body.lines.map((line: { text: string }) => line.text)).toEqual(['line 3', 'partial']);
      expect(max.status).toBe(200);
      expect(max.body.lines).toHaveLength(4);
    });

    it.each(['0', '-1', 'abc', '1.5', '10001', ''])(
      'answers 400 BAD_REQUEST for ?lines=%j',
      async (lines) => {
        const served = await sharedIdle();

        const { status, body } = await served.call(
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

    it('filters with ?since=, ?until= and ?grep=, and answers 400 naming a bad one', async () => {
      const served = await sharedStack();
      const texts = (body: { lines: Array<{ text: string }> }) => body.lines.map((l) => l.text);

      const grep = await served.call(
        'GET',
        '/processes/job/logs?grep=LINE%20%5B13%5D&grep_flags=i',
      );
      const future = await served.call('GET', `/processes/job/logs?since=${Date.now() + 60_000}`);
      const past = await served.call('GET', '/processes/job/logs?since=2020-01-01T00:00:00Z');
      const badSince = await served.call('GET', '/processes/job/logs?since=soon');
      const all = (await served.call('GET', '/processes/job/logs')).body.lines as Array<{
        at: number;
        text: string;
      }>;
      const until = await served.call('GET', `/processes/job/logs?until=${all[2]!.at}`);
      const untilIso = await served.call('GET', '/processes/job/logs?until=2020-01-01T00:00:00Z');
      const badUntil = await served.call('GET', '/processes/job/logs?until=1e3');
      const untilFollowed = await served.call('GET', '/processes/job/logs?follow=true&until=1');
      const badGrep = await served.call('GET', '/processes/job/logs?grep=(');
      const flagsAlone = await served.call('GET', '/processes/job/logs?grep_flags=i');

      expect(texts(grep.body)).toEqual(['line 1', 'line 3']);
      expect(future.body).toEqual({ lines: [] });
      expect(texts(past.body)).toEqual(['line 1', 'line 2', 'line 3', 'partial']);
      expect([badSince.status, badSince.body]).toEqual([
        400,
        errorOf('BAD_REQUEST', 'since: expected epoch milliseconds or an ISO time, got "soon"'),
      ]);
      expect(texts(until.body)).toEqual(
        all.filter((line) => line.at < all[2]!.at).map((line) => line.text),
      );
      expect(untilIso.body).toEqual({ lines: [] });
      expect([badUntil.status, badUntil.body]).toEqual([
        400,
        errorOf('BAD_REQUEST', 'until: expected epoch milliseconds or an ISO time, got "1e3"'),
      ]);
      expect([untilFollowed.status, untilFollowed.body]).toEqual([
        400,
        errorOf('BAD_REQUEST', 'until: not with follow (no followed line is older)'),
      ]);
      expect(badGrep.status).toBe(400);
      expect(badGrep.body.error.message).toMatch(/^grep: Invalid regular expression/);
      expect([flagsAlone.status, flagsAlone.body]).toEqual([
        400,
        errorOf('BAD_REQUEST', 'grep_flags: only with grep'),
      ]);
    });

    it('answers 404 for an unknown process, also when following', async () => {
      const served = await sharedStack();

      for (const path of ['/processes/nope/logs', '/processes/nope/logs?follow=true']) {
        const { status, body } = await served.call('GET', path);
        expect(status).toBe(404);
        expect(body).toEqual(errorOf('UNKNOWN_PROCESS', 'no process named nope'));
      }
    });

    it('with ?follow=true streams the last lines, then new lines of that process only', async () => {
      const served = await stack(serve);
      const stream = await served.events('/processes/web/logs?lines=5&follow=true');
      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toBe('text/event-stream');
      await stream.until((item) => item.data.text === 'ready', 'the recent line');

      await served.call('POST', '/processes/job/start');
      await served.call('POST', '/processes/web/restart');
      await waitFor(() => stream.items.length === 2, 5_000, 'the line of the new run');

      expect(stream.items.map((item) => [item.event, item.data.text])).toEqual([
        ['line', 'ready'],
        ['line', 'ready'],
      ]);
      expect(stream.items[1]!.data).toMatchObject({ at: expect.any(Number), stream: 'stdout' });
    });
  });

  describe('GET /processes/:name/logs, a name with instances', () => {
    it('answers every instance merged by time, each line named; following streams them all', async () => {
      const served = await serve({ pool: { ...sleeper(), instances: 2 } });
      await served.supervisor.up();

      const { status, body } = await served.call('GET', '/processes/pool/logs');
      expect(status).toBe(200);
      expect(body.lines.map((line: { name: string }) => line.name).sort()).toEqual([
        'pool-0',
        'pool-1',
      ]);
      expect(body.lines[0]).toEqual({
        name: expect.any(String),
        at: expect.any(Number),
        stream: 'stdout',
        text: 'ready',
      });

      const stream = await served.events('/processes/pool/logs?follow=true');
      await waitFor(() => stream.items.length === 2, 5_000, 'the recent lines');
      await served.call('POST', '/processes/pool-1/restart');
      await waitFor(() => stream.items.length === 3, 5_000, 'the line of the new run');

      expect(stream.items.map((item) => item.data.name).sort()).toEqual([
        'pool-0',
        'pool-1',
        'pool-1',
      ]);
      expect(stream.items[2]!.data).toMatchObject({ name: 'pool-1', text: 'ready' });
    });

    it('following all streams every process: the follow route takes a selector, as the rest do', async () => {
      const served = await serve({ pool: { ...sleeper(), instances: 2 }, web: sleeper() });
      await served.supervisor.up();

      const stream = await served.events('/processes/all/logs?follow=true');
      await waitFor(() => stream.items.length === 3, 5_000, 'the recent lines of all three');

      expect(stream.items.map((item) => item.data.name).sort()).toEqual([
        'pool-0',
        'pool-1',
        'web',
      ]);
    });
  });

  describe('GET /logs', () => {
    it('answers 400 without ?follow=true', async () => {
      const served = await sharedStack();

      const { status, body } = await served.call('GET', '/logs');

      expect(status).toBe(400);
      expect(body).toEqual(
        errorOf('BAD_REQUEST', 'GET /logs streams every process: add ?follow=true'),
      );
    });

    it('with ?follow=true streams every new line of every process, with its name', async () => {
      const served = await stack(serve);
      const stream = await served.events('/logs?follow=true');

      await served.call('POST', '/processes/job/start');
      await served.call('POST', '/processes/web/restart');
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
      const served = await sharedStack();

      const { status, contentType, text } = await served.text('/metrics');

      expect(status).toBe(200);
      expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(text).toContain('overseer_process_up{name="web",namespace="default"} 1');
    });
  });

  describe('GET /events', () => {
    it('streams a snapshot of every process first', async () => {
      const { supervisor, ...served } = await sharedStack();

      const stream = await served.events('/events');
      const [first] = [await stream.until(() => true, 'the snapshot')];

      expect(stream.headers['content-type']).toBe('text/event-stream');
      expect(first!.event).toBe('snapshot');
      expect(first!.data.type).toBe('snapshot');
      expect(first!.data.processes.map((row: { name: string; pid: number | null }) => row)).toEqual(
        [
          expect.objectContaining({
            name: 'web',
            status: 'running',
            pid: supervisor.get('web').pid,
          }),
          expect.objectContaining({ name: 'job', status: 'completed', pid: null }),
        ],
      );
    });
  });

  describe('unknown routes', () => {
    it.each([
      ['GET', '/nope'],
      ['GET', '/processes/web/stop'],
      ['DELETE', '/processes/web'],
    ])('answer 404 NOT_FOUND as an error body for %s %s', async (method, path) => {
      const served = await sharedIdle();

      const { status, body } = await served.call(method, path);

      expect(status).toBe(404);
      expect(body).toEqual(errorOf('NOT_FOUND', `no route ${method} ${path}`));
    });
  });
});

/** `stack()` served in-process: the supervisor and the routes over it. */
async function inProcessStack(options: { startedAt?: number } = {}) {
  const supervisor = createSupervisor();
  supervisor.add({ name: 'web', ...sleeper() });
  supervisor.add({ name: 'job', command: fixture('print-lines.mjs', 3), kind: 'job' });
  await supervisor.up();
  await waitFor(() => supervisor.get('job').status === 'completed', 5_000, 'job to complete');
  return { supervisor, app: createMonitoringRoutes(supervisor, options) };
}

describe('options', () => {
  it('counts /health uptime from startedAt', async () => {
    const { app } = await inProcessStack({ startedAt: Date.now() - 5_000 });

    const { body } = await call(app, 'GET', '/health');

    expect(body.uptimeMs).toBeGreaterThanOrEqual(5_000);
    expect(body.uptimeMs).toBeLessThan(60_000);
  });
});

describe('embedding', () => {
  it('serves the same answers mounted under a prefix of a host app', async () => {
    const { supervisor, app } = await inProcessStack();
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
    const { supervisor } = await inProcessStack();
    const active = { watch: 0, onLog: 0 };
    const counted: SupervisorApi = {
      list: () => supervisor.list(),
      get: (name) => supervisor.get(name),
      start: (name) => supervisor.start(name),
      stop: (name) => supervisor.stop(name),
      restart: (name) => supervisor.restart(name),
      reload: (name) => supervisor.reload(name),
      scale: (name, instances) => supervisor.scale(name, instances),
      signal: (name, signal) => supervisor.signal(name, signal),
      logs: (name, lines) => supervisor.logs(name, lines),
      readLogs: (name, query) => supervisor.readLogs(name, query),
      watch: (listener) => track('watch', supervisor.watch(listener)),
      onLog: (listener) => track('onLog', supervisor.onLog(listener)),
      followLogs: (name, lines, listener) => supervisor.followLogs(name, lines, listener),
      health: () => supervisor.health(),
      onBreak: (listener) => supervisor.onBreak(listener),
      submitTask: (definition) => supervisor.submitTask(definition as TaskDefinition),
      listTasks: (filter) => supervisor.listTasks(filter),
      getTask: (id) => supervisor.getTask(id),
      waitTask: (id, waitMs) => supervisor.waitTask(id, waitMs),
      cancelTask: (id) => supervisor.cancelTask(id),
      followTask: (id, listener, onEnd) => supervisor.followTask(id, listener, onEnd),
      stats: () => supervisor.stats(),
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
