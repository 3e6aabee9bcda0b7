/**
 * The API over real connections: the Unix socket (mode 0600, no token ever needed) and TCP
 * on 127.0.0.1, where every route, known or not, asks for the bearer token first.
 */
import { statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/config/load.js';
import { OverseerError } from '../../src/core/errors.js';
import { Daemon } from '../../src/daemon/daemon.js';
import { listen } from '../../src/daemon/listen.js';
import { lockHolder } from '../../src/daemon/lock.js';
import { createMonitoringRoutes } from '../../src/daemon/routes.js';
import type { SupervisorApi } from '../../src/protocol/api.js';
import { HttpSupervisorClient } from '../../src/protocol/client.js';
import {
  cleanupAll,
  createSupervisor,
  httpRequest,
  json,
  openDaemon,
  openEventStream,
  sleeper,
  TOKEN,
  tempDir,
  trackDaemon,
  trackListener,
  waitFor,
  writeConfig,
} from './helpers.js';

const blockers: Server[] = [];

afterEach(async () => {
  for (const blocker of blockers.splice(0)) blocker.close();
  await cleanupAll();
});

/** Every route the daemon serves, with a harmless target. */
const ROUTES: ReadonlyArray<readonly [string, string]> = [
  ['GET', '/health'],
  ['GET', '/processes'],
  ['GET', '/processes/web'],
  ['POST', '/processes/web/start'],
  ['POST', '/processes/web/stop'],
  ['POST', '/processes/web/restart'],
  ['GET', '/processes/web/logs?lines=5'],
  ['GET', '/processes/web/logs?follow=true'],
  ['GET', '/logs?follow=true'],
  ['GET', '/metrics'],
  ['GET', '/events'],
  ['GET', '/daemon'],
  ['POST', '/daemon/apply'],
  ['POST', '/daemon/shutdown'],
  ['GET', '/no/such/route'],
];

/** Routes that answer 200 with JSON or text and change nothing. */
const READ_ROUTES = [
  '/health',
  '/processes',
  '/processes/web',
  '/processes/web/logs?lines=5',
  '/metrics',
  '/daemon',
];

const STREAM_ROUTES = ['/events', '/logs?follow=true', '/processes/web/logs?follow=true'];

const MISSING = 'an Authorization: Bearer <token> header is required';
const WRONG = 'the bearer token is wrong';

async function tcpDaemon() {
  const opened = await openDaemon({
    settings: { api: { listen: '127.0.0.1:0', token: TOKEN } },
    processes: { web: sleeper() },
  });
  await opened.daemon.up();
  const port = opened.daemon.tcpPort;
  expect(port).toEqual(expect.any(Number));
  return { ...opened, port: port! };
}

describe('the Unix socket', () => {
  it('is created with mode 0600 in the state dir and serves without a token', async () => {
    const { socketPath, stateDir } = await openDaemon({ processes: { web: sleeper() } });

    const stats = statSync(socketPath);
    expect(stats.isSocket()).toBe(true);
    expect(stats.mode & 0o777).toBe(0o600);
    expect(socketPath).toBe(join(stateDir, 'overseer.sock'));
    const response = await httpRequest({ socketPath }, 'GET', '/health');
    expect(response.status).toBe(200);
    expect(json(response)).toMatchObject({ status: 'ok', pid: process.pid });
  });

  it('answers every route without a token, even when TCP asks for one', async () => {
    const { socketPath } = await tcpDaemon();

    for (const path of READ_ROUTES) {
      const response = await httpRequest({ socketPath }, 'GET', path);
      expect([path, response.status]).toEqual([path, 200]);
    }
    for (const path of STREAM_ROUTES) {
      const stream = await openEventStream({ socketPath }, path);
      expect([path, stream.status, stream.headers['content-type']]).toEqual([
        path,
        200,
        'text/event-stream',
      ]);
      stream.close();
    }
  });

  it('replaces a stale file at its path and is removed on close', async () => {
    const dir = tempDir();
    const socketPath = join(dir, 'api.sock');
    writeFileSync(socketPath, 'left behind');
    const app = createMonitoringRoutes(createSupervisor());

    const listener = trackListener(await listen(app, { socketPath }));

    expect(statSync(socketPath).isSocket()).toBe(true);
    expect(listener.tcpPort).toBeUndefined();
    await listener.close();
    expect(() => statSync(socketPath)).toThrow(/ENOENT/);
  });

  it('refuses a path longer than a Unix socket allows, naming the setting to change', async () => {
    const socketPath = join(tempDir(), 'x'.repeat(100), 'overseer.sock');
    const app = createMonitoringRoutes(createSupervisor());

    const error = await listen(app, { socketPath }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(OverseerError);
    expect(error).toMatchObject({ code: 'INVALID_SPEC' });
    expect((error as Error).message).toMatch(/longer than the 107 bytes.*settings\.state_dir/);
  });
});

describe('TCP with a bearer token', () => {
  it('listens on 127.0.0.1, on a free port when asked for port 0', async () => {
    const { port } = await tcpDaemon();

    const response = await httpRequest({ port }, 'GET', '/health', {
      headers: { authorization: `Bearer ${TOKEN}` },
    });

    expect(port).toBeGreaterThan(0);
    expect(response.status).toBe(200);
  });

  it.each([
    ['no header', {}, MISSING],
    ['a wrong token', { authorization: 'Bearer not-the-token-at-all!!' }, WRONG],
    ['the token with a typo', { authorization: `Bearer ${TOKEN}x` }, WRONG],
    ['an empty bearer', { authorization: 'Bearer ' }, MISSING],
    ['the Basic scheme', { authorization: `Basic ${btoa(`user:${TOKEN}`)}` }, MISSING],
    ['the Token scheme', { authorization: `Token ${TOKEN}` }, MISSING],
    ['the bare token', { authorization: TOKEN }, MISSING],
    ['the token in another header', { 'x-token': TOKEN }, MISSING],
  ])('answers 401 on every route to %s, doing nothing', async (_what, headers, message) => {
    const { daemon, port, stateDir } = await tcpDaemon();
    const pid = daemon.supervisor.get('web').pid;

    for (const [method, path] of ROUTES) {
      const response = await httpRequest({ port }, method, path, { headers });
      expect([method, path, response.status]).toEqual([method, path, 401]);
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(json(response)).toEqual({ error: { code: 'UNAUTHORIZED', message } });
    }
    const unchanged = daemon.supervisor.get('web');
    expect(unchanged).toMatchObject({ status: 'running', pid, restarts: 0 });
    expect(lockHolder(stateDir)).toBe(process.pid);
  });

  it('answers 401 to the token given as a query parameter', async () => {
    const { port } = await tcpDaemon();

    const response = await httpRequest({ port }, 'GET', `/health?token=${TOKEN}`);

    expect(response.status).toBe(401);
  });

  it('answers every route with the right token', async () => {
    const { port } = await tcpDaemon();
    const headers = { authorization: `Bearer ${TOKEN}` };

    for (const path of READ_ROUTES) {
      const response = await httpRequest({ port }, 'GET', path, { headers });
      expect([path, response.status]).toEqual([path, 200]);
    }
    for (const path of STREAM_ROUTES) {
      const stream = await openEventStream({ port }, path, headers);
      expect([path, stream.status, stream.headers['content-type']]).toEqual([
        path,
        200,
        'text/event-stream',
      ]);
      stream.close();
    }
    const stopped = await httpRequest({ port }, 'POST', '/processes/web/stop', { headers });
    expect(stopped.status).toBe(200);
    expect(json(stopped)).toEqual({
      processes: [expect.objectContaining({ name: 'web', status: 'stopped' })],
    });
  });

  // Regression: the token guard mounted the routes with `route()`, which leaves their
  // not-found handler behind, so an unknown route over TCP answered plain text.
  it('answers an unknown route, once authorized, with the JSON error body', async () => {
    const { port } = await tcpDaemon();

    const response = await httpRequest({ port }, 'GET', '/no/such/route', {
      headers: { authorization: `Bearer ${TOKEN}` },
    });

    expect(response.status).toBe(404);
    expect(json(response)).toEqual({
      error: { code: 'NOT_FOUND', message: 'no route GET /no/such/route' },
    });
  });

  it('answers errors of the routes behind the guard with their own status', async () => {
    const { port } = await tcpDaemon();
    const headers = { authorization: `Bearer ${TOKEN}` };

    const unknown = await httpRequest({ port }, 'GET', '/processes/nope', { headers });
    const conflict = await httpRequest({ port }, 'POST', '/processes/web/start', { headers });
    const bad = await httpRequest({ port }, 'GET', '/processes/web/logs?lines=0', { headers });

    expect([unknown.status, json(unknown)]).toEqual([
      404,
      { error: { code: 'UNKNOWN_PROCESS', message: 'no process named nope' } },
    ]);
    expect([conflict.status, json(conflict)]).toEqual([
      409,
      { error: { code: 'INVALID_STATE', message: 'web is already running' } },
    ]);
    expect(bad.status).toBe(400);
    expect(json(bad)).toMatchObject({ error: { code: 'BAD_REQUEST' } });
  });

  it('with an empty token lets nobody in', async () => {
    const app = createMonitoringRoutes(createSupervisor());
    const listener = trackListener(
      await listen(app, {
        socketPath: join(tempDir(), 'api.sock'),
        tcp: { host: '127.0.0.1', port: 0, token: '' },
      }),
    );

    for (const authorization of ['Bearer ', 'Bearer', '']) {
      const response = await httpRequest({ port: listener.tcpPort! }, 'GET', '/health', {
        headers: { authorization },
      });
      expect(response.status).toBe(401);
    }
  });

  // Regression: when the TCP port could not be bound, the socket server already listening
  // stayed open, so a daemon that failed to start kept its process alive.
  it('closes the socket again when the TCP port cannot be bound', async () => {
    const blocker = await occupyPort();
    const socketPath = join(tempDir(), 'api.sock');
    const app = createMonitoringRoutes(createSupervisor());

    const error = await listen(app, {
      socketPath,
      tcp: { host: '127.0.0.1', port: portOf(blocker), token: TOKEN },
    }).catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: 'EADDRINUSE' });
    expect(() => statSync(socketPath)).toThrow(/ENOENT/);
    await expect(httpRequest({ socketPath }, 'GET', '/health')).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });

  it('lets a daemon that cannot bind its TCP port fail cleanly: lock released, socket gone', async () => {
    const blocker = await occupyPort();
    const port = portOf(blocker);
    const configPath = writeConfig(tempDir(), {
      settings: { api: { listen: `127.0.0.1:${port}`, token: TOKEN } },
      processes: { web: sleeper() },
    });
    const project = await loadProject(configPath);

    await expect(Daemon.open(project)).rejects.toMatchObject({ code: 'EADDRINUSE' });

    const { stateDir } = project.settings;
    expect(lockHolder(stateDir)).toBeUndefined();
    expect(() => statSync(join(stateDir, 'overseer.sock'))).toThrow(/ENOENT/);
    await new Promise((resolve) => blocker.close(resolve));
    const retried = trackDaemon(await Daemon.open(project));
    expect(retried.tcpPort).toBe(port);
  });
});

