/** File names inside a project's `state_dir`. */

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
