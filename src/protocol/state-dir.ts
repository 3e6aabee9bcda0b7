/**
 * What a project's `state_dir` holds, by file name: the one layout the daemon writes and the
 * CLI reads (its socket, its log files). Which folder the state dir is comes from the
 * config; what is inside it is named here alone.
 */
import { join } from 'node:path';

/** The daemon's Unix socket (mode 0600). */
export const SOCKET_FILE = 'overseer.sock';
/** The pid/lock file: one supervisor per state dir. */
export const PID_FILE = 'overseer.pid';
/** The supervisor's own structured log (pino), rotated. */
export const DAEMON_LOG_FILE = 'overseer.log';
/** A detached daemon's stdout and stderr: what escapes the log, such as a crash's trace. */
export const DAEMON_OUTPUT_FILE = 'daemon.out';
/** The folder of per-process log files (`<name>.log`, rotated as `<name>.log.1`…). */
export const LOG_DIR = 'logs';
/** The SQLite store: runs, events, desired states, restart counts. */
export const STORE_FILE = 'state.db';
/** The workflows' SQLite store, when they keep their runs in the project's state dir. */
export const WORKFLOWS_FILE = 'workflows.db';

/** The absolute paths inside one state dir. */
export interface StateDirLayout {
  readonly root: string;
  readonly socket: string;
  readonly pidFile: string;
  readonly daemonLog: string;
  readonly daemonOutput: string;
  readonly logDir: string;
  readonly store: string;
}

/** The paths of what the state dir `root` holds. */
export function stateDirLayout(root: string): StateDirLayout {
  return {
    root,
    socket: join(root, SOCKET_FILE),
    pidFile: join(root, PID_FILE),
    daemonLog: join(root, DAEMON_LOG_FILE),
    daemonOutput: join(root, DAEMON_OUTPUT_FILE),
    logDir: join(root, LOG_DIR),
    store: join(root, STORE_FILE),
  };
}
