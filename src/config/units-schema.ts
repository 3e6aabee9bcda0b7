/**
 * Durations, sizes, counts and `host:port` addresses as config keys: the one schema of each
 * that every block reads them with, and the bounds no config may pass. Every count is bounded, so a typo such as
 * `instances: 1000000000` is refused with a message instead of exhausting the machine.
 */
import { z } from 'zod';
import { HOST_PORT, parseHostPort } from '../core/address.js';
import { MAX_INSTANCES } from '../core/stack/scale-plan.js';
import {
  formatDuration,
  formatSize,
  MAX_DURATION_MS,
  parseDuration,
  parseSize,
} from '../core/units.js';

/** The upper bounds of counts in a config; documented in docs/configuration.md. */
export const BOUNDS = {
  /** Instances of one process. */
  instances: MAX_INSTANCES,
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
  /** `watch.paths` and `watch.ignore` of one process. */
  watchPaths: 1_000,
  /** `logs.max_files`. */
  logFiles: 1_000,
  /** `settings.tasks.history`: finished tasks remembered. */
  taskHistory: 100_000,
  /** `settings.retention.runs` and `.events`: records kept per process in the store. */
  retained: 10_000_000,
  /** `settings.tasks.max_queued`: tasks waiting for a slot. */
  maxQueuedTasks: 1_000_000,
  /** `settings.tui.log_lines`: lines the dashboard's log pane keeps in memory. */
  dashboardLogLines: 1_000_000,
  /** `limits.open_files`: the kernel's own ceiling for RLIMIT_NOFILE (`fs.nr_open`). */
  openFiles: 1_073_741_816,
  /** `settings.alerts.retries`: past 10 the backoff waits minutes, and the alert is stale. */
  alertRetries: 10,
} as const;

const DURATION_EXAMPLE = '(e.g. 500ms, 10s, 5m)';

/**
 * What an editor is told a duration and a size look like (overseer.schema.json): a JSON
 * Schema cannot read a transform, so the forms `parseDuration` and `parseSize` accept are
 * spelt out here, next to the schemas that call them.
 */
function durationForms(positive: boolean) {
  return {
    anyOf: [
      { type: 'integer', minimum: positive ? 1 : 0, maximum: MAX_DURATION_MS },
      { type: 'string', pattern: '^\\s*(\\d+|\\d+(\\.\\d+)?\\s*(ms|s|m|h))\\s*$' },
    ],
    examples: ['500ms', '10s', '5m', '1h'],
  };
}
const SIZE_FORMS = {
  anyOf: [
    { type: 'integer', minimum: 0 },
    { type: 'string', pattern: '^\\s*(\\d+|\\d+(\\.\\d+)?\\s*([bB]|[kKmMgG][bB]))\\s*$' },
  ],
  examples: ['512KB', '256MB', '1GB'],
};

/**
 * A duration (`250ms`, `10s`, `5m`, `1h`, or integer ms), read as milliseconds: above 0 with
 * `positive`, and never longer than a timer can wait (`MAX_DURATION_MS`).
 */
export function duration(options: { positive?: boolean } = {}) {
  const what = options.positive ? 'a duration above 0' : 'a duration';
  return z
    .union([z.number(), z.string()], { error: `expected a duration ${DURATION_EXAMPLE}` })
    .meta(durationForms(options.positive === true))
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

/**
 * A size (`512KB`, `10MB`, `1GB`, or integer bytes), read as bytes: above 0 with `positive`,
 * at least `min` bytes with `min`.
 */
export function size(options: { positive?: boolean; min?: number } = {}) {
  const what = options.positive ? 'a size above 0' : 'a size';
  return z
    .union([z.number(), z.string()], { error: 'expected a size (e.g. 512KB, 256MB, 1GB)' })
    .meta(SIZE_FORMS)
    .transform((input, context) => {
      const bytes = parseSize(input);
      if (bytes === undefined || (options.positive && bytes <= 0)) {
        context.addIssue({
          code: 'custom',
          message: `${JSON.stringify(input)} is not ${what} (e.g. 512KB, 256MB, 1GB)`,
        });
        return z.NEVER;
      }
      if (options.min !== undefined && bytes < options.min) {
        context.addIssue({
          code: 'custom',
          message: `expected a size of at least ${formatSize(options.min)}`,
        });
        return z.NEVER;
      }
      return bytes;
    });
}

/** A whole number from `minimum` to `maximum`, both named in every refusal. */
export function count(minimum: number, maximum: number) {
  const range = `expected a whole number from ${minimum} to ${maximum}`;
  return z
    .number()
    .int(range)
    .min(minimum, `expected a number ≥ ${minimum}`)
    .max(maximum, `expected a number ≤ ${maximum}`);
}

/** The highest TCP port. */
const MAX_PORT = 65_535;

/**
 * A `host:port` address (`127.0.0.1:3000`, `[::1]:5432`), read as its host and port;
 * `example` is shown to a bad one. `minPort` is 0 where the system may pick a free port (a
 * listener). With `plainHost`, the host is a bracketed IPv6 address or a name of letters,
 * digits, `.` and `-`, as a listener's bind address must be.
 */
export function hostPort(options: { example: string; minPort: 0 | 1; plainHost?: boolean }) {
  return z
    .string()
    .meta({ pattern: HOST_PORT.source, examples: [options.example] })
    .transform((address, context) => {
      const parsed = parseHostPort(address);
      if (parsed === undefined || (options.plainHost && !isPlainHost(parsed.host))) {
        context.addIssue({
          code: 'custom',
          message: `expected host:port, e.g. ${options.example}`,
        });
        return z.NEVER;
      }
      // Five digits still allow 99999, which connect() and listen() would throw on.
      if (parsed.port < options.minPort || parsed.port > MAX_PORT) {
        context.addIssue({
          code: 'custom',
          message: `expected a port from ${options.minPort} to ${MAX_PORT}`,
        });
        return z.NEVER;
      }
      return parsed;
    });
}

/** An IPv6 address (only a bracketed host holds a colon) or a plain host name. */
function isPlainHost(host: string): boolean {
  return host.includes(':') || /^[A-Za-z0-9.-]+$/.test(host);
}
