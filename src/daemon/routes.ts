/**
 * The HTTP API of docs/http-api.md as a Hono app over any `SupervisorApi`. The daemon serves it on
 * its Unix socket and TCP; a host application mounts it with
 * `app.route('/monitoring', createMonitoringRoutes(supervisor))`.
 */
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ComponentHealthSource } from '../core/component-health.js';
import { OverseerError } from '../core/errors.js';
import type { Status } from '../core/process/state.js';
import type { ProcessFilter } from '../core/stack/process-filter.js';
import type { ContainmentInfo, LogLine, LogQuery, ProcessLogLine } from '../core/view.js';
import type { SupervisorApi } from '../protocol/api.js';
import { errorBody, HTTP_STATUS } from '../protocol/errors.js';
import { healthReport } from '../protocol/health.js';
import type { WorkflowsApi } from '../protocol/workflows-api.js';
import { matches, mergeByTime } from '../runtime/logs/log-files.js';
import { addControlRoutes } from './control-routes.js';
import { renderMetrics } from './metrics.js';
import type { OpenStreams } from './open-streams.js';
import { processMetrics } from './process-metrics.js';
import { pipeToStream } from './sse-pipe.js';
import { addTaskRoutes } from './task-routes.js';
import type { WorkflowEventSource } from './workflow-events.js';
import { addWorkflowRoutes } from './workflow-routes.js';

/** Most lines one logs request may ask for. */
export const MAX_LOG_LINES = 10_000;

export interface MonitoringOptions {
  /** When the supervisor started (epoch ms), for `/health`'s uptime. Default: now. */
  readonly startedAt?: number;
  /**
   * More metrics for `/metrics`, after the supervisor's: a prom-client `Registry` fits (the
   * host's own, or the one `registerResilienceMetrics` fills).
   */
  readonly metrics?: MetricsSource | readonly MetricsSource[];
  /**
   * Whether `/metrics` includes the serving process's own figures (CPU, memory, heap,
   * event-loop lag, descriptors, start time) under prom-client's standard default names.
   * Default: true. Set false when the application already puts prom-client's default metrics
   * in a registry given as `metrics`: the same names twice would spoil the scrape.
   */
  readonly processMetrics?: boolean;
  /** Told of every request once it is answered, for an access log. */
  readonly onRequest?: (request: AnsweredRequest) => void;
  /**
   * The containment in force, for `/health`. Default: the supervisor's own `containment`,
   * when it is a supervisor of this process (not a client of another).
   */
  readonly containment?: ContainmentInfo;
  /**
   * The folder of the tasks' log files (`<id>.log`), for `GET /tasks/:id/logs`. Default: the
   * supervisor's own `taskLogDir`, when it is a supervisor of this process.
   */
  readonly taskLogDir?: string;
  /** Where the streams of tasks' output are tracked, for a shutdown to let them finish. */
  readonly taskStreams?: OpenStreams;
  /**
   * The application's component checks (a `HealthChecks`), reported by `/health` with the
   * processes. Their last results are read: a request runs no check.
   */
  readonly health?: ComponentHealthSource;
  /** The project's durable workflows, for `/workflows` and `/dead-letters`. Default: no such routes. */
  readonly workflows?: WorkflowsApi;
  /** The `workflow:*` events, told in `/events` with the supervisor's. */
  readonly workflowEvents?: WorkflowEventSource;
}

/** Metrics in the Prometheus text format, as a prom-client `Registry` gives them. */
export interface MetricsSource {
  metrics(): Promise<string> | string;
}

export interface AnsweredRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** From the request's arrival to its answer's headers (a stream goes on after). */
  readonly ms: number;
}

const ACTIONS = ['start', 'stop', 'restart'] as const;

/** The serving process's own figures: the last block of `/metrics`. */
/** The serving process's own figures: when they cannot be had, the rest still answers. */
const ownProcess: MetricsSource = {
  metrics: () =>
    processMetrics().catch(
      (error: unknown) =>
        `# process_* and nodejs_* left out: ${String((error as Error)?.message ?? error).replace(/\n/g, ' ')}\n`,
    ),
};