describe('refusing TCP without a token', () => {
  it.each(['0.0.0.0:9615', '[::]:9615', '192.0.2.10:9615', '127.0.0.1:9615'])(
    'is a config error to listen on %s without a token',
    async (address) => {
      const configPath = writeConfig(tempDir(), {
        settings: { api: { listen: address } },
        processes: { web: sleeper() },
      });

      const error = await loadProject(configPath).catch((caught: unknown) => caught);

      expect(error).toMatchObject({
        code: 'INVALID_SPEC',
        issues: [
          expect.objectContaining({
            path: 'settings.api.token',
            message:
              'required when api.listen is set: the TCP listener always asks for a bearer token',
          }),
        ],
      });
    },
  );

  it('is a config error to use a token shorter than 16 characters', async () => {
    const configPath = writeConfig(tempDir(), {
      settings: { api: { listen: '0.0.0.0:9615', token: 'short' } },
      processes: { web: sleeper() },
    });

    await expect(loadProject(configPath)).rejects.toMatchObject({
      issues: [
        expect.objectContaining({
          path: 'settings.api.token',
          message: 'expected a token of at least 16 characters',
        }),
      ],
    });
  });

  it('never opens TCP for a project that has an address but no token', async () => {
    const blocker = await occupyPort();
    const port = portOf(blocker);
    await new Promise((resolve) => blocker.close(resolve));
    const configPath = writeConfig(tempDir(), { processes: { web: sleeper() } });
    const loaded = await loadProject(configPath);
    const project = {
      ...loaded,
      settings: {
        ...loaded.settings,
        api: { listen: { host: '127.0.0.1', port }, token: undefined },
      },
    };

    const daemon = trackDaemon(await Daemon.open(project));

    expect(daemon.tcpPort).toBeUndefined();
    await expect(httpRequest({ port }, 'GET', '/health')).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });
});

