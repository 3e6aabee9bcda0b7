/**
 * The task methods of `SupervisorApi` as the daemon serves them: a definition is checked
 * against the running config's sandbox and folder (as the library's `Supervisor` checks it
 * against its own), the rest read from the engine's task runner, and, for tasks of a
 * previous supervisor, from the store.
 */
import type { TaskContext } from '../config/task-schema.js';
import { OverseerError } from '../core/errors.js';
import type { TaskView } from '../core/tasks/task.js';
import { isFinalTaskStatus } from '../core/tasks/task.js';
import { matchesTaskFilter } from '../core/tasks/task-filter.js';
import type { SupervisorApi } from '../protocol/api.js';
import { readLogTail } from '../runtime/logs/log-files.js';
import type { SupervisorEngine } from '../runtime/supervisor/engine.js';
import { followTaskOutput, waitForTask } from '../runtime/supervisor/task-follow.js';
import type { TaskStore } from '../store/task-store.js';

export type TaskApi = Pick<
  SupervisorApi,
  'submitTask' | 'listTasks' | 'getTask' | 'waitTask' | 'cancelTask' | 'followTask'
>;

/** Where tasks of earlier supervisors are read from. */
export interface PastTasks {
  readonly store: TaskStore;
  /** How many ended tasks are listed (`settings.tasks.history`). */
  readonly keep: () => number;
}

/**
 * The task methods over `engine`; `context` is read at each submission (a reload may
 * change it); `past`: the store that remembers the tasks of earlier supervisors.
 */
export function servedTaskApi(
  engine: SupervisorEngine,
  context: () => TaskContext | Promise<TaskContext>,
  past?: PastTasks,
): TaskApi {
  const { tasks } = engine;
  /** The task as this supervisor knows it, else as the store remembers it; else NOT_FOUND. */
  const lookUp = <T>(id: string, live: () => T, remembered: (view: TaskView) => T): T => {
    try {
      return live();
    } catch (error) {
      const stored = error instanceof OverseerError && error.code === 'NOT_FOUND';
      const view = stored ? past?.store.task(id) : undefined;
      if (!view) throw error;
      return remembered(view);
    }
  };
  return {
    submitTask: async (definition) => {
      engine.assertOpen();
      // Loaded by the first task: the schema (zod) is no weight of a daemon given none.
      const { taskFromDefinition } = await import('../config/task-schema.js');
      const spec = taskFromDefinition(definition, await context());
      // Its result is read from the runner: the promise itself is not needed here.
      void tasks.submit(spec);
      return spec.id;
    },
    listTasks: (filter = {}) => {
      const current = tasks.list(filter);
      if (!past) return current;
      const known = new Set(current.map((view) => view.id));
      const earlier = past.store
        .endedTasks(past.keep())
        .filter((view) => !known.has(view.id) && matchesTaskFilter(view, filter));
      // Ended ones up to the history, wherever they are remembered: this supervisor's
      // memory and the store may order them differently, and together hold one more.
      const live = current.filter((view) => !isFinalTaskStatus(view.status));
      const ended = current.filter((view) => isFinalTaskStatus(view.status));
      return [...live, ...[...ended, ...earlier].slice(0, past.keep())];
    },
    getTask: (id) =>
      lookUp(
        id,
        () => tasks.get(id),
        (view) => view,
      ),
    waitTask: (id, waitMs) =>
      lookUp(
        id,
        () => {
          // Judged now, not in the promise: an unknown id falls back to the store.
          tasks.get(id);
          return waitForTask(tasks, id, waitMs);
        },
        (view) => Promise.resolve(view),
      ),
    cancelTask: (id) =>
      lookUp(
        id,
        () => tasks.cancel(id),
        (view) => {
          throw new OverseerError('INVALID_STATE', `task ${id} already ended: ${view.status}`);
        },
      ),
    followTask: (id, listener, onEnd) =>
      lookUp(
        id,
        () => followTaskOutput(engine, id, listener, onEnd),
        (view) => replayEnded(engine.taskLogDir, view, listener, onEnd),
      ),
  };
}

/** The output of a task of an earlier supervisor, from its log file, then its end. */
function replayEnded(
  taskLogDir: string | undefined,
  view: TaskView,
  listener: Parameters<TaskApi['followTask']>[1],
  onEnd: (view: TaskView) => void,
): () => void {
  let disposed = false;
  const read =
    taskLogDir === undefined
      ? Promise.resolve([])
      : readLogTail(taskLogDir, view.id, { lines: Number.POSITIVE_INFINITY });
  void read
    .catch(() => [])
    .then((lines) => {
      for (const { at, stream, text } of lines) {
        if (!disposed) listener({ id: view.id, at, stream, text });
      }
      if (!disposed) onEnd(view);
    });
  return () => {
    disposed = true;
  };
}
