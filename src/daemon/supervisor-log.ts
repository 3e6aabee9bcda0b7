/**
 * The supervisor's own log: structured JSON lines (pino) in `<state_dir>/overseer.log`,
 * rotated like the processes' logs. Each line names the supervisor that wrote it as
 * `supervisorPid`; an event's fields keep their names, its `pid` included. `OVERSEER_LOG_LEVEL` sets the level (default `info`);
 * `DEBUG=overseer:*`, or a list such as `DEBUG=overseer:api,overseer:store`, turns on
 * debug for those categories only.
 */
import { type Logger, pino } from 'pino';
import type { SupervisorEvent } from '../core/events.js';
import { SPAWNING } from '../core/process/reasons.js';
import type { LogRotation } from '../core/process/spec.js';
import { stateDirLayout } from '../protocol/state-dir.js';
import { LogFile } from '../runtime/logs/log-file.js';

export const LOG_CATEGORIES = ['supervisor', 'process', 'api', 'store', 'recovery'] as const;
export type LogCategory = (typeof LOG_CATEGORIES)[number];

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
type Level = (typeof LEVELS)[number];

export interface SupervisorLog {
  /** The logger of one category. */
  readonly for: (category: LogCategory) => Logger;
  /** Writes what is still queued and closes the file. */
  readonly close: () => Promise<void>;
}

/**
 * The level of each category from the environment. Throws on a level pino does not know,
 * naming the variable, rather than logging less than was asked for.
 */
export function categoryLevels(env: NodeJS.ProcessEnv): Record<LogCategory, Level> {
  const base = (env.OVERSEER_LOG_LEVEL ?? 'info').toLowerCase();
  if (!(LEVELS as readonly string[]).includes(base)) {
    throw new Error(
      `OVERSEER_LOG_LEVEL: ${JSON.stringify(env.OVERSEER_LOG_LEVEL)} is not one of ${LEVELS.join(', ')}`,
    );
  }
  const patterns = (env.DEBUG ?? '')
    .split(/[\s,]+/)
    .filter((pattern) => pattern.startsWith('overseer:'))
    .map((pattern) => pattern.slice('overseer:'.length));
  const debugs = (category: string) =>
    patterns.some((pattern) => pattern === '*' || pattern === category);
  const levels = {} as Record<LogCategory, Level>;
  for (const category of LOG_CATEGORIES) {
    const moreVerbose = LEVELS.indexOf('debug') > LEVELS.indexOf(base as Level);
    levels[category] = debugs(category) && moreVerbose ? 'debug' : (base as Level);
  }
  return levels;
}

/** Opens `<stateDir>/overseer.log` for a supervisor. */
export function openSupervisorLog(
  stateDir: string,
  rotation: LogRotation,
  env: NodeJS.ProcessEnv = process.env,
): SupervisorLog {
  const levels = categoryLevels(env);
  const file = new LogFile(stateDirLayout(stateDir).daemonLog, rotation);
  const root = pino(
    {
      level: 'trace',
      // Not pino's usual `pid`: events carry a `pid` of their own (the child's, or the
      // supervisor's in `supervisor:started`), and a JSON reader keeps only one of two keys.
      base: { supervisorPid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    { write: (line: string) => void file.write(line) },
  );
  const loggers = new Map<LogCategory, Logger>();
  return {
    for: (category) => {
      let logger = loggers.get(category);
      if (!logger) {
        logger = root.child({ category }, { level: levels[category] });
        loggers.set(category, logger);
      }
      return logger;
    },
    close: () => file.close(),
  };
}

/** Logs every supervisor event: process changes under `process`, the rest under `supervisor`. */
export function logEvent(log: SupervisorLog, event: SupervisorEvent): void {
  const { type, at: _at, ...fields } = event;
  if (type.startsWith('process:')) {
    // A start held up by its readiness check says what the check saw: worth a warning.
    const heldUp = type === 'process:starting' && event.reason !== SPAWNING;
    const level = type === 'process:failed' || type === 'process:limit' || heldUp ? 'warn' : 'info';
    log.for('process')[level](fields, type);
  } else {
    log.for('supervisor').info(fields, type);
  }
}
