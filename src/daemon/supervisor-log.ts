/**
 * The supervisor's own log: structured JSON lines (pino) in `<state_dir>/overseer.log`,
 * rotated like the processes' logs. Every line carries its `category` (core/logging.ts);
 * how much of each is written comes from `settings.log` and the environment
 * (`categoryLevels`). Each line names the supervisor that wrote it as `supervisorPid`; an
 * event's fields keep their names, its `pid` included.
 */
import { type Logger, pino } from 'pino';
import type { SupervisorEvent } from '../core/events.js';
import {
  type CategoryLevels,
  LOG_CATEGORIES,
  type LogCategory,
  type LogFor,
  type LogLevel,
} from '../core/logging.js';
import { SPAWNING } from '../core/process/reasons.js';
import type { LogRotation } from '../core/process/spec.js';
import { stateDirLayout } from '../protocol/state-dir.js';
import { LogFile } from '../runtime/logs/log-file.js';

export interface SupervisorLog {
  /** The logger of one category: what the engine and the daemon's parts write through. */
  readonly for: LogFor & ((category: LogCategory) => Logger);
  /** From now on, writes each category from these levels (a config applied again). */
  readonly setLevels: (levels: CategoryLevels) => void;
  /** Writes what is still queued and closes the file. */
  readonly close: () => Promise<void>;
}

/** Opens `<stateDir>/overseer.log` for a supervisor, each category from its level. */
export function openSupervisorLog(
  stateDir: string,
  rotation: LogRotation,
  levels: CategoryLevels,
): SupervisorLog {
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
  let current = levels;
  const loggers = new Map<LogCategory, Logger>();
  const loggerOf = (category: LogCategory): Logger => {
    let logger = loggers.get(category);
    if (!logger) {
      logger = root.child({ category }, { level: current[category] });
      loggers.set(category, logger);
    }
    return logger;
  };
  return {
    for: loggerOf,
    setLevels: (next) => {
      current = next;
      for (const [category, logger] of loggers) logger.level = next[category];
    },
    close: () => file.close(),
  };
}

/** Every category at `level`: for a test, or a log with nothing to configure. */
export function uniformLevels(level: LogLevel): CategoryLevels {
  return Object.fromEntries(LOG_CATEGORIES.map((category) => [category, level])) as Record<
    LogCategory,
    LogLevel
  >;
}

/**
 * Logs every supervisor event under what it is about: a probe's verdict under `probe`, a
 * breach under `limits`, a sandbox refusal under `sandbox`, a schedule under `schedule`, a
 * config applied under `config` (a rejected one the daemon logs itself), the supervisor's own under `supervisor`, every
 * other change of a process under `process`. What needs a look is a warning.
 */
export function logEvent(log: SupervisorLog, event: SupervisorEvent): void {
  // Written by the daemon when it rejects the config, in words and with the issues: once.
  if (event.type === 'config:rejected') return;
  const { type, at: _at, ...fields } = event;
  const { category, level } = placeOf(event);
  log.for(category)[level](fields, type);
}

function placeOf(event: SupervisorEvent): { category: LogCategory; level: 'info' | 'warn' } {
  switch (event.type) {
    case 'process:health':
      return { category: 'probe', level: event.to === 'unhealthy' ? 'warn' : 'info' };
    case 'process:starting':
      // A start held up by its readiness check says what the check saw.
      return event.reason !== SPAWNING ? { category: 'probe', level: 'warn' } : PROCESS_INFO;
    case 'process:limit':
      return { category: 'limits', level: 'warn' };
    case 'process:failed':
      return {
        category: event.reason.startsWith('sandbox:') ? 'sandbox' : 'process',
        level: 'warn',
      };
    case 'process:scheduled':
    case 'process:fired':
      return { category: 'schedule', level: 'info' };
    case 'config:applied':
      return { category: 'config', level: 'info' };
    case 'supervisor:started':
    case 'supervisor:orphans-cleaned':
    case 'supervisor:shutdown':
      return { category: 'supervisor', level: 'info' };
    default:
      return PROCESS_INFO;
  }
}

const PROCESS_INFO = { category: 'process', level: 'info' } as const;
