/**
 * `SupervisorApi` and `DaemonControl` over HTTP: the client the CLI and the dashboard use to
 * reach a daemon on its Unix socket or on TCP with a bearer token.
 */
import { type IncomingMessage, type RequestOptions, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { OverseerError } from '../core/errors.js';
import type { SupervisorEvent } from '../core/events.js';
import type { SignalReport } from '../core/process/signals.js';
import type { ProcessFilter } from '../core/stack/process-filter.js';
import type { ReloadReport } from '../core/stack/rolling.js';
import type { RequestTarget } from '../core/stack/selector.js';
import type { SupervisorStats } from '../core/stats.js';
import type { Disposer } from '../core/subscription.js';
import type { TaskView } from '../core/tasks/task.js';
import type { TaskFilter } from '../core/tasks/task-filter.js';
import type {
  LogLine,
  LogQuery,
  ProcessDetails,
  ProcessInfo,
  ProcessLogLine,
  Snapshot,
} from '../core/view.js';
import type { HealthReport, SupervisorApi, TaskDefinitionInput, TaskLine } from './api.js';
import type { ApplyResult, DaemonControl, DaemonStatus } from './daemon-control.js';
import { errorFromBody } from './errors.js';
import { SseParser } from './sse.js';
import type { WorkflowsApi } from './workflows-api.js';
import { httpWorkflowsApi } from './workflows-client.js';

/** How an unreachable daemon's error begins: nothing listens at its socket or address. */
const NO_SUPERVISOR = 'no supervisor is running at';

/** Whether `error` says that no daemon listens (rather than that one refused or failed). */
export function isNoSupervisor(error: unknown): boolean {
  return (
    error instanceof OverseerError &&
    error.code === 'UNAVAILABLE' &&
    error.message.startsWith(NO_SUPERVISOR)
  );
}

/**
 * Where the daemon listens: its Unix socket, or a TCP address with the token; `tls`: that
 * address is a TLS proxy in front of the daemon (an `https://` URL), whose certificate is
 * verified as any HTTPS client would (NODE_EXTRA_CA_CERTS adds a private authority).
 */
export type ClientTarget =
  | { readonly socketPath: string }
  | {
      readonly host: string;
      readonly port: number;
      readonly token: string;
      readonly tls?: boolean;
      /** How long opening the connection (and its TLS handshake) may take. Default 10 s. */
      readonly connectTimeoutMs?: number;
    };

/** Longest wait asked of the daemon in one request (it cuts longer ones to 5 min). */
const MAX_WAIT_PER_REQUEST_MS = 60_000;

/** A line as `GET /processes/:name/logs` answers it. */
type WireLogLine = LogLine & { readonly name?: string };

export class HttpSupervisorClient implements SupervisorApi, DaemonControl {
  /** Replaced, never changed in place: a break is told to those listening when it came. */
  private breakListeners: ReadonlyArray<(error: OverseerError) => void> = [];

  /** The project's durable workflows, as the daemon reads them from their store. */
  readonly workflows: WorkflowsApi = httpWorkflowsApi((method, path) => this.call(method, path));

  constructor(private readonly target: ClientTarget) {}

  /** Told, once per stream, when a stream (`watch`, `onLog`, `followLogs`) breaks; returns a disposer. */
  onBreak(listener: (error: OverseerError) => void): Disposer {
    const wrapped = (error: OverseerError) => listener(error);
    this.breakListeners = [...this.breakListeners, wrapped];
    return () => {
      this.breakListeners = this.breakListeners.filter((known) => known !== wrapped);
    };
  }

  async list(filter: ProcessFilter = {}): Promise<ProcessInfo[]> {
    const query = filterQuery(filter);
    const path = query.size > 0 ? `/processes?${query}` : '/processes';
    return (await this.call<{ processes: ProcessInfo[] }>('GET', path)).processes;
  }

  get(name: string): Promise<ProcessDetails> {
    return this.call('GET', `/processes/${encodeURIComponent(name)}`);
  }

  start(target: RequestTarget): Promise<ProcessInfo[]> {
    return this.act(target, 'start');
  }

  stop(target: RequestTarget): Promise<ProcessInfo[]> {
    return this.act(target, 'stop');
  }

  restart(target: RequestTarget): Promise<ProcessInfo[]> {
    return this.act(target, 'restart');
  }

  reload(name: string): Promise<ReloadReport> {
    return this.call('POST', `/processes/${encodeURIComponent(name)}/reload`);
  }

  async scale(name: string, instances: number): Promise<ProcessInfo[]> {
    const path = `/processes/${encodeURIComponent(name)}/scale`;
    return (await this.call<{ processes: ProcessInfo[] }>('POST', path, { instances })).processes;
  }

  signal(name: string, signal: string): Promise<SignalReport> {
    return this.call('POST', `/processes/${encodeURIComponent(name)}/signal`, { signal });
  }

  async logs(name: string, lines = 100): Promise<LogLine[]> {
    const path = `/processes/${encodeURIComponent(name)}/logs?lines=${lines}`;
    return (await this.call<{ lines: LogLine[] }>('GET', path)).lines;
  }

  async readLogs(name: string, query: LogQuery = {}): Promise<ProcessLogLine[]> {
    const path = `/processes/${encodeURIComponent(name)}/logs?${logQueryParams(query)}`;
    const { lines } = await this.call<{ lines: WireLogLine[] }>('GET', path);
    // The answer names a line's process only when `name` stands for several instances.
    return lines.map((line) => ({ name: line.name ?? name, ...line }));
  }

  /** The stack's health; answers even when the stack is failing (HTTP 503). */
  health(): Promise<HealthReport> {
    return this.call('GET', '/health', undefined, [503]);
  }

  /** The daemon's `/daemon` route: its health plus what it runs. */
  status(): Promise<DaemonStatus> {
    return this.call('GET', '/daemon', undefined, [503]);
  }

  /** Asks the daemon to stop everything and exit; resolves once it has stopped the stack. */
  async shutdown(): Promise<void> {
    await this.call('POST', '/daemon/shutdown');
  }

  /**
   * Asks the daemon to apply the config file again (changed processes restart), then start
   * `names` (all when empty); `watch`: and every later change of it too (`up -d --watch`).
   */
  apply(
    names: readonly string[] = [],
    options: { readonly watch?: boolean } = {},
  ): Promise<ApplyResult> {
    return this.call('POST', '/daemon/apply', options.watch ? { names, watch: true } : { names });
  }

  watch(listener: (item: Snapshot | SupervisorEvent) => void): Disposer {
    return this.stream('/events', (event, data) => {
      // The daemon's stream tells the project's workflow events too: not the supervisor's.
      if (!event.startsWith('workflow:')) listener(data as Snapshot | SupervisorEvent);
    });
  }

  onLog(listener: (line: ProcessLogLine) => void): Disposer {
    return this.stream('/logs?follow=true', (_event, data) => listener(data as ProcessLogLine));
  }

  /** `filter`: only the lines since a time, or matching a pattern, the tail's and the new. */
  followLogs(
    name: string,
    lines: number,
    listener: (line: ProcessLogLine) => void,
    filter: Pick<LogQuery, 'since' | 'grep'> = {},
  ): Disposer {
    const params = logQueryParams({ ...filter, lines });
    const path = `/processes/${encodeURIComponent(name)}/logs?${params}&follow=true`;
    // The stream names a line's process only when `name` stands for several instances.
    return this.stream(path, (_event, data) => {
      const line = data as WireLogLine;
      listener({ name: line.name ?? name, ...line });
    });
  }

  async submitTask(definition: TaskDefinitionInput): Promise<string> {
    return (await this.call<{ id: string }>('POST', '/tasks', definition)).id;
  }

  async listTasks(filter: TaskFilter = {}): Promise<TaskView[]> {
    const query = new URLSearchParams();
    if (filter.status !== undefined) {
      for (const status of [filter.status].flat()) query.append('status', status);
    }
    for (const [key, value] of Object.entries(filter.labels ?? {})) {
      query.append('label', `${key}=${value}`);
    }
    const path = query.size > 0 ? `/tasks?${query}` : '/tasks';
    return (await this.call<{ tasks: TaskView[] }>('GET', path)).tasks;
  }

  getTask(id: string): Promise<TaskView> {
    return this.call('GET', `/tasks/${encodeURIComponent(id)}`);
  }

  /** Asks again while the wait is longer than the daemon holds a request open. */
  async waitTask(id: string, waitMs: number): Promise<TaskView> {
    const until = Date.now() + waitMs;
    for (;;) {
      const left = Math.max(0, until - Date.now());
      const wait = Math.min(left, MAX_WAIT_PER_REQUEST_MS);
      const view = await this.call<TaskView>(
        'GET',
        `/tasks/${encodeURIComponent(id)}?wait=${wait}ms`,
      );
      if (view.result !== null || left <= wait) return view;
    }
  }

  cancelTask(id: string): Promise<TaskView> {
    return this.call('DELETE', `/tasks/${encodeURIComponent(id)}`);
  }

  followTask(
    id: string,
    listener: (line: TaskLine) => void,
    onEnd: (view: TaskView) => void,
  ): Disposer {
    const path = `/tasks/${encodeURIComponent(id)}/logs?follow=true`;
    return this.stream(path, (event, data) => {
      if (event === 'end') {
        onEnd(data as TaskView);
        return true;
      }
      listener({ id, ...(data as LogLine) });
      return false;
    });
  }

  stats(): Promise<SupervisorStats> {
    return this.call('GET', '/stats');
  }

  private async act(target: RequestTarget, action: string): Promise<ProcessInfo[]> {
    const path =
      typeof target === 'string'
        ? `/processes/${encodeURIComponent(target)}/${action}`
        : `/namespaces/${encodeURIComponent(target.namespace)}/${action}`;
    return (await this.call<{ processes: ProcessInfo[] }>('POST', path)).processes;
  }

  private call<T>(
    method: string,
    path: string,
    body?: unknown,
    acceptedErrors: readonly number[] = [],
  ): Promise<T> {
    return new Promise((resolve, reject) => {
      const req = this.open(method, path, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          let parsed: unknown;
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            return reject(new OverseerError('INTERNAL', `unreadable answer (HTTP ${status})`));
          }
          if (status < 400 || acceptedErrors.includes(status)) resolve(parsed as T);
          else reject(this.refusal(parsed, status));
        });
      });
      req.once('error', (error) => reject(this.unreachable(error)));
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  }

  /** Streams `path`'s events to `onItem`, until it says the stream is done (returns true). */
  private stream(path: string, onItem: (event: string, data: unknown) => unknown): Disposer {
    let closed = false;
    const broken = (error: OverseerError) => {
      if (closed) return;
      closed = true;
      for (const listener of this.breakListeners) listener(error);
    };
    const req = this.open('GET', path, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 400) {
        // The refusal says why (NOT_FOUND, UNKNOWN_PROCESS…): told as the break.
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('end', () => {
          let body: unknown;
          try {
            body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            body = undefined;
          }
          broken(this.refusal(body, status));
        });
        return;
      }
      const parser = new SseParser(({ event, data }) => {
        if (closed) return;
        if (onItem(event, JSON.parse(data)) === true) {
          closed = true;
          req.destroy();
        }
      });
      // Decoded across chunks: a character split between two chunks must not become U+FFFD.
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => parser.push(chunk));
      // 'close', not 'end': a connection cut mid-stream (the daemon exiting) never ends the
      // response, it only closes it.
      res.once('close', () =>
        broken(new OverseerError('UNAVAILABLE', 'the supervisor closed the stream')),
      );
    });
    req.once('error', (error) => broken(this.unreachable(error)));
    req.end();
    return () => {
      closed = true;
      req.destroy();
    };
  }

  private open(method: string, path: string, onResponse: (res: IncomingMessage) => void) {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (method === 'POST' || method === 'DELETE') headers['content-type'] = 'application/json';
    const target = this.target;
    const where =
      'socketPath' in target
        ? { socketPath: target.socketPath }
        : { host: target.host, port: target.port };
    if ('token' in target) headers.authorization = `Bearer ${target.token}`;
    // One connection per request, opened here rather than by an Agent (`where` still sets
    // the Host header): an Agent derives a TLS server name for every request and tests it
    // with net.isIP, whose regular expressions cost a short-lived CLI such as `overseer ps`
    // about 10 ms to compile.
    const createConnection: NonNullable<RequestOptions['createConnection']> = (_options, done) => {
      if ('socketPath' in target) return connect(target.socketPath);
      const timeout = target.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
      if (!target.tls) return inTime(connect(target.port, target.host), timeout);
      // node:tls is loaded only by a command that needs it: it costs a plain `ps` ~10 ms.
      import('node:tls').then(
        (tls) => done(null, inTime(tls.connect(tlsOptions(target.host, target.port)), timeout)),
        (error: Error) => done(error, undefined as never),
      );
      // Told through `done` once open: http.request waits for it.
      return undefined as never;
    };
    return request({ ...where, method, path, headers, createConnection }, onResponse);
  }

  /**
   * A daemon's refusal as an error; a refused token names the daemon's address, since the
   * same token may be right for another one.
   */
  private refusal(body: unknown, status: number): OverseerError {
    const error = errorFromBody(body, status);
    if (error.code !== 'UNAUTHORIZED' || 'socketPath' in this.target) return error;
    return new OverseerError(
      'UNAUTHORIZED',
      `the supervisor at ${urlOf(this.target)} refused the token: ${error.message}`,
    );
  }

  /**
   * Nothing at a local socket is "no supervisor is running" there; an address that does
   * not answer may be down, firewalled or mistyped: said apart, with the address.
   */
  private unreachable(error: NodeJS.ErrnoException): OverseerError {
    if ('socketPath' in this.target) {
      if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED') {
        return new OverseerError('UNAVAILABLE', `${NO_SUPERVISOR} ${this.target.socketPath}`);
      }
      return new OverseerError(
        'UNAVAILABLE',
        `cannot reach the supervisor at ${this.target.socketPath}: ${error.message}`,
      );
    }
    const why =
      error.code === 'ECONNREFUSED'
        ? 'connection refused (is a daemon listening there, with settings.api.listen on that address and port?)'
        : error.message;
    return new OverseerError(
      'UNAVAILABLE',
      `cannot reach the supervisor at ${urlOf(this.target)}: ${why}`,
    );
  }
}

