/**
 * A supervisor for the dashboard's tests, with no process behind it: `list()` answers the
 * rows it holds, `watch()` tells them as a snapshot, and `start`, `stop` and `restart` are
 * recorded and answer what `act` says (rows, or a rejection). Output is what `writeLog`
 * wrote: `followLogs` and `onLog` tell it as it is written, `readLogs` reads it back as
 * from the log files. A name stands for a row, or for the rows `name-N` (its instances).
 * `get(name)` answers the details it holds for a name (`UNKNOWN_PROCESS` else),
 * `listTasks()` the tasks it holds, and `cancelTask(id)` is recorded and cancels a task
 * not ended, as a supervisor would (`NOT_FOUND`, or `INVALID_STATE` for one that ended).
 */
import { specsFromDefinition } from '../../src/config/normalize.js';
import { OverseerError } from '../../src/core/errors.js';
import type { SupervisorEvent } from '../../src/core/events.js';
import { STATUSES } from '../../src/core/stack/process-filter.js';
import type { SupervisorStats } from '../../src/core/stats.js';
import {
  emptyTaskCounts,
  isFinalTaskStatus,
  type TaskResult,
  type TaskView,
} from '../../src/core/tasks/task.js';
import type {
  LogQuery,
  OutputStream,
  ProcessDetails,
  ProcessInfo,
  ProcessLogLine,
} from '../../src/core/view.js';
import type { HealthReport, SupervisorApi } from '../../src/protocol/api.js';
import { matches } from '../../src/runtime/logs/log-filter.js';

export interface FakeApi extends SupervisorApi {
  rows: ProcessInfo[];
  /** Every `start`, `stop` and `restart`, as `restart web`. */
  readonly actions: string[];
  /** What an action answers; resolves with the rows unless replaced. */
  act: (verb: string, target: string) => Promise<ProcessInfo[]>;
  /** How many `watch()` streams are open. */
  readonly watching: () => number;
  /** Breaks the open streams, as a supervisor that went away would. */
  readonly breakStreams: (error: OverseerError) => void;
  /** False: every read fails as a supervisor that went away makes it. */
  reachable: boolean;
  /** Tells an event to every `watch()` stream. */
  readonly emit: (event: SupervisorEvent) => void;
  /** Every line of output written, oldest first: what the log files hold. */
  readonly output: ProcessLogLine[];
  /** Writes lines of output: kept, and told to `followLogs` and `onLog` listeners at once. */
  readonly writeLog: (...lines: ProcessLogLine[]) => void;
  /** How many `followLogs` and `onLog` streams are open. */
  readonly following: () => number;
  /** Every `readLogs` call, as it was asked. */
  readonly readLogCalls: Array<{ readonly name: string; readonly query: LogQuery }>;
  /** What `get(name)` answers, by name. */
  details: Record<string, ProcessDetails>;
  /** How many times `get()` was called. */
  readonly gets: () => number;
  /** What `listTasks()` answers. */
  tasks: TaskView[];
  /** Every `cancelTask(id)`, by id. */
  readonly cancelled: string[];
}

/** The details of a process as `inspect --json` would give them: `processRow`'s and a spec. */
export function processDetails(
  overrides: Partial<ProcessDetails> & { name: string },
  definition: Record<string, unknown> = { command: 'node server.js' },
): ProcessDetails {
  const [spec] = specsFromDefinition({ name: overrides.name, ...definition });
  return {
    ...processRow(overrides),
    spec: spec!,
    runs: [],
    resources: { history: [], memoryTrend: null, violations: {}, breaches: [], throttleDuty: null },
    ...overrides,
  };
}

/** A task as `tasks --json` would list it: running unless `overrides` say otherwise. */
export function taskView(overrides: Partial<TaskView> & { id: string }): TaskView {
  return {
    name: 'task',
    labels: {},
    status: 'running',
    priority: 'normal',
    command: 'npm test',
    queuedAt: '2026-01-01T10:00:00.000Z',
    startedAt: '2026-01-01T10:00:01.000Z',
    pid: 5151,
    attempts: 1,
    reason: null,
    result: null,
    ...overrides,
  };
}

