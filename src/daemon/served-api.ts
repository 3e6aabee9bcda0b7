/**
 * The supervisor as the daemon serves it: the engine itself, every call delegated, except
 * that requests to start, stop or restart are remembered first (and instances removed by a
 * scale forgotten), so a process stopped on
 * request stays stopped when a new supervisor takes over. Only what a request is accepted
 * for is remembered: a refused one (`start web` while web runs) changes no wish. Nothing is listed by hand but
 * what it adds: whatever `SupervisorApi` gains reaches the routes as the engine offers it.
 */

import type { TaskContext } from '../config/task-schema.js';
import type { Wish } from '../core/stack/desired-state.js';
import { wishOf } from '../core/stack/desired-state.js';
import type { RequestTarget } from '../core/stack/selector.js';
import type { SupervisorApi } from '../protocol/api.js';
import { healthReport } from '../protocol/health.js';
import type { SupervisorEngine } from '../runtime/supervisor/engine.js';
import { type PastTasks, servedTaskApi } from './task-api.js';

type TaskApiOf = ReturnType<typeof servedTaskApi>;

/** What the user asked of these instances, to remember for this supervisor and the next. */
export type RememberRequest = (names: readonly string[], wish: Wish) => void;

type Action = 'start' | 'stop' | 'restart';

/**
 * `supervisor`, with its start, stop and restart requests told to `remember` first, and the
 * health of its stack (up since `startedAt`); tasks are checked against `taskContext` (the
 * running config's sandbox and folder), and those of earlier supervisors read from `pastTasks`.
 */
export function servedApi(
  supervisor: SupervisorEngine,
  remember: RememberRequest,
  startedAt = Date.now(),
  taskContext: () => TaskContext | Promise<TaskContext> = () => ({}),
  pastTasks?: PastTasks,
): SupervisorApi {
  const act = async (action: Action, target: RequestTarget) => {
    // Judged and acted on in one turn of the loop: nothing can change in between.
    remember(supervisor.acceptedInstances(action, target), wishOf(action));
    return supervisor[action](target);
  };
  const added: Pick<SupervisorApi, Action | 'scale' | 'health' | 'onBreak'> & TaskApiOf = {
    ...servedTaskApi(supervisor, taskContext, pastTasks),
    start: (target) => act('start', target),
    stop: (target) => act('stop', target),
    restart: (target) => act('restart', target),
    // An instance scaled away is forgotten with its wish: one added again later is new,
    // not an instance someone once stopped.
    scale: async (name, instances) => {
      const before = supervisor.instanceNames(name);
      const rows = await supervisor.scale(name, instances);
      const kept = new Set(rows.map((row) => row.name));
      const removed = before.filter((instance) => !kept.has(instance));
      if (removed.length > 0) remember(removed, 'running');
      return rows;
    },
    health: () => {
      const { containment } = supervisor;
      const uptimeMs = Date.now() - startedAt;
      return healthReport(supervisor.list(), {
        pid: process.pid,
        uptimeMs,
        containment,
        tasks: supervisor.tasks.counts(),
      });
    },
    // Served from this process: its streams never break.
    onBreak: () => () => {},
  };
  // The engine offers the rest of SupervisorApi itself, which the return type checks.
  return new Proxy(supervisor as SupervisorEngine & typeof added, {
    get(target, key) {
      if (Object.hasOwn(added, key)) return added[key as keyof typeof added];
      const value: unknown = Reflect.get(target, key, target);
      // Bound: the engine's methods keep their `this` however the caller holds them.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