/** How long a TCP connection may take to open before the daemon is said to be unreachable. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * A TCP connection that fails after `timeoutMs` rather than the system's minutes
 * when the address drops packets (or a TLS handshake stalls); once open, it waits as long as its stream lasts.
 */
function inTime<S extends Socket>(socket: S, timeoutMs: number): S {
  socket.setTimeout(timeoutMs, () => {
    socket.destroy(
      Object.assign(new Error(`no answer within ${timeoutMs / 1000}s`), {
        code: 'ETIMEDOUT',
      }),
    );
  });
  // A TLS socket is open once its handshake is done: a proxy that stalls it times out too.
  const opened = 'encrypted' in socket ? 'secureConnect' : 'connect';
  socket.once(opened, () => socket.setTimeout(0));
  return socket;
}

/** The certificate is checked against the host's name; an IP address is sent as no name. */
function tlsOptions(host: string, port: number) {
  const isAddress = host.includes(':') || /^\d+\.\d+\.\d+\.\d+$/.test(host);
  return { host, port, ...(!isAddress && { servername: host }) };
}

/** `http://host:port` (or `https://`) of a TCP target, as `--api` writes it. */
function urlOf(target: {
  readonly host: string;
  readonly port: number;
  readonly tls?: boolean;
}): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `${target.tls ? 'https' : 'http'}://${host}:${target.port}`;
}

