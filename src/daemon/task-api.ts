/**
 * The task methods of `SupervisorApi` as the daemon serves them: a definition is checked
 * against the running config's sandbox and folder (as the library's `Supervisor` checks it
 * against its own), the rest read from the engine's task runner.
 */
import { type TaskContext, taskFromDefinition } from '../config/task-schema.js';
import type { SupervisorApi } from '../protocol/api.js';
import type { SupervisorEngine } from '../runtime/supervisor/engine.js';
import { followTaskOutput, waitForTask } from '../runtime/supervisor/task-follow.js';

export type TaskApi = Pick<
  SupervisorApi,
  'submitTask' | 'listTasks' | 'getTask' | 'waitTask' | 'cancelTask' | 'followTask'
>;

/** The task methods over `engine`; `context` is read at each submission (a reload may change it). */
export function servedTaskApi(engine: SupervisorEngine, context: () => TaskContext): TaskApi {
  const { tasks } = engine;
  return {
    submitTask: (definition) => {
      engine.assertOpen();
      const spec = taskFromDefinition(definition, context());
      // Its result is read from the runner: the promise itself is not needed here.
      void tasks.submit(spec);
      return spec.id;
    },
    listTasks: (filter) => tasks.list(filter),
    getTask: (id) => tasks.get(id),
    waitTask: (id, waitMs) => waitForTask(tasks, id, waitMs),
    cancelTask: (id) => tasks.cancel(id),
    followTask: (id, listener, onEnd) => followTaskOutput(engine, id, listener, onEnd),
  };
}
