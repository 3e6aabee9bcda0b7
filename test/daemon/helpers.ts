/**
 * Helpers for the API and daemon tests: daemons over a config written to a temp dir, raw
 * HTTP requests over the Unix socket or TCP, and event streams read as they arrive. All of
 * it is torn down by `cleanupAll` (daemons, listeners, open streams, then the runtime
 * helpers' supervisors, pids and temp dirs).
 */
import { writeFileSync } from 'node:fs';
import { type IncomingHttpHeaders, type IncomingMessage, request } from 'node:http';
import { join } from 'node:path';
import { loadProject } from '../../src/config/load.js';
import { Daemon } from '../../src/daemon/daemon.js';
import type { Listener } from '../../src/daemon/listen.js';
import { SOCKET_FILE } from '../../src/protocol/state-dir.js';
import {
  cleanup,
  cleanupKept as cleanupKeptRuntime,
  fixture,
  keepForTheFile as keepRuntimeForTheFile,
  tempDir,
  waitFor,
} from '../runtime/helpers.js';

export {
  type AnySupervisor,
  createSupervisor,
  fixture,
  isEvent,
  isGone,
  recordEvents,
  tempDir,
  waitFor,
  waitForEvent,
} from '../runtime/helpers.js';

/** A token long enough for the config schema (16 characters at least). */
export const TOKEN = 'test-token-0123456789abcdef';

/** A service that prints "ready" and idles until SIGTERM; ready once it has printed. */
export function sleeper(env: Record<string, string> = {}) {
  return { command: fixture('sleeper.mjs'), readiness: { log: '^ready$' }, env };
}

const daemons: Daemon[] = [];
const listeners: Listener[] = [];
const streams: Array<{ close(): void }> = [];

/** A listener (from `listen()`) closed after the test. */
export function trackListener<L extends Listener>(listener: L): L {
  listeners.push(listener);
  return listener;
}

/** For `afterEach`: closes streams, shuts daemons and listeners down, then the runtime's cleanup. */
export async function cleanupAll(): Promise<void> {
  for (const stream of streams.splice(0)) stream.close();
  const results = await Promise.allSettled([
    ...daemons.splice(0).map((daemon) => daemon.shutdown()),
    ...listeners.splice(0).map((listener) => listener.close()),
  ]);
  await cleanup();
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
}

const keptDaemons: Daemon[] = [];

/**
 * Runs `make`, keeping the daemons, supervisors and temp folders it creates past the test:
 * for a stack several tests of a file share and only read. `cleanupKept`, in `afterAll`,
 * ends them.
 */
export async function keepForTheFile<T>(make: () => Promise<T>): Promise<T> {
  const daemonsBefore = daemons.length;
  try {
    return await keepRuntimeForTheFile(make);
  } finally {
    keptDaemons.push(...daemons.splice(daemonsBefore));
  }
}

/** For `afterAll`: shuts down what `keepForTheFile` kept. */
export async function cleanupKept(): Promise<void> {
  const results = await Promise.allSettled(
    keptDaemons.splice(0).map((daemon) => daemon.shutdown()),
  );
  await cleanupKeptRuntime();
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
}

/** Writes `config` as `overseer.yaml` in `dir` (JSON is YAML) and returns its path. */
export function writeConfig(dir: string, config: object): string {
  const path = join(dir, 'overseer.yaml');
  writeFileSync(path, JSON.stringify({ version: 1, ...config }, null, 2));
  return path;
}

export interface OpenDaemon {
  readonly daemon: Daemon;
  readonly dir: string;
  readonly configPath: string;
  readonly stateDir: string;
  readonly socketPath: string;
}

/** A daemon over `config` written to a fresh temp dir, shut down after the test. */
export async function openDaemon(config: object, dir = tempDir()): Promise<OpenDaemon> {
  const configPath = writeConfig(dir, config);
  const project = await loadProject(configPath);
  const daemon = trackDaemon(await Daemon.open(project));
  const { stateDir } = project.settings;
  return { daemon, dir, configPath, stateDir, socketPath: join(stateDir, SOCKET_FILE) };
}

