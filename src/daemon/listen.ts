/**
 * Serving a Hono app on the daemon's Unix socket (mode 0600: only its owner may talk to it)
 * and, when configured, on TCP behind a bearer token compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { chmodSync, unlinkSync } from 'node:fs';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { OverseerError } from '../core/errors.js';
import { errorBody } from '../protocol/errors.js';
import { answerParserRefusals } from './parser-refusals.js';

/** Longest path a Unix socket may have (108 bytes on Linux, with the final NUL). */
const MAX_SOCKET_PATH = 107;

export interface Listener {
  /** The TCP port actually bound (useful with port 0), if TCP is on. */
  readonly tcpPort: number | undefined;
  close(): Promise<void>;
}

export interface ListenOptions {
  readonly socketPath: string;
  readonly tcp?: { readonly host: string; readonly port: number; readonly token: string };
}

export async function listen(app: Hono, options: ListenOptions): Promise<Listener> {
  const servers: Server[] = [await listenOnSocket(app, options.socketPath)];
  const close = async () => {
    await Promise.all(servers.map(closeServer));
    removeQuietly(options.socketPath);
  };
  let tcpPort: number | undefined;
  if (options.tcp) {
    const { host, port, token } = options.tcp;
    let server: Server;
    try {
      server = await listenOn(withBearerToken(app, token), (s) => s.listen(port, host));
    } catch (error) {
      // A socket left listening would keep a daemon that failed to start alive.
      await close();
      throw error;
    }
    const address = server.address();
    tcpPort = typeof address === 'object' && address ? address.port : undefined;
    servers.push(server);
  }
  return { tcpPort, close };
}

async function listenOnSocket(app: Hono, socketPath: string): Promise<Server> {
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) {
    throw new OverseerError(
      'INVALID_SPEC',
      `the socket path ${socketPath} is longer than the ${MAX_SOCKET_PATH} bytes Unix sockets allow: choose a shorter settings.state_dir`,
    );
  }
  // The caller holds the state dir's lock, so a socket file left here is stale.
  removeQuietly(socketPath);
  // Created with no access for group and others, then made explicit: there is no window
  // in which another user could connect.
  const previous = process.umask(0o177);
  try {
    const server = await listenOn(app, (s) => s.listen(socketPath));
    chmodSync(socketPath, 0o600);
    return server;
  } finally {
    process.umask(previous);
  }
}

function listenOn(app: Hono, start: (server: Server) => void): Promise<Server> {
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  answerParserRefusals(server);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      resolve(server);
    });
    start(server);
  });
}

/** Every route behind `Authorization: Bearer <token>`. */
export function withBearerToken(app: Hono, token: string): Hono {
  const expected = digest(token);
  const guarded = new Hono();
  guarded.use('*', async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (given && timingSafeEqual(digest(given), expected)) return next();
    const error = new OverseerError(
      'UNAUTHORIZED',
      given ? 'the bearer token is wrong' : 'an Authorization: Bearer <token> header is required',
    );
    return c.json(errorBody(error), 401, { 'www-authenticate': 'Bearer' });
  });
  // The whole request is handed on rather than mounted with route(), which copies only the
  // routes: unknown paths would get Hono's plain-text 404 instead of the app's error body.
  guarded.all('*', (c) => app.fetch(c.req.raw, c.env));
  return guarded;
}

/** Equal-length digests, so the comparison time says nothing about the token. */
function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Event streams stay open until their clients go: end them.
    server.closeAllConnections();
  });
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