describe('HttpSupervisorClient over both transports', () => {
  it('reads and acts the same over the socket and over TCP', async () => {
    const { daemon, socketPath, port } = await tcpDaemon();
    const overSocket = new HttpSupervisorClient({ socketPath });
    const overTcp = new HttpSupervisorClient({ host: '127.0.0.1', port, token: TOKEN });
    const pid = daemon.supervisor.get('web').pid;

    expect((await overSocket.list()).map((row) => row.pid)).toEqual([pid]);
    expect((await overTcp.list()).map((row) => row.pid)).toEqual([pid]);
    expect((await overTcp.status()).project).toBe((await overSocket.status()).project);

    const [stopped] = await overTcp.stop('web');
    expect(stopped).toMatchObject({ name: 'web', status: 'stopped' });
    const [started] = await overSocket.start('web');
    expect(started).toMatchObject({ name: 'web', status: 'running' });
    expect((await overTcp.get('web')).runs).toHaveLength(2);
  });

  it('regression: a TLS handshake that never came hung the client past its connect timeout', async () => {
    // Accepts the connection, then says nothing: a proxy stuck before its handshake.
    const held: import('node:net').Socket[] = [];
    const silent = createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as { port: number };
      const client = new HttpSupervisorClient({
        host: '127.0.0.1',
        port,
        token: 'a-token-long-enough-here',
        tls: true,
        connectTimeoutMs: 300,
      });
      await expect(client.list()).rejects.toThrow(
        /cannot reach the supervisor at https:\/\/127\.0\.0\.1:\d+/,
      );
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('reports a wrong token as UNAUTHORIZED, and a refused stream through onBreak', async () => {
    const { port } = await tcpDaemon();
    const client = new HttpSupervisorClient({
      host: '127.0.0.1',
      port,
      token: 'wrong-token-but-long',
    });
    const breaks: OverseerError[] = [];
    client.onBreak((error) => breaks.push(error));

    // The daemon's answer, with the address it came from: a remote user sees which one refused.
    const refused = `the supervisor at http://127.0.0.1:${port} refused the token: ${WRONG}`;
    await expect(client.list()).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: refused });
    const stop = client.watch(() => {
      throw new Error('no item may arrive');
    });
    await waitFor(() => breaks.length > 0, 5_000, 'the stream to break');
    stop();
    expect(breaks[0]).toMatchObject({ code: 'UNAUTHORIZED', message: refused });
  });
});

describe('streams over a real connection', () => {
  it('unsubscribe from the supervisor when the client disconnects', async () => {
    const supervisor = createSupervisor();
    supervisor.add({ name: 'web', ...sleeper() });
    await supervisor.up();
    let active = 0;
    const counted: SupervisorApi = Object.assign(Object.create(supervisor), {
      watch: (listener: Parameters<SupervisorApi['watch']>[0]) => {
        active += 1;
        const dispose = supervisor.watch(listener);
        return () => {
          active -= 1;
          dispose();
        };
      },
    });
    const socketPath = join(tempDir(), 'api.sock');
    trackListener(await listen(createMonitoringRoutes(counted), { socketPath }));

    const streams = await Promise.all(
      [1, 2, 3].map(() => openEventStream({ socketPath }, '/events')),
    );
    for (const stream of streams) await stream.until((item) => item.event === 'snapshot');
    expect(active).toBe(3);
    for (const stream of streams) stream.close();

    await waitFor(() => active === 0, 5_000, 'every subscription to end');
  });
});

function occupyPort(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      blockers.push(server);
      resolve(server);
    });
  });
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