/** A daemon opened by the test itself, shut down after it. */
export function trackDaemon(daemon: Daemon): Daemon {
  daemons.push(daemon);
  return daemon;
}

/** Where a raw request goes: a Unix socket, or 127.0.0.1 and a port. */
export type Where = { readonly socketPath: string } | { readonly port: number };

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

/** One HTTP request over a real connection; resolves with the whole answer. */
export function httpRequest(
  where: Where,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { ...target(where), method, path, headers: options.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.once('error', reject);
    req.end(options.body);
  });
}

function target(where: Where) {
  return 'socketPath' in where
    ? { socketPath: where.socketPath }
    : { host: '127.0.0.1', port: where.port };
}

/** One server-sent event as it came over the wire, its data parsed as JSON. */
export interface WireEvent {
  readonly event: string;
  // biome-ignore lint/suspicious/noExplicitAny: the tests narrow it with toMatchObject
  readonly data: any;
}

/** An event stream being read: what arrived so far, in order. */
export interface EventStream {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly items: WireEvent[];
  /** Waits until some item satisfies `predicate`; returns the first one that does. */
  until(predicate: (item: WireEvent) => boolean, what?: string): Promise<WireEvent>;
  close(): void;
}

/**
 * Opens an event stream over a real connection and resolves once the answer's headers are
 * in. The stream is read by a parser written here (not the one in src/protocol), so the
 * wire format itself is checked: blocks of `event:` and `data:` lines, each block ended by
 * a blank line.
 */
export function openEventStream(
  where: Where,
  path: string,
  headers: Record<string, string> = {},
): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const req = request(
      { ...target(where), method: 'GET', path, headers, agent: false },
      (res: IncomingMessage) => {
        const collector = collect(res.statusCode ?? 0, res.headers, () => req.destroy());
        res.setEncoding('utf8');
        res.on('data', collector.push);
        res.on('error', () => {});
        resolve(collector.stream);
      },
    );
    req.once('error', reject);
    req.end();
  });
}

/**
 * The event stream in a fetch `Response` (from `app.request()` or a real `fetch`), read in
 * the background until closed.
 */
export function responseEventStream(response: Response): EventStream {
  const reader = response.body!.getReader();
  const headers = Object.fromEntries(response.headers);
  const collector = collect(response.status, headers, () => void reader.cancel().catch(() => {}));
  const decoder = new TextDecoder();
  void (async () => {
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) return;
      collector.push(decoder.decode(value, { stream: true }));
    }
  })();
  return collector.stream;
}

function collect(status: number, headers: IncomingHttpHeaders, close: () => void) {
  const items: WireEvent[] = [];
  let buffer = '';
  const stream: EventStream = {
    status,
    headers,
    items,
    until: (predicate, what = 'a matching event') =>
      waitFor(() => items.find(predicate), 5_000, what),
    close,
  };
  streams.push(stream);
  const push = (chunk: string) => {
    buffer += chunk;
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      items.push(parseBlock(buffer.slice(0, end)));
      buffer = buffer.slice(end + 2);
    }
  };
  return { stream, push };
}

/** `event: NAME\ndata: JSON`: exactly these two lines, nothing else. */
function parseBlock(block: string): WireEvent {
  const match = /^event: ([^\n]+)\ndata: ([^\n]*)$/.exec(block);
  if (!match) throw new Error(`not an event block: ${JSON.stringify(block)}`);
  return { event: match[1]!, data: JSON.parse(match[2]!) };
}

/** The body of a JSON answer, checked to be JSON. */
export function json(response: RawResponse): unknown {
  expectJsonType(response.headers['content-type']);
  return JSON.parse(response.text);
}

function expectJsonType(contentType: string | undefined): void {
  if (!contentType?.startsWith('application/json')) {
    throw new Error(`expected a JSON answer, got content-type ${contentType}`);
  }
}