export function createMonitoringRoutes(
  supervisor: SupervisorApi,
  options: MonitoringOptions = {},
): Hono {
  const startedAt = options.startedAt ?? Date.now();
  const containment = options.containment ?? containmentOf(supervisor);
  const app = new Hono();
  const { onRequest } = options;
  const extraMetrics = options.metrics === undefined ? [] : [options.metrics].flat();
  if (onRequest) {
    app.use(async (c, next) => {
      const began = performance.now();
      await next();
      const ms = Math.round((performance.now() - began) * 10) / 10;
      onRequest({ method: c.req.method, path: c.req.path, status: c.res.status, ms });
    });
  }

  app.get('/health', async (c) => {
    const [processes, stats] = await Promise.all([supervisor.list(), supervisor.stats()]);
    const report = healthReport(processes, {
      pid: process.pid,
      uptimeMs: Date.now() - startedAt,
      containment,
      tasks: stats.tasks,
      components: options.health?.status().components,
    });
    return c.json(report, report.status === 'failing' ? 503 : 200);
  });

  // `?name=web&name=worker-1`: only what those selectors stand for (an unknown one is a
  // 404), `&namespace=backend` within it, `&status=failed&label=tier=web` narrowed further.
  app.get('/processes', async (c) => {
    return c.json({ processes: await supervisor.list(parseProcessFilter(c.req)) });
  });

  app.get('/processes/:name', async (c) => c.json(await supervisor.get(c.req.param('name'))));

  for (const action of ACTIONS) {
    app.post(`/processes/:name/${action}`, async (c) => {
      const processes = await supervisor[action](c.req.param('name'));
      return c.json({ processes });
    });
  }
  addControlRoutes(app, supervisor);
  addTaskRoutes(
    app,
    supervisor,
    options.taskLogDir ?? taskLogDirOf(supervisor),
    taskLogWrittenOf(supervisor),
    options.taskStreams,
  );

  if (options.workflows) addWorkflowRoutes(app, options.workflows);

  for (const action of ACTIONS) {
    app.post(`/namespaces/:namespace/${action}`, async (c) => {
      const processes = await supervisor[action]({ namespace: c.req.param('namespace') });
      return c.json({ processes });
    });
  }

  app.get('/processes/:name/logs', async (c) => {
    const name = c.req.param('name');
    const query = parseLogQuery(c.req.query());
    if (c.req.query('follow') !== 'true') {
      // From the log files when the supervisor keeps them: past what memory holds.
      const found = await supervisor.readLogs(name, query);
      return c.json({ lines: found.map((line) => onWire(line, name)) });
    }
    // The one resolver: a process, an instance or `all`; UNKNOWN_PROCESS for anything else.
    const instances = (await supervisor.list({ names: [name] })).map((row) => row.name);
    // From memory, in the same turn as the subscription: no line is missed or sent twice.
    const recent = await Promise.all(
      instances.map((instance) => supervisor.logs(instance, MAX_LOG_LINES)),
    );
    const tail = mergeByTime(
      instances.map((instance, index) => ({
        name: instance,
        lines: recent[index]!.filter((line) => matches(line, query)),
      })),
      query.lines ?? 100,
    );
    const wanted = new Set(instances);
    return streamSSE(c, (stream) =>
      pipeToStream(stream, (send) => {
        for (const line of tail) send('line', onWire(line, name));
        return supervisor.onLog((line) => {
          if (wanted.has(line.name) && matches(line, query)) send('line', onWire(line, name));
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

  app.get('/stats', async (c) => c.json(await supervisor.stats()));

  app.get('/metrics', async (c) => {
    const [processes, stats] = await Promise.all([supervisor.list(), supervisor.stats()]);
    const own = renderMetrics(processes, stats.tasks, stats.taskDurations, stats.host);
    const sources = options.processMetrics === false ? extraMetrics : [...extraMetrics, ownProcess];
    const more = await Promise.all(sources.map((source) => source.metrics()));
    const text = `${[own, ...more].map((block) => block.trimEnd()).join('\n')}\n`;
    return c.text(text, 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  });

  const { workflowEvents } = options;
  app.get('/events', (c) =>
    streamSSE(c, (stream) =>
      pipeToStream(stream, (send) => {
        const unwatch = supervisor.watch((item) => send(item.type, item));
        const unsubscribe = workflowEvents?.subscribe((event) => send(event.type, event));
        return () => {
          unwatch();
          unsubscribe?.();
        };
      }),
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

/**
 * The filter of `GET /processes`: `name`, `status` and `label` may repeat (`status` also
 * comma-separated), `namespace` may not. What each value means is judged by the supervisor
 * (`BAD_REQUEST` naming a bad status or label), as it is for a caller of the library.
 */
function parseProcessFilter(req: { queries(key: string): string[] | undefined }): ProcessFilter {
  const namespaces = req.queries('namespace');
  if (namespaces !== undefined && namespaces.length > 1) {
    throw new OverseerError('BAD_REQUEST', 'namespace: give one namespace, not several');
  }
  const filter: { -readonly [K in keyof ProcessFilter]: ProcessFilter[K] } = {};
  const names = req.queries('name');
  if (names) filter.names = names;
  if (namespaces) filter.namespace = namespaces[0]!;
  const statuses = req.queries('status')?.flatMap((value) => value.split(','));
  if (statuses) filter.status = statuses as Status[];
  const labels = req.queries('label');
  if (labels) filter.label = labels;
  return filter;
}

/**
 * `?lines=N` (a whole number from 1 to MAX_LOG_LINES; 100 when absent), `?since=` and
 * `?until=` (epoch ms, or an ISO time) and `?grep=` (a regular expression, with
 * `?grep_flags=`). `until` reads back into the past: a followed stream has no use for it.
 */
function parseLogQuery(params: Record<string, string>): LogQuery {
  const query: { lines: number; since?: number; until?: number; grep?: RegExp } = {
    lines: parseLineCount(params.lines),
  };
  if (params.since !== undefined) query.since = parseTimeParam('since', params.since);
  if (params.until !== undefined) {
    if (params.follow === 'true') {
      throw new OverseerError('BAD_REQUEST', 'until: not with follow (no followed line is older)');
    }
    query.until = parseTimeParam('until', params.until);
  }
  if (params.grep !== undefined) {
    try {
      query.grep = new RegExp(params.grep, params.grep_flags);
    } catch (error) {
      throw new OverseerError('BAD_REQUEST', `grep: ${(error as Error).message}`);
    }
  } else if (params.grep_flags !== undefined) {
    throw new OverseerError('BAD_REQUEST', 'grep_flags: only with grep');
  }
  return query;
}

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

/** A time parameter (`since`, `until`): epoch ms, or an ISO time; a 400 naming it else. */
function parseTimeParam(param: string, raw: string): number {
  const at = /^\d+$/.test(raw)
    ? Number(raw)
    : /^\d{4}-\d{2}-\d{2}/.test(raw)
      ? Date.parse(raw)
      : NaN;
  if (!Number.isSafeInteger(at)) {
    throw new OverseerError(
      'BAD_REQUEST',
      `${param}: expected epoch milliseconds or an ISO time, got ${JSON.stringify(raw)}`,
    );
  }
  return at;
}

/** A line as the logs route answers it: with its process's name when `requested` is a group. */
function onWire(line: ProcessLogLine, requested: string): LogLine | ProcessLogLine {
  return line.name === requested ? { at: line.at, stream: line.stream, text: line.text } : line;
}

/** The containment of a supervisor that has one (a `SupervisorEngine`). */
function containmentOf(supervisor: SupervisorApi): ContainmentInfo | undefined {
  const candidate = (supervisor as { containment?: unknown }).containment;
  return typeof candidate === 'object' && candidate !== null && 'mode' in candidate
    ? (candidate as ContainmentInfo)
    : undefined;
}

/** How to wait for a task's lines to reach its file, for a supervisor of this process. */
function taskLogWrittenOf(supervisor: SupervisorApi): ((id: string) => Promise<void>) | undefined {
  const candidate = (supervisor as { taskLogWritten?: unknown }).taskLogWritten;
  return typeof candidate === 'function'
    ? (id) => (candidate as (id: string) => Promise<void>).call(supervisor, id)
    : undefined;
}

/** The task log folder of a supervisor that has one (a `SupervisorEngine`). */
function taskLogDirOf(supervisor: SupervisorApi): string | undefined {
  const candidate = (supervisor as { taskLogDir?: unknown }).taskLogDir;
  return typeof candidate === 'string' ? candidate : undefined;
}
