/**
 * A supervisor for the dashboard's tests, with no process behind it: `list()` answers the
 * rows it holds, `watch()` tells them as a snapshot, and `start`, `stop` and `restart` are
 * recorded and answer what `act` says (rows, or a rejection). `get(name)` answers the
 * details it holds for a name (`UNKNOWN_PROCESS` else), `listTasks()` the tasks it holds,
 * and `cancelTask(id)` is recorded and cancels a task not ended, as a supervisor would
 * (`NOT_FOUND`, or `INVALID_STATE` for one that ended).
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
import type { ProcessDetails, ProcessInfo } from '../../src/core/view.js';
import type { HealthReport, SupervisorApi } from '../../src/protocol/api.js';

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
      for (const listener of breakListeners) listener(error);
    },
    reachable: true,
    list: () => answer(api.rows),
    health: () => answer(HEALTH),
    stats: () => answer(STATS),
    emit: (event) => {
      for (const watcher of watchers) watcher(event);
    },
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
    readLogs: unused,
    followLogs: unused,
    onLog: unused,
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
