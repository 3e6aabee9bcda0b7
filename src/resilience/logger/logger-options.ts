/**
 * The options of `createLogger`, checked, with the environment applied: `LOG_LEVEL` over
 * `level`, `DEBUG` over `categories`, so that an operator can turn a running service's
 * logging up without a deploy. And the sink they choose.
 */
import { parseSize, type UnitInput } from '../../core/units.js';
import { type AppLogLevel, parseAppLogLevel } from './levels.js';
import { prettySink } from './pretty.js';
import { RotatingFile } from './rotating-file.js';
import { type AppLogDestination, destinationSink, type LineSink, stdoutSink } from './sinks.js';

/** Rotation of the log file by size. */
export interface AppLogRotation {
  /** The most a file holds: bytes, or `'10MB'`, `'512KB'` (powers of 1024). */
  readonly size: UnitInput;
  /** How many rotated files (`app.log.1`…) are kept besides the one written. */
  readonly keep: number;
}

export interface AppLoggerOptions {
  /** On every line as `name`, and the prefix of the categories: `app` gives `app:db`. */
  readonly name: string;
  /** `info` if not given; the `LOG_LEVEL` variable, when set, wins. */
  readonly level?: AppLogLevel;
  /**
   * Categories turned up to debug, or down to warn with `-`, in the `DEBUG` variable's
   * syntax (`app:db,app:cache:*,-app:noisy`); the `DEBUG` variable, when set, replaces it.
   */
  readonly categories?: string;
  /** Write to this file (created with its folder) instead of stdout. */
  readonly file?: string;
  /** Rotate `file` by size; needs `file`. */
  readonly rotation?: AppLogRotation;
  /**
   * Readable lines instead of JSON, coloured on a terminal. By default: when the output is
   * a terminal and no file is given.
   */
  readonly pretty?: boolean;
  /** Write to this stream instead of stdout (tests, or a stream of the program's). */
  readonly destination?: AppLogDestination;
  /** Where `LOG_LEVEL` and `DEBUG` are read; `process.env` if not given. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** A monotonic clock in ms for `time()`; `performance.now` if not given. */
  readonly now?: () => number;
}

export interface ReadOptions {
  readonly name: string;
  readonly level: AppLogLevel;
  readonly categories: string;
  readonly sink: LineSink;
  readonly now: () => number;
}

/** A name fit to prefix categories and to be matched by a pattern. */
export const CATEGORY_NAME = /^[^\s,*]+$/;

export function readOptions(options: AppLoggerOptions): ReadOptions {
  const { name, file, rotation, destination } = options;
  if (typeof name !== 'string' || !CATEGORY_NAME.test(name)) {
    throw new TypeError(
      `createLogger: name must be a word with no space, comma or *, got ${JSON.stringify(name)}`,
    );
  }
  if (file !== undefined && destination !== undefined) {
    throw new TypeError('createLogger: give a file or a destination, not both');
  }
  if (rotation !== undefined && file === undefined) {
    throw new TypeError('createLogger: rotation needs a file to rotate');
  }
  const env = options.env ?? process.env;
  const level = env.LOG_LEVEL?.trim()
    ? parseAppLogLevel(env.LOG_LEVEL, 'LOG_LEVEL')
    : parseAppLogLevel(options.level ?? 'info', 'createLogger level');
  const categories = env.DEBUG?.trim() ? env.DEBUG : (options.categories ?? '');
  return {
    name,
    level,
    categories,
    sink: sinkOf(options),
    now: options.now ?? (() => performance.now()),
  };
}

function sinkOf(options: AppLoggerOptions): LineSink {
  const { file, rotation } = options;
  if (file !== undefined) {
    const [maxBytes, keep] = rotation ? readRotation(rotation) : [Number.POSITIVE_INFINITY, 0];
    const sink = new RotatingFile(file, maxBytes, keep);
    return options.pretty === true ? prettySink(sink, false) : sink;
  }
  const terminal = (options.destination ?? process.stdout).isTTY === true;
  const sink = options.destination ? destinationSink(options.destination) : stdoutSink();
  return (options.pretty ?? terminal) ? prettySink(sink, terminal) : sink;
}

function readRotation(rotation: AppLogRotation): [maxBytes: number, keep: number] {
  const maxBytes = parseSize(rotation.size);
  if (maxBytes === undefined || maxBytes < 1) {
    throw new RangeError(
      `createLogger rotation.size: expected a size such as 10MB, got ${JSON.stringify(rotation.size)}`,
    );
  }
  if (!Number.isInteger(rotation.keep) || rotation.keep < 0) {
    throw new RangeError(
      `createLogger rotation.keep: expected a whole number ≥ 0, got ${rotation.keep}`,
    );
  }
  return [maxBytes, rotation.keep];
}