/** The result of a task that ended: succeeded in 2.5s unless `overrides` say otherwise. */
export function taskResult(overrides: Partial<TaskResult> & { id: string }): TaskResult {
  return {
    name: 'task',
    labels: {},
    status: 'succeeded',
    exitCode: 0,
    signal: null,
    queuedAt: '2026-01-01T10:00:00.000Z',
    startedAt: '2026-01-01T10:00:01.000Z',
    endedAt: '2026-01-01T10:00:03.500Z',
    durationMs: 2_500,
    queuedMs: 1_000,
    attempts: 1,
    stdout: '',
    stderr: '',
    truncated: false,
    resourceUsage: { peakMemoryBytes: 30 * 1024 * 1024, cpuMs: 1_250, peakOpenFiles: 9 },
    limitBreaches: [],
    reason: null,
    ...overrides,
  };
}

/** A line of output of `name`: stdout unless told otherwise. */
export function logLine(name: string, at: number, text: string, stream: OutputStream = 'stdout') {
  return { name, at, stream, text };
}

/** Whether `name` (a process, an instance, or `all` where it is a selector) stands for `instance`. */
function standsFor(name: string, instance: string, allIsSelector: boolean): boolean {
  if (allIsSelector && name === 'all') return true;
  if (instance === name) return true;
  return instance.startsWith(`${name}-`) && /^\d+$/.test(instance.slice(name.length + 1));
}

/** A row as `ps --json` would give it: a running service unless `overrides` say otherwise. */
export function processRow(overrides: Partial<ProcessInfo> & { name: string }): ProcessInfo {
  return {
    namespace: 'default',
    status: 'running',
    health: 'healthy',
    pid: 4242,
    restarts: 0,
    exitCode: null,
    reason: null,
    blocked: false,
    startedAt: '2026-01-01T10:00:00.000Z',
    uptimeMs: 75_000,
    cpuPercent: 1.5,
    memoryBytes: 48 * 1024 * 1024,
    kind: 'service',
    instance: 0,
    fds: 12,
    threads: 7,
    readBytes: null,
    writeBytes: null,
    limitBreaches: [],
    healthScore: 100,
    healthReasons: [],
    nextRunAt: null,
    retryAt: null,
    labels: {},
    ...overrides,
  };
}

const HEALTH: HealthReport = { status: 'ok', pid: 100, uptimeMs: 60_000, counts: {} };

const STATS: SupervisorStats = {
  at: 0,
  processes: Object.fromEntries(
    STATUSES.map((status) => [status, 0]),
  ) as SupervisorStats['processes'],
  tasks: { ...emptyTaskCounts(), queued: 2, running: 1 },
  restarts: 0,
  host: { load: [0.5, 0.25, 0.125], cpus: 4, memoryTotalBytes: 8e9, memoryFreeBytes: 4e9 },
};

