/** File names inside a project's `state_dir`. */

/** The daemon's Unix socket (mode 0600). */
export const SOCKET_FILE = 'overseer.sock';
/** The pid/lock file: one supervisor per state dir. */
export const PID_FILE = 'overseer.pid';
/** Where a detached daemon's own output goes. */
export const DAEMON_LOG_FILE = 'overseer.log';
/** The folder of per-process log files (`<name>.log`, rotated as `<name>.log.1`…). */
export const LOG_DIR = 'logs';
