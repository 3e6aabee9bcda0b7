/**
 * A supervisor for the dashboard's tests, with no process behind it: `list()` answers the
 * rows it holds, `watch()` tells them as a snapshot, and `start`, `stop` and `restart` are
 * recorded and answer what `act` says (rows, or a rejection).
 */
import type { OverseerError } from '../../src/core/errors.js';
import type { SupervisorEvent } from '../../src/core/events.js';
import { STATUSES } from '../../src/core/stack/process-filter.js';
import type { SupervisorStats } from '../../src/core/stats.js';
import { emptyTaskCounts } from '../../src/core/tasks/task.js';
import type { ProcessInfo } from '../../src/core/view.js';
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
    get: unused,
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
    listTasks: unused,
    getTask: unused,
    waitTask: unused,
    cancelTask: unused,
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