export function fakeApi(rows: ProcessInfo[]): FakeApi {
  let gets = 0;
  const watchers = new Set<(event: SupervisorEvent) => void>();
  const logListeners = new Set<(line: ProcessLogLine) => void>();
  const instancesOf = (name: string, allIsSelector: boolean) => {
    const found = api.rows
      .map((row) => row.name)
      .filter((instance) => standsFor(name, instance, allIsSelector));
    if (found.length === 0) throw new OverseerError('UNKNOWN_PROCESS', `no process named ${name}`);
    return new Set(found);
  };
  const breakListeners = new Set<(error: OverseerError) => void>();
  const unused = () => {
    throw new Error('not used by the dashboard');
  };
  const api: FakeApi = {
    rows,
    actions: [],
    act: async () => api.rows,
    watching: () => watchers.size,
    breakStreams: (error) => {
      // A broken stream tells nothing more.
      watchers.clear();
      logListeners.clear();
      for (const listener of breakListeners) listener(error);
    },
    reachable: true,
    emit: (event) => {
      for (const watcher of watchers) watcher(event);
    },
    output: [],
    writeLog: (...lines) => {
      for (const line of lines) {
        api.output.push(line);
        for (const listener of logListeners) listener(line);
      }
    },
    following: () => logListeners.size,
    readLogCalls: [],
    list(filter) {
      if (filter?.names === undefined) return answer(api.rows);
      const wanted = new Set(filter.names.flatMap((name) => [...instancesOf(name, true)]));
      return api.rows.filter((row) => wanted.has(row.name));
    },
    health: () => answer(HEALTH),
    stats: () => answer(STATS),
    details: {},
    gets: () => gets,
    tasks: [],
    cancelled: [],
    watch(listener) {
      const watcher = (event: SupervisorEvent) => listener(event);
      watchers.add(watcher);
      listener({ type: 'snapshot', at: Date.now(), processes: api.rows });
      return () => watchers.delete(watcher);
    },
    onBreak(listener) {
      breakListeners.add(listener);
      return () => breakListeners.delete(listener);
    },
    start: (target) => record('start', target),
    stop: (target) => record('stop', target),
    restart: (target) => record('restart', target),
    get(name) {
      gets += 1;
      const details = answer(api.details[name]);
      if (details === undefined) {
        throw new OverseerError('UNKNOWN_PROCESS', `no process named ${name}`);
      }
      return details;
    },
    reload: async (name) => {
      api.actions.push(`reload ${name}`);
      await api.act('reload', name);
      return {
        ok: true,
        instances: [{ name, outcome: 'replaced', readyInMs: 5 }],
        plainRestarts: [],
        processes: [],
      };
    },
    scale: (name, instances) => {
      api.actions.push(`scale ${name} ${instances}`);
      return api.act('scale', name);
    },
    signal: async (name, signal) => {
      api.actions.push(`signal ${name} ${signal}`);
      const signalled = (await api.act('signal', name)).filter((row) => row.name === name);
      return { signal: `SIG${signal.replace(/^SIG/, '')}`, signalled, notRunning: [] };
    },
    logs: unused,
    async readLogs(name, query = {}) {
      api.readLogCalls.push({ name, query });
      answer(undefined);
      const instances = instancesOf(name, true);
      const found = api.output.filter((line) => instances.has(line.name) && matches(line, query));
      found.sort((a, b) => a.at - b.at);
      return found.slice(Math.max(0, found.length - (query.lines ?? 100)));
    },
    followLogs(name, lines, listener) {
      const instances = instancesOf(name, true);
      const recent = api.output.filter((line) => instances.has(line.name));
      for (const line of recent.slice(Math.max(0, recent.length - lines))) listener(line);
      const told = (line: ProcessLogLine) => {
        if (instances.has(line.name)) listener(line);
      };
      logListeners.add(told);
      return () => logListeners.delete(told);
    },
    onLog(listener) {
      logListeners.add(listener);
      return () => logListeners.delete(listener);
    },
    submitTask: unused,
    listTasks: () => answer(api.tasks),
    getTask: unused,
    waitTask: unused,
    cancelTask(id) {
      api.cancelled.push(id);
      const task = answer(api.tasks.find((view) => view.id === id));
      if (task === undefined) throw new OverseerError('NOT_FOUND', `no task ${id}`);
      if (isFinalTaskStatus(task.status)) {
        throw new OverseerError('INVALID_STATE', `task ${id} already ended: ${task.status}`);
      }
      const result = taskResult({
        id,
        name: task.name,
        status: 'cancelled',
        exitCode: null,
        signal: 'SIGTERM',
        reason: 'cancelled on request',
      });
      const cancelled: TaskView = { ...task, status: 'cancelled', pid: null, result };
      api.tasks = api.tasks.map((view) => (view.id === id ? cancelled : view));
      return cancelled;
    },
    followTask: unused,
  };
  const answer = <T>(value: T): T => {
    if (!api.reachable) throw new Error('connect ECONNREFUSED 127.0.0.1:9615');
    return value;
  };
  const record = (verb: string, target: string | { readonly namespace: string }) => {
    const name = typeof target === 'string' ? target : `-n ${target.namespace}`;
    api.actions.push(`${verb} ${name}`);
    return api.act(verb, name);
  };
  return api;
}
