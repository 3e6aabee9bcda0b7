/**
 * What an engine is created with. Trusted as given: the library's `Supervisor` validates
 * what its users pass, and the daemon passes a project already validated.
 */
import type { LogFor } from '../../core/logging.js';
import type { LogRotation } from '../../core/process/spec.js';
import type { ContainmentChoice } from '../process/containment.js';
import type { TaskSettings } from '../tasks/task-runner.js';
import type { WatchListeners } from '../triggers/process-watches.js';
import type { ListenerErrorReporter } from './emitter.js';

/** How an engine runs, already checked (the library's `Supervisor` validates what users pass). */
export interface EngineOptions {
  /** Children running at once (≥ 1). Default: no limit. */
  readonly maxProcesses?: number;
  /** Folder that relative `cwd` and `env_file` paths are resolved against. Default: `process.cwd()`. */
  readonly cwd?: string;
  /** Environment every child starts from, copied when the engine is created. Default: `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Variables every child gets beneath its own `env_file` and `env`, even under a sandbox
   * that inherits nothing: what the supervisor tells its children of the project (where
   * the workflows keep their runs). Default: none.
   */
  readonly childEnv?: Readonly<Record<string, string>>;
  /** Output lines kept in memory per process. Default: 1000. */
  readonly logLines?: number;
  /** Folder of the log files `<name>.log`. Default: none, output is kept in memory only. */
  readonly logDir?: string;
  /** Rotation of every log file, unless a process sets its own. Default: 10 MiB per file, 5 files. */
  readonly logRotation?: LogRotation;
  /** Milliseconds between two resource samples; 0 turns sampling off. Default: paced by its cost. */
  readonly sampleInterval?: number;
  /** How each run's tree is kept together. Default: `OVERSEER_CONTAINMENT` of `env`, else `auto`. */
  readonly containment?: ContainmentChoice;
  /**
   * The supervisor's own log, by category (the daemon's `overseer.log`). Default: nothing
   * is written.
   */
  readonly log?: LogFor;
  /** Told of what a listener threw. Default: a process warning. */
  readonly onListenerError?: ListenerErrorReporter;
  /**
   * Told when a process's `watch` is in place, and when one fails. Default: a failure is a
   * process warning; readiness is not told.
   */
  readonly onWatch?: Omit<WatchListeners, 'changed'>;
  /**
   * Absolute folders or files no `watch` ever sees, so that what the supervisor writes there
   * does not restart anything (the daemon passes its state dir, and its config's files,
   * which it applies itself). Default: `logDir`, when set.
   */
  readonly unwatched?: readonly string[];
  /**
   * How many tasks may wait for a slot (more is `QUEUE_FULL`), and how many ended ones are
   * remembered. Default: 10,000 and 1,000.
   */
  readonly tasks?: Partial<TaskSettings>;
}

/** What of an engine's options a changed config may change while it runs. */
export interface EngineSettings {
  /** Rotation of every log file, unless a process sets its own. */
  readonly logRotation: LogRotation;
  /** Children running at once (≥ 1; `Infinity`: no limit). */
  readonly maxProcesses: number;
  /** Absolute folders or files no `watch` ever sees (see `unwatched`). */
  readonly unwatched: readonly string[];
  /** Tasks that may wait, and ended ones remembered. Unchanged when absent. */
  readonly tasks?: TaskSettings;
}
