/** What the task runner is set up with, and acts through. */
import type { SupervisorEvent } from '../../core/events.js';
import type { ProcessInput } from '../../core/process/transition.js';
import type { TaskSpec } from '../../core/tasks/task.js';
import type { OutputStream } from '../../core/view.js';
import type { LineBlock } from '../logs/log-buffer.js';
import type { LogFile } from '../logs/log-file.js';
import type { ListenerErrorReporter } from '../supervisor/emitter.js';
import type { ManagedProcess, ManagedProcessHooks } from '../supervisor/managed-process.js';

/** How many tasks may wait, and how many finished ones are remembered. */
export interface TaskSettings {
  readonly maxQueued: number;
  readonly history: number;
}

export const DEFAULT_TASK_SETTINGS: TaskSettings = { maxQueued: 10_000, history: 1000 };

/** One line of a task's output, as it is read. */
export interface TaskOutputLine {
  readonly id: string;
  readonly at: number;
  readonly stream: OutputStream;
  readonly text: string;
}

/** What the runner acts through. */
export interface TaskRooms {
  /** A try of a task: a process of its own, not of the stack. */
  readonly newTry: (task: TaskSpec, hooks: ManagedProcessHooks) => ManagedProcess;
  /** Feeds an input to a try through the supervisor's loop. */
  readonly feed: (managed: ManagedProcess, input: ProcessInput) => void;
  /** Asks the loop for a scheduling pass: a task joined the queue. */
  readonly reschedule: () => void;
  /** Publishes a task event on the supervisor's stream. */
  readonly publish: (event: SupervisorEvent) => void;
  /** The log file of a task (`<logDir>/tasks/<id>.log`), when the supervisor keeps files. */
  readonly logFile: (id: string) => LogFile | undefined;
  /** Removes the log files of a task that left the history. */
  readonly forgetLog: (id: string) => void;
  /** Writes a block of a try's output to its log file, pausing the child while the disk is behind. */
  readonly writeLog: (
    managed: ManagedProcess,
    at: number,
    stream: OutputStream,
    block: LineBlock,
  ) => void;
  readonly report: ListenerErrorReporter;
}