/** `GET /processes/:name/logs`'s query: `lines` (100 when not given), `since`, `until`, `grep`. */
function logQueryParams(query: LogQuery): URLSearchParams {
  const params = new URLSearchParams({ lines: String(query.lines ?? 100) });
  if (query.since !== undefined) params.set('since', String(query.since));
  if (query.until !== undefined) params.set('until', String(query.until));
  if (query.grep !== undefined) {
    params.set('grep', query.grep.source);
    if (query.grep.flags !== '') params.set('grep_flags', query.grep.flags);
  }
  return params;
}

/**
 * `GET /processes`'s query for a filter: `name` and `status` repeated, `label` as `k=v`
 * repeated, `namespace` once. A label object becomes its `k=v` pairs.
 */
function filterQuery(filter: ProcessFilter): URLSearchParams {
  const query = new URLSearchParams();
  for (const name of filter.names ?? []) query.append('name', name);
  if (filter.namespace !== undefined) query.set('namespace', filter.namespace);
  if (filter.status !== undefined) {
    for (const status of [filter.status].flat()) query.append('status', status);
  }
  const { label } = filter;
  const labels =
    label === undefined
      ? []
      : typeof label === 'object' && !Array.isArray(label)
        ? Object.entries(label as Record<string, string>).map(([key, value]) => `${key}=${value}`)
        : [label as string | readonly string[]].flat();
  for (const pair of labels) query.append('label', pair);
  return query;
}
