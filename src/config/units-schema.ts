/**
 * Durations, sizes and counts as config keys: the schemas every block reads them with, and
 * the bounds no config may pass. Every count is bounded, so a typo such as
 * `instances: 1000000000` is refused with a message instead of exhausting the machine.
 */
import { z } from 'zod';
import { formatDuration, MAX_DURATION_MS, parseDuration, parseSize } from '../core/units.js';

/** The upper bounds of counts in a config; documented in docs/configuration.md. */
export const BOUNDS = {
  /** Instances of one process. */
  instances: 1_000,
  /** Instances of a whole project, every process counted. */
  projectInstances: 10_000,
  /** `settings.max_processes`. */
  maxProcesses: 10_000,
  /** `restart.max_restarts` within one window. */
  maxRestarts: 100_000,
  /** `restart.factor` of the backoff. */
  factor: 100,
  /** A probe's `failure_threshold`. */
  failureThreshold: 1_000,
  /** `logs.max_files`. */
  logFiles: 1_000,
  /** `limits.open_files`: the kernel's own ceiling for RLIMIT_NOFILE (`fs.nr_open`). */
  openFiles: 1_073_741_816,
} as const;

const DURATION_EXAMPLE = '(e.g. 500ms, 10s, 5m)';

/**
 * A duration (`250ms`, `10s`, `5m`, `1h`, or integer ms), read as milliseconds: above 0 with
 * `positive`, and never longer than a timer can wait (`MAX_DURATION_MS`).
 */
export function duration(options: { positive?: boolean } = {}) {
  const what = options.positive ? 'a duration above 0' : 'a duration';
  return z
    .union([z.number(), z.string()], { error: `expected a duration ${DURATION_EXAMPLE}` })
    .transform((input, context) => {
      const ms = parseDuration(input);
      if (ms === undefined || (options.positive && ms <= 0)) {
        context.addIssue({
          code: 'custom',
          message: `${JSON.stringify(input)} is not ${what} ${DURATION_EXAMPLE}`,
        });
        return z.NEVER;
      }
      if (ms > MAX_DURATION_MS) {
        context.addIssue({
          code: 'custom',
          message: `${JSON.stringify(input)} is longer than ${formatDuration(MAX_DURATION_MS)}, the longest a timer can wait`,
        });
        return z.NEVER;
      }
      return ms;
    });
}

/** A duration, zero allowed. */
export const durationSchema = duration();

/** A size (`512KB`, `10MB`, `1GB`, or integer bytes), read as bytes; above 0 with `positive`. */
export function size(options: { positive?: boolean } = {}) {
  const what = options.positive ? 'a size above 0' : 'a size';
  return z
    .union([z.number(), z.string()], { error: 'expected a size (e.g. 512KB, 256MB, 1GB)' })
    .transform((input, context) => {
      const bytes = parseSize(input);
      if (bytes === undefined || (options.positive && bytes <= 0)) {
        context.addIssue({
          code: 'custom',
          message: `${JSON.stringify(input)} is not ${what} (e.g. 512KB, 256MB, 1GB)`,
        });
        return z.NEVER;
      }
      return bytes;
    });
}

/** A size, zero allowed. */
export const sizeSchema = size();

/** A whole number from `minimum` to `maximum`, both named in every refusal. */
export function count(minimum: number, maximum: number) {
  const range = `expected a whole number from ${minimum} to ${maximum}`;
  return z
    .number()
    .int(range)
    .min(minimum, `expected a number ≥ ${minimum}`)
    .max(maximum, `expected a number ≤ ${maximum}`);
}
