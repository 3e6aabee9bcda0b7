/**
 * The supervisor's own log, as decisions: its levels and categories, and how much of each
 * category is written given `settings.log` and the environment (`OVERSEER_LOG_LEVEL`,
 * `OVERSEER_DEBUG`). The file itself is the daemon's (daemon/supervisor-log.ts); code that
 * logs anywhere else is handed a `LogFor` and never learns where the lines go.
 */
import { OverseerError } from './errors.js';

/** From the most to the least verbose. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * What a line is about: `supervisor` itself (start, shutdown, what a dead one left),
 * `process` lifecycles, `probe` results, `limits` breaches, `sandbox` refusals, `api`
 * requests, `store` errors, `schedule` fires, `watch` changes, `config` applies, `alerts`
 * that could not be delivered.
 */
export const LOG_CATEGORIES = [
  'supervisor',
  'process',
  'probe',
  'limits',
  'sandbox',
  'api',
  'store',
  'schedule',
  'watch',
  'config',
  'alerts',
] as const;
export type LogCategory = (typeof LOG_CATEGORIES)[number];

/** `settings.log`, defaults applied: the level, and the categories written at it. */
export interface LogSettings {
  readonly level: LogLevel;
  readonly categories: readonly LogCategory[] | 'all';
}

export const DEFAULT_LOG_SETTINGS: LogSettings = { level: 'info', categories: 'all' };

/**
 * The least severe level written in a category left out of `settings.log.categories`:
 * choosing what to read must never hide a failure.
 */
export const UNLISTED_LEVEL: LogLevel = 'warn';

/** The level each category is written from. */
export type CategoryLevels = Readonly<Record<LogCategory, LogLevel>>;

/** The variables read; each overrides `settings.log`. */
export interface LogEnvironment {
  /** Every category's level: one of `LOG_LEVELS`, in any case. */
  readonly OVERSEER_LOG_LEVEL?: string | undefined;
  /** `probe,schedule` (commas or spaces): debug for these categories; `*` for all. */
  readonly OVERSEER_DEBUG?: string | undefined;
}

/**
 * The level of every category. A listed category (or any, with `all`) is written from the
 * level (`OVERSEER_LOG_LEVEL` over `settings.log.level`); any other from `warn` at most.
 * `OVERSEER_DEBUG` lowers its categories to `debug`, listed or not, and never raises one
 * already more verbose. Throws `BAD_REQUEST` naming an unknown level or category and the
 * allowed ones: a misspelt variable must not quietly log less than was asked for.
 */
export function categoryLevels(settings: LogSettings, env: LogEnvironment = {}): CategoryLevels {
  const level = env.OVERSEER_LOG_LEVEL?.trim()
    ? parseLevel(env.OVERSEER_LOG_LEVEL.trim())
    : settings.level;
  const debugged = parseDebug(env.OVERSEER_DEBUG ?? '');
  const levels = {} as Record<LogCategory, LogLevel>;
  for (const category of LOG_CATEGORIES) {
    const listed = settings.categories === 'all' || settings.categories.includes(category);
    const base = listed ? level : moreSevere(level, UNLISTED_LEVEL);
    levels[category] = debugged.has(category) ? moreVerbose(base, 'debug') : base;
  }
  return levels;
}

function parseLevel(text: string): LogLevel {
  const level = LOG_LEVELS.find((known) => known === text.toLowerCase());
  if (level) return level;
  throw new OverseerError(
    'BAD_REQUEST',
    `OVERSEER_LOG_LEVEL: ${JSON.stringify(text)} is not a level: expected one of ${LOG_LEVELS.join(', ')}`,
  );
}

function parseDebug(text: string): ReadonlySet<LogCategory> {
  const names = text.split(/[\s,]+/).filter(Boolean);
  if (names.includes('*')) return new Set(LOG_CATEGORIES);
  const unknown = names.filter((name) => !isCategory(name));
  if (unknown.length > 0) {
    throw new OverseerError(
      'BAD_REQUEST',
      `OVERSEER_DEBUG: ${unknown.map((name) => JSON.stringify(name)).join(', ')} ${unknown.length === 1 ? 'is not a category' : 'are not categories'}: expected ${LOG_CATEGORIES.join(', ')} or *`,
    );
  }
  return new Set(names as LogCategory[]);
}

export function isCategory(name: string): name is LogCategory {
  return (LOG_CATEGORIES as readonly string[]).includes(name);
}

function moreSevere(a: LogLevel, b: LogLevel): LogLevel {
  return LOG_LEVELS.indexOf(a) >= LOG_LEVELS.indexOf(b) ? a : b;
}

function moreVerbose(a: LogLevel, b: LogLevel): LogLevel {
  return LOG_LEVELS.indexOf(a) <= LOG_LEVELS.indexOf(b) ? a : b;
}

/** Writes lines of one category: structured fields, then the message. */
export interface CategoryLog {
  trace(fields: object, message: string): void;
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/**
 * The supervisor's log, one category at a time: what the daemon hands to the code that
 * logs (the engine, the schedule and watch triggers), as `log('schedule').info(...)`.
 */
export type LogFor = (category: LogCategory) => CategoryLog;

const SILENT: CategoryLog = {
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

/** A log that writes nothing: the library's default, which never writes unasked. */
export const silentLog: LogFor = () => SILENT;
