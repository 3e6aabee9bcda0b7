/** The task runner's rooms, from the engine's: its tries go through the same loop, hub and log sink. */
import type { TaskRooms } from '../tasks/task-rooms.js';
import type { EventHub, ListenerErrorReporter } from './emitter.js';
import type { LogSink } from './log-sink.js';
import type { SupervisorLoop } from './loop.js';
import { ManagedProcess } from './managed-process.js';
import type { TaskLogFiles } from './task-log-files.js';

/** Output lines a task's try keeps in memory: its result has its own capture. */
const TRY_LOG_LINES = 100;

export function taskRoomsOf(
  engine: {
    /** Read late: the loop is built after the runner it schedules. */
    readonly loop: () => SupervisorLoop;
    readonly hub: EventHub;
    readonly output: LogSink;
    /** Told of every task's log file, so a reader can wait for its last lines. */
    readonly taskLogs: TaskLogFiles;
  },
  report: ListenerErrorReporter,
): TaskRooms {
  const { hub, output, taskLogs } = engine;
  return {
    newTry: (task, hooks) => new ManagedProcess(task.process, Date.now(), TRY_LOG_LINES, hooks),
    feed: (managed, input) => engine.loop().feed(managed, input),
    reschedule: () => engine.loop().reschedule(),
    publish: (event) => hub.publish(event),
    logFile: (id) => taskLogs.track(id, output.taskFile(id)),
    writeLog: (managed, at, stream, block) => output.writeFile(managed, at, stream, block),
    forgetLog: (id) =>
      void output
        .removeTaskFiles(id)
        .catch((error: Error) =>
          process.emitWarning(`cannot remove the log files of task ${id}: ${error.message}`),
        ),
    report,
  };
}
