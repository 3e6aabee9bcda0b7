/**
 * The levels of the application logger, and from which level a category writes given the
 * logger's level and what its category rules say of it.
 */
import type { CategoryVerdict } from './category-rules.js';

/** From the most to the least verbose; `silent` writes nothing. */
export const APP_LOG_LEVELS = [
  'trace',
  'debug',
  'info',
  'warn',
  'error',
  'fatal',
  'silent',
] as const;
export type AppLogLevel = (typeof APP_LOG_LEVELS)[number];
/** A level a line can be written at. */
export type AppLineLevel = Exclude<AppLogLevel, 'silent'>;

/** The numbers pino writes in `level`, so a line reads the same as pino's own. */
export const LEVEL_VALUES: Readonly<Record<AppLogLevel, number>> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Number.POSITIVE_INFINITY,
};

/** `text` as a level, in any case; a `RangeError` naming it and the levels otherwise. */
export function parseAppLogLevel(text: string, what: string): AppLogLevel {
  const level = APP_LOG_LEVELS.find((known) => known === text.trim().toLowerCase());
  if (level) return level;
  throw new RangeError(
    `${what}: ${JSON.stringify(text)} is not a level: expected one of ${APP_LOG_LEVELS.join(', ')}`,
  );
}

/**
 * The least severe level value a category writes. An enabled category writes debug lines
 * whatever the level; a disabled one writes warnings and worse only, as choosing what to
 * read must never hide a failure; an unmatched one follows the level. `silent` silences all.
 */
export function thresholdOf(level: AppLogLevel, verdict: CategoryVerdict): number {
  const value = LEVEL_VALUES[level];
  if (level === 'silent') return value;
  if (verdict === 'enabled') return Math.min(value, LEVEL_VALUES.debug);
  if (verdict === 'disabled') return Math.max(value, LEVEL_VALUES.warn);
  return value;
}
