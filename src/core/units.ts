/**
 * Parsing of the human units used in specs: durations (`250ms`, `10s`, `5m`, `1h`) and
 * sizes (`512KB`, `256MB`, `1GB`, powers of 1024). Both also accept a plain integer,
 * read as milliseconds or bytes.
 */

const DURATION_UNITS_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
const SIZE_UNITS_BYTES = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 } as const;

const DURATION_PATTERN = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/;
const SIZE_PATTERN = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)$/i;

/**
 * The longest duration a config may give: Node.js timers hold at most 2^31 - 1 ms (about
 * 24.8 days, 596h), and a longer delay would fire at once instead.
 */
export const MAX_DURATION_MS = 2_147_483_647;

/** A value that is either a number in the base unit or a string with a unit suffix. */
export type UnitInput = number | string;

/**
 * Milliseconds from `250ms`, `10s`, `5m`, `1h` (a decimal number and a space before the
 * unit are allowed: `1.5s`, `10 s`) or an integer; `undefined` when unreadable or too large
 * to be counted exactly.
 */
export function parseDuration(input: UnitInput): number | undefined {
  if (typeof input === 'number') return isWholeNonNegative(input) ? input : undefined;
  const trimmed = input.trim();
  if (/^\d+$/.test(trimmed)) return safe(Number(trimmed));
  const match = DURATION_PATTERN.exec(trimmed);
  if (!match) return undefined;
  return safe(
    Math.round(Number(match[1]) * DURATION_UNITS_MS[match[2] as keyof typeof DURATION_UNITS_MS]),
  );
}

/**
 * Bytes from `512KB`, `256MB`, `1GB` (powers of 1024, any case, a decimal number and a space
 * before the unit allowed) or an integer; `undefined` when unreadable or too large to be
 * counted exactly.
 */
export function parseSize(input: UnitInput): number | undefined {
  if (typeof input === 'number') return isWholeNonNegative(input) ? input : undefined;
  const trimmed = input.trim();
  if (/^\d+$/.test(trimmed)) return safe(Number(trimmed));
  const match = SIZE_PATTERN.exec(trimmed);
  if (!match) return undefined;
  const unit = match[2]!.toLowerCase() as keyof typeof SIZE_UNITS_BYTES;
  return safe(Math.round(Number(match[1]) * SIZE_UNITS_BYTES[unit]));
}

/** `value` when it is an integer JavaScript counts exactly (a 400-digit string is not). */
function safe(value: number): number | undefined {
  return Number.isSafeInteger(value) ? value : undefined;
}

/**
 * How `formatDuration` renders a duration:
 * - `short`, for a duration a person chose (a timeout, a window): as few units as say it,
 *   tenths of a second below a minute (`850ms`, `1.5s`, `5m`, `1m30s`, `1h30m`); hours are
 *   not grouped into days, as config bounds are written so (`596h31m`).
 * - `elapsed`, for a time that has passed (an uptime, a run): whole units, and always two
 *   of them past a minute so a column reads evenly (`850ms`, `12s`, `5m0s`, `3h4m`, `2d3h`).
 */
export type DurationStyle = 'short' | 'elapsed';

/** A short human rendering of a duration in ms (see `DurationStyle`; `short` by default). */
export function formatDuration(ms: number, style: DurationStyle = 'short'): string {
  const elapsed = style === 'elapsed';
  if (ms < 1_000) return `${elapsed ? ms : Math.round(ms)}ms`;
  const seconds = Math.floor(ms / 1_000);
  if (seconds < 60) return elapsed ? `${seconds}s` : `${Number((ms / 1_000).toFixed(1))}s`;
  // Keep the seconds: a 90s restart window rendered as `1m` would misstate it.
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return twoUnits(minutes, 'm', seconds % 60, 's', elapsed);
  const hours = Math.floor(minutes / 60);
  if (!elapsed || hours < 24) return twoUnits(hours, 'h', minutes % 60, 'm', elapsed);
  return twoUnits(Math.floor(hours / 24), 'd', hours % 24, 'h', elapsed);
}

/** `5m30s`; `5m` when the smaller unit is zero, unless `keepZero`. */
function twoUnits(
  major: number,
  majorUnit: string,
  minor: number,
  minorUnit: string,
  keepZero: boolean,
): string {
  return minor === 0 && !keepZero
    ? `${major}${majorUnit}`
    : `${major}${majorUnit}${minor}${minorUnit}`;
}

function isWholeNonNegative(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

/** A short human rendering of a size in powers of 1024: `900B`, `512KB`, `300MB`, `1.5GB`. */
export function formatSize(bytes: number): string {
  for (const [unit, size] of SIZE_STEPS) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))}${unit}`;
  }
  return `${Math.round(bytes)}B`;
}

const SIZE_STEPS = [
  ['GB', SIZE_UNITS_BYTES.gb],
  ['MB', SIZE_UNITS_BYTES.mb],
  ['KB', SIZE_UNITS_BYTES.kb],
] as const;

/**
 * A size as a table cell, always with one decimal past bytes so a column reads evenly:
 * `512B`, `12.3MB`, `1.0GB` (powers of 1024); `-` when there is none. `formatSize` is for a
 * size a person chose.
 */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '-';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value}B` : `${value.toFixed(1)}${units[unit]}`;
}

/** A share of one core as a cell: `12.5%`; `-` when there is none. */
export function formatPercent(percent: number | null): string {
  return percent === null ? '-' : `${percent.toFixed(1)}%`;
}
