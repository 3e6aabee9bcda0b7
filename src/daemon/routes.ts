/**
 * The HTTP API of DESIGN §5 as a Hono app over any `SupervisorApi`. The daemon serves it on
 * its Unix socket and TCP; a host application mounts it with
 * `app.route('/monitoring', createMonitoringRoutes(supervisor))`.
 */
import { Hono } from 'hono';
import { type SSEStreamingApi, streamSSE } from 'hono/streaming';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { OverseerError } from '../core/errors.js';
import { countByStatus, stackConcerns, stackStatus } from '../core/stack-health.js';
import type { HealthReport, SupervisorApi, Unsubscribe } from '../protocol/api.js';
import { errorBody, HTTP_STATUS } from '../protocol/errors.js';
import { renderMetrics } from './metrics.js';

/** Most lines one logs request may ask for. */
export const MAX_LOG_LINES = 10_000;

/** Items a slow event-stream client may fall behind by before it is cut off. */
const MAX_PENDING_SSE = 10_000;

export interface MonitoringOptions {
  /** When the supervisor started (epoch ms), for `/health`'s uptime. Default: now. */
  readonly startedAt?: number;
  /** Told of every request once it is answered, for an access log. */
  readonly onRequest?: (request: AnsweredRequest) => void;
}

export interface AnsweredRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** From the request's arrival to its answer's headers (a stream goes on after). */
  readonly ms: number;
}

const ACTIONS = ['start', 'stop', 'restart'] as const;

export function createMonitoringRoutes(
  supervisor: SupervisorApi,
  options: MonitoringOptions = {},
): Hono {
  const startedAt = options.startedAt ?? Date.now();
  const app = new Hono();
  const { onRequest } = options;
  if (onRequest) {
    app.use(async (c, next) => {
      const began = performance.now();
      await next();
      const ms = Math.round((performance.now() - began) * 10) / 10;
      onRequest({ method: c.req.method, path: c.req.path, status: c.res.status, ms });
    });
  }

  app.get('/health', async (c) => {
    const processes = await supervisor.list();
    const report: HealthReport = {
      status: stackStatus(processes),
      pid: process.pid,
      uptimeMs: Date.now() - startedAt,
      counts: countByStatus(processes),
      concerns: stackConcerns(processes),
    };
    return c.json(report, report.status === 'failing' ? 503 : 200);
  });

  // `?name=web&name=worker-1`: only what those selectors stand for; an unknown one is a 404.
  app.get('/processes', async (c) => {
    const names = c.req.queries('name');
    return c.json({ processes: await supervisor.list(names ? { names } : {}) });
  });

  app.get('/processes/:name', async (c) => c.json(await supervisor.get(c.req.param('name'))));

  for (const action of ACTIONS) {
    app.post(`/processes/:name/${action}`, async (c) => {
      const processes = await supervisor[action](c.req.param('name'));
      return c.json({ processes });
    });
  }

  app.get('/processes/:name/logs', async (c) => {
    const name = c.req.param('name');
    const count = parseLineCount(c.req.query('lines'));
    if (c.req.query('follow') !== 'true') {
      // From the log files when the supervisor keeps them: past what memory holds.
      if (!supervisor.readLogs) return c.json({ lines: await supervisor.logs(name, count) });
      const found = await supervisor.readLogs(name, { lines: count });
      // A line names its process only when the name stands for several instances.
      return c.json({
        lines: found.map((line) =>
          line.name === name ? { at: line.at, stream: line.stream, text: line.text } : line,
        ),
      });
    }
    const lines = await supervisor.logs(name, count);
    return streamSSE(c, (stream) =>
      pipeToStream(stream, (send) => {
        for (const line of lines) send('line', line);
        return supervisor.onLog((line) => {
          if (line.name === name) send('line', line);
        });
      }),
    );
  });

  app.get('/logs', (c) => {
    if (c.req.query('follow') !== 'true') {
      throw new OverseerError('BAD_REQUEST', 'GET /logs streams every process: add ?follow=true');
    }
    return streamSSE(c, (stream) =>
      pipeToStream(stream, (send) => supervisor.onLog((line) => send('line', line))),
    );
  });

  app.get('/metrics', async (c) => {
    const text = await renderMetrics(await supervisor.list());
    return c.text(text, 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  });

  app.get('/events', (c) =>
    streamSSE(c, (stream) =>
      pipeToStream(stream, (send) => supervisor.watch((item) => send(item.type, item))),
    ),
  );

  app.notFound((c) =>
    c.json(
      errorBody(new OverseerError('NOT_FOUND', `no route ${c.req.method} ${c.req.path}`)),
      404,
    ),
  );
  app.onError((error, c) => {
    const body = errorBody(error);
    return c.json(body, HTTP_STATUS[body.error.code] as ContentfulStatusCode);
  });
  return app;
}

/** `?lines=N`: a whole number from 1 to MAX_LOG_LINES; 100 when absent. */
function parseLineCount(raw: string | undefined): number {
  if (raw === undefined) return 100;
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 1 || count > MAX_LOG_LINES) {
    throw new OverseerError(
      'BAD_REQUEST',
      `lines: expected a whole number from 1 to ${MAX_LOG_LINES}, got ${JSON.stringify(raw)}`,
    );
  }
  return count;
}

type Send = (event: string, data: unknown) => void;

/**
 * Writes what `subscribe` sends, in order, until the client goes away. The subscription is
 * made synchronously, so whatever it delivers first (a snapshot, recent lines) is followed
 * by live items with no gap. A client that falls too far behind is told so and cut off.
 */
async function pipeToStream(
  stream: SSEStreamingApi,
  subscribe: (send: Send) => Unsubscribe,
): Promise<void> {
  let pending = 0;
  let chain = Promise.resolve();
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const send: Send = (event, data) => {
    if (stream.aborted || stream.closed) return;
    pending += 1;
    if (pending > MAX_PENDING_SSE) {
      finish();
      return;
    }
    chain = chain
      .then(() => stream.writeSSE({ event, data: JSON.stringify(data) }))
      .then(() => {
        pending -= 1;
      });
  };
  const unsubscribe = subscribe(send);
  stream.onAbort(finish);
  await finished;
  unsubscribe();
  if (pending > MAX_PENDING_SSE && !stream.aborted) {
    await stream.writeSSE({
      event: 'error',
      data: JSON.stringify({ code: 'INTERNAL', message: 'client too slow: stream closed' }),
    });
  }
}
