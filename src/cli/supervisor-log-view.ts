/**
 * A record of the supervisor's own log, as `overseer logs --supervisor` shows it to a
 * person: time, level, category, message, then the record's own fields as `key=value`.
 *
 *   2026-11-23T11:22:31.123Z WARN  probe    process:health name=api from=healthy to=unhealthy
 */
import type { Painter } from './output.js';

/** Fields every record has, shown in the columns rather than as `key=value`. */
const COLUMNS = new Set(['level', 'time', 'msg', 'category', 'supervisorPid']);

const LEVEL_STYLE: Readonly<Record<string, Parameters<Painter>[0]>> = {
  trace: 'gray',
  debug: 'gray',
  info: 'green',
  warn: 'yellow',
  error: 'red',
  fatal: 'red',
};

/** Wide enough for every category but the longest, so most rows line up. */
const CATEGORY_WIDTH = 10;

/** One line of `overseer.log` for a person; a line that is not a record, as it is. */
export function formatSupervisorRecord(text: string, paint: Painter): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return text;
  }
  const level = String(record.level ?? '');
  const fields = Object.entries(record)
    .filter(([key]) => !COLUMNS.has(key))
    .map(([key, value]) => `${key}=${fieldText(key, value)}`);
  return [
    String(record.time ?? ''),
    paint(LEVEL_STYLE[level] ?? 'white', level.toUpperCase().padEnd(5)),
    paint('dim', String(record.category ?? '').padEnd(CATEGORY_WIDTH)),
    String(record.msg ?? ''),
    ...fields,
  ].join(' ');
}

/**
 * A field's value in one short piece: plain words bare, anything else as JSON; an error by
 * its message; an instant (`nextRunAt`, `retryAt`, `fireAt`: epoch ms in the record) as a time.
 */
function fieldText(key: string, value: unknown): string {
  if (isError(value)) return JSON.stringify(value.message);
  if (key.endsWith('At') && typeof value === 'number') return new Date(value).toISOString();
  if (typeof value === 'string') return /^[\w.:/@+-]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value);
}

function isError(value: unknown): value is { message: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    'message' in value &&
    typeof value.message === 'string' &&
    'stack' in value
  );
}
