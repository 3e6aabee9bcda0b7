/**
 * Waiting for a task and following its output, for whoever serves tasks from this process
 * (the library's `Supervisor`, the daemon's API): the output comes from the task's log
 * file when the supervisor keeps one, so a follower that comes late still gets every line
 * from the start; without files, from the lines read after it began to follow.
 */
import type { Disposer } from '../../core/subscription.js';
import { isFinalTaskStatus, type TaskResult, type TaskView } from '../../core/tasks/task.js';
import { LogFollower } from '../logs/log-files.js';
import type { TaskOutputLine, TaskRunner } from '../tasks/task-runner.js';

/** What following a task reads from. */
export interface TaskSource {
  readonly tasks: TaskRunner;
  /** The folder of the tasks' log files, if kept. */
  readonly taskLogDir: string | undefined;
  /** Resolves once every line task `id` wrote so far is in its log file. */
  taskLogWritten(id: string): Promise<void>;
}

/**
 * The task's view as soon as it ended, or after `waitMs` as it is then. Throws `NOT_FOUND`.
 */
export async function waitForTask(
  tasks: TaskRunner,
  id: string,
  waitMs: number,
): Promise<TaskView> {
  const view = tasks.get(id);
  if (isFinalTaskStatus(view.status)) return view;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), waitMs);
  });
  const result = await Promise.race([tasks.result(id), timedOut]);
  clearTimeout(timer);
  return result ? endedView(tasks, view, result) : currentView(tasks, view);
}

/**
 * Tells `listener` the task's output lines, then `onEnd` its final view once it ended and
 * its last line was told. Throws `NOT_FOUND`; returns a disposer (nothing more is told).
 */
export function followTaskOutput(
  source: TaskSource,
  id: string,
  listener: (line: TaskOutputLine) => void,
  onEnd: (view: TaskView) => void,
): Disposer {
  const { tasks, taskLogDir } = source;
  const view = tasks.get(id);
  let disposed = false;
  const tell = (line: TaskOutputLine) => {
    if (!disposed) listener(line);
  };
  const end = (final: TaskView) => {
    if (disposed) return;
    disposed = true;
    onEnd(final);
  };
  const ended = isFinalTaskStatus(view.status)
    ? Promise.resolve(view.result as TaskResult)
    : tasks.result(id);

  if (taskLogDir === undefined) {
    const stop = tasks.onOutput((line) => {
      if (line.id === id) tell(line);
    });
    void ended.then((result) => {
      stop();
      end(endedView(tasks, view, result));
    });
    return () => {
      disposed = true;
      stop();
    };
  }

  const follower = new LogFollower(
    taskLogDir,
    id,
    ({ at, stream, text }) => tell({ id, at, stream, text }),
    { lines: Number.POSITIVE_INFINITY },
  );
  void (async () => {
    for (const { at, stream, text } of await follower.start()) tell({ id, at, stream, text });
    const result = await ended;
    // The runner closes the last try's file as the task ends: read on once it is written.
    await source.taskLogWritten(id);
    await follower.finish();
    end(endedView(tasks, view, result));
  })().catch(() => {
    void follower.stop();
    end(currentView(tasks, view));
  });
  return () => {
    disposed = true;
    void follower.stop();
  };
}

/** The view of an ended task: as the runner remembers it, or built from its result. */
function endedView(tasks: TaskRunner, before: TaskView, result: TaskResult): TaskView {
  try {
    return tasks.get(result.id);
  } catch {
    // Not remembered (`history: 0`): the result says all there is.
    return {
      ...before,
      status: result.status,
      startedAt: result.startedAt,
      pid: null,
      attempts: result.attempts,
      reason: result.reason,
      result,
    };
  }
}

function currentView(tasks: TaskRunner, before: TaskView): TaskView {
  try {
    return tasks.get(before.id);
  } catch {
    return before;
  }
}
