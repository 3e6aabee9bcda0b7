/**
 * The schema of one process entry, as written under `processes:` in overseer.yaml or
 * passed to `Supervisor.add()`: snake_case keys, durations and sizes as strings or numbers.
 * Unknown keys are errors.
 */
import { constants as osConstants } from 'node:os';
import { z } from 'zod';
import { type DependencyCondition, MIN_LOG_FILE_SIZE } from '../core/process/spec.js';
import { RESERVED_NAMES as SELECTOR_NAMES } from '../core/stack/selector.js';
import { limitsSchema } from './limits-schema.js';
import { accountSchema, sandboxSchema } from './sandbox.js';
import { cronExpression, timeZone } from './schedule-schema.js';
import { BOUNDS, count, duration, hostPort, size } from './units-schema.js';

/** Process names become log file names and URL segments: keep them plain. */
export const PROCESS_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** What a bad process name is told. */
export const PROCESS_NAME_MESSAGE = 'expected a name of letters, digits, ".", "_" or "-"';

/** Longest process name: with an instance number and a rotation suffix it names a file. */
export const MAX_NAME_LENGTH = 64;

/**
 * Names that a plain JavaScript object treats as its own machinery: a key `__proto__` is
 * silently swallowed when an object is built from the map, so such a process would vanish.
 */
const RESERVED_NAMES: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** What a reserved process name is told. */
export const RESERVED_NAME_MESSAGE = `expected a name other than ${RESERVED_NAMES.join(', ')}`;

/** What a process name that is too long is told. */
export const NAME_LENGTH_MESSAGE = `expected a name of at most ${MAX_NAME_LENGTH} characters`;

/** A process name, as a key of `processes:` and `depends_on`, or `name` for `add()`. */
export const processNameSchema = z
  .string()
  .regex(PROCESS_NAME_PATTERN, { message: PROCESS_NAME_MESSAGE, abort: true })
  .max(MAX_NAME_LENGTH, { message: NAME_LENGTH_MESSAGE, abort: true })
  .refine((name) => !RESERVED_NAMES.includes(name), { message: RESERVED_NAME_MESSAGE })
  .refine((name) => !SELECTOR_NAMES.includes(name), {
    message: 'all is reserved: it selects every process',
  })
  // For overseer.schema.json, which cannot read the refinements above.
  .meta({ not: { enum: [...RESERVED_NAMES, ...SELECTOR_NAMES] } });

const processName = processNameSchema;

/** `logs:` of a process and of `settings`: how its log file is rotated. */
export const logsSchema = z.strictObject({
  max_size: size({ min: MIN_LOG_FILE_SIZE })
    .describe('A log file is rotated before it would pass this size: at least 1KB (default 10MB).')
    .optional(),
  max_files: count(1, BOUNDS.logFiles)
    .describe('Files kept, the current one included (default 5).')
    .optional(),
});

const SIGNAL_NAMES = Object.keys(osConstants.signals);

export const signalSchema = z
  .string()
  .meta({ examples: ['SIGTERM', 'SIGINT', 'SIGHUP'] })
  // Upper-case before prefixing, or `sigterm` would become `SIGSIGTERM` and be refused.
  .transform((name) => {
    const upper = name.toUpperCase();
    return upper.startsWith('SIG') ? upper : `SIG${upper}`;
  })
  .refine((name) => SIGNAL_NAMES.includes(name), {
    message: 'expected a signal name such as SIGTERM, SIGINT or SIGHUP',
  });

const tcpAddress = hostPort({ example: '127.0.0.1:3000', minPort: 1 });

/** The keys of a probe that say what it checks: one of them. */
const PROBE_CHECKS = ['http', 'tcp', 'exec', 'log'];

const probeSchema = z
  .strictObject({
    http: z
      .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
      .meta({ pattern: '^[Hh][Tt][Tt][Pp][Ss]?://' })
      .describe('Healthy when a GET of this http(s) URL answers 2xx or 3xx.')
      .optional(),
    tcp: tcpAddress.describe('Healthy when a connection to this host:port opens.').optional(),
    exec: z
      .string()
      .trim()
      .min(1, 'expected a non-empty command')
      .describe('Healthy when this command exits 0.')
      .optional(),
    log: z
      .string()
      .min(1)
      .refine(isValidRegex, { message: 'expected a valid regular expression' })
      .describe('Healthy once a line of output matches this regular expression.')
      .optional(),
    // Above 0: an interval of 0 would probe in a busy loop, a timeout of 0 fail every probe.
    interval: duration({ positive: true })
      .describe('Between two probes, above 0 (readiness 1s, liveness 10s).')
      .optional(),
    timeout: duration({ positive: true })
      .describe('A probe not answered by then fails (default 1s).')
      .optional(),
    failure_threshold: count(1, BOUNDS.failureThreshold)
      .describe('Failures in a row that count (default 3).')
      .optional(),
    initial_delay: duration().describe('Before the first probe of a run (default 0).').optional(),
  })
  .refine((probe) => [probe.http, probe.tcp, probe.exec, probe.log].filter(Boolean).length === 1, {
    message: 'expected exactly one of http, tcp, exec or log',
  })
  // For overseer.schema.json: at most one, as a process may take its check from `defaults`.
  .meta({ not: { anyOf: pairsOf(PROBE_CHECKS).map((pair) => ({ required: pair })) } });

/** What each further delay of a backoff is multiplied by. */
export const backoffFactorSchema = z
  .number()
  .min(1, 'expected a number ≥ 1')
  .max(BOUNDS.factor, `expected a number ≤ ${BOUNDS.factor}`);

/** An exit code a process or a task may end with. */
export const exitCodeSchema = z
  .number()
  .int('expected a whole number from 0 to 255')
  .min(0, 'expected a number ≥ 0')
  .max(255, 'expected an exit code ≤ 255');

const restartSchema = z
  .strictObject({
    policy: z
      .enum(['always', 'on-failure', 'never'])
      .describe('When an exit restarts: always (a service), on-failure, never (a job).')
      .optional(),
    max_restarts: count(0, BOUNDS.maxRestarts)
      .describe('Restarts within window before the process is failed (default 10).')
      .optional(),
    window: duration().describe('The window max_restarts counts in (default 1m).').optional(),
    delay: duration().describe('The first backoff delay (default 1s).').optional(),
    factor: backoffFactorSchema
      .describe('Each further delay is multiplied by this: 1 to 100 (default 2).')
      .optional(),
    max_delay: duration()
      .describe('The longest backoff delay, at least delay (default 30s).')
      .optional(),
    min_uptime: duration()
      .describe('A run up this long counts as a good start (default 1s).')
      .optional(),
    /** The restart circuit breaker: a `failed` process is tried again this long after. */
    cooldown: duration({ positive: true })
      .describe(
        'A process failed by a spent budget is tried again this long after (default: never).',
      )
      .optional(),
    max_cooldown: duration({ positive: true })
      .describe('Each failed try doubles the cooldown up to this; needs cooldown (default 1h).')
      .optional(),
    exit_codes: z
      .array(exitCodeSchema)
      .min(1, 'expected at least one exit code')
      .max(256, 'expected at most 256 exit codes')
      .describe('Exit codes that are a success for on-failure (default [0]).')
      .optional(),
  })
  .refine(
    (restart) =>
      restart.delay === undefined ||
      restart.max_delay === undefined ||
      restart.max_delay >= restart.delay,
    { message: 'max_delay must be at least delay', path: ['max_delay'] },
  )
  .refine((restart) => restart.max_cooldown === undefined || restart.cooldown !== undefined, {
    message: 'max_cooldown needs a cooldown: without one, a spent budget is never retried',
    path: ['max_cooldown'],
  })
  .refine(
    (restart) =>
      restart.max_cooldown === undefined ||
      restart.cooldown === undefined ||
      restart.max_cooldown >= restart.cooldown,
    { message: 'max_cooldown must be at least cooldown', path: ['max_cooldown'] },
  );

const DEPENDENCY_CONDITIONS: readonly string[] = [
  'started',
  'healthy',
  'completed',
  'completed_successfully',
] satisfies DependencyCondition[];

// A refinement rather than z.enum: an enum issue aborts its branch of the `depends_on`
// union, and zod then reports a bare "Invalid input" instead of this message.
const dependencyCondition = z
  .string()
  .meta({ enum: [...DEPENDENCY_CONDITIONS] })
  .refine((condition) => DEPENDENCY_CONDITIONS.includes(condition), {
    message: 'expected one of started, healthy, completed, completed_successfully',
  })
  .transform((condition) => condition as DependencyCondition);

/** `depends_on: [db, cache]`: each name once. */
const dependencyList = z.array(processName).superRefine((names, context) => {
  names.forEach((name, index) => {
    if (names.indexOf(name) !== index) {
      context.addIssue({ code: 'custom', path: [index], message: `${name} is listed twice` });
    }
  });
});

/** `depends_on: {cache: {condition: started, restart: true}}`: the long form of one dependency. */
const dependencyEntry = z.union(
  [
    dependencyCondition,
    z.strictObject({
      condition: dependencyCondition
        .describe('What the dependency must reach before this starts (default started).')
        .optional(),
      restart: z
        .boolean()
        .describe('Restart this whenever the dependency starts a new run (default false).')
        .optional(),
    }),
  ],
  { error: 'expected a condition (started, healthy…) or {condition, restart}' },
);

/** A namespace: a plain name, as a process's, so that it fits a URL segment and a flag. */
const namespaceSchema = z
  .string()
  .regex(PROCESS_NAME_PATTERN, {
    message: 'expected a plain name of letters, digits, ".", "_" or "-"',
    abort: true,
  })
  .max(MAX_NAME_LENGTH, NAME_LENGTH_MESSAGE);

/** Label keys and values: short plain text, shown in tables and matched by `label=k=v`. */
const labelsSchema = z.record(
  z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9_./-]*$/,
      'expected a label name of letters, digits, ".", "_", "/" or "-"',
    )
    .max(MAX_NAME_LENGTH, NAME_LENGTH_MESSAGE),
  z
    .union([z.string(), z.number(), z.boolean()], { error: 'expected a string, number or boolean' })
    .transform(String)
    .refine((value) => value.length <= 256 && !/[\n\r]/.test(value), {
      message: 'expected one line of at most 256 characters',
    }),
);

/** `schedule:` as a cron string, or its long form. */
const scheduleSchema = z.union(
  [
    cronExpression,
    z.strictObject({
      cron: cronExpression.describe('A cron expression of 5 fields, or 6 with seconds first.'),
      timezone: timeZone
        .describe('The IANA time zone the fields are read in (default: local time).')
        .optional(),
      overlap: z
        .enum(['skip', 'queue', 'replace'])
        .describe(
          'A fire while the previous run goes on: skip it (default), queue one, replace it.',
        )
        .optional(),
      run_on_start: z
        .boolean()
        .describe('Also run at up, not only at the first fire (default false).')
        .optional(),
    }),
  ],
  { error: 'expected a cron expression or {cron, timezone, overlap, run_on_start}' },
);

/** `watch:` a list of paths, or its long form. */
const watchSchema = z.strictObject({
  paths: z
    .array(z.string().min(1, 'expected a non-empty path'))
    .min(1, 'expected at least one path')
    .max(BOUNDS.watchPaths, `expected at most ${BOUNDS.watchPaths} paths`)
    .describe('Files and folders watched, relative to the config (folders recursively).'),
  ignore: z
    .array(z.string().min(1, 'expected a non-empty glob'))
    .max(BOUNDS.watchPaths)
    .describe('Globs of changes that do not count (node_modules and .git never do).')
    .optional(),
  debounce: duration()
    .describe('Changes this close together are one change (default 500ms).')
    .optional(),
});

/** The fields of one process entry in overseer.yaml. */
export const processEntrySchema = z.strictObject({
  command: z
    .union(
      [
        z.string().trim().min(1, 'expected a non-empty command'),
        z
          .array(z.string())
          .min(1, 'expected at least the program to run')
          .refine((argv) => argv[0]?.trim() !== '', { message: 'expected a program name first' }),
      ],
      { error: 'expected a command string or an array of program and arguments' },
    )
    .describe(
      'What to run: a string, run by /bin/sh -c, or a list of the program and its arguments.',
    ),
  cwd: z
    .string()
    .min(1)
    .describe("The working folder, relative to the config's (default: the config's folder).")
    .optional(),
  env: z
    .record(
      z.string(),
      z
        .union([z.string(), z.number(), z.boolean()], {
          error: 'expected a string, number or boolean',
        })
        .transform(String),
    )
    .describe('Environment variables of the process; numbers and booleans are passed as text.')
    .optional(),
  env_file: z
    .string()
    .min(1)
    .describe('A file of NAME=value lines read into env, beneath env; relative to the config.')
    .optional(),
  namespace: namespaceSchema
    .describe('A group of processes that commands select with -n (default: default).')
    .optional(),
  description: z
    .string()
    .max(1024, 'expected at most 1024 characters')
    .describe('What the process is for, shown by inspect.')
    .optional(),
  labels: labelsSchema
    .describe('Short key: value notes, matched by selectors such as label=tier=web.')
    .optional(),
  kind: z
    .enum(['service', 'job'])
    .describe('service: kept alive (default); job: runs to its end, restart policy never.')
    .optional(),
  instances: count(1, BOUNDS.instances)
    .describe('Copies of the process, named NAME-0, NAME-1…: 1 to 1000; scalable.')
    .optional(),
  priority: z
    .enum(['low', 'normal', 'high', 'critical'])
    .describe('Who starts first when max_processes is reached (default normal).')
    .optional(),
  depends_on: z
    .union([dependencyList, z.record(processName, dependencyEntry)], {
      error: 'expected a list of process names or a map of name: condition',
    })
    .describe(
      'Processes started before this one: a list of names, or a map of name: condition (started, healthy, completed, completed_successfully).',
    )
    .optional(),
  restart: restartSchema.describe('When and how fast an exited process is restarted.').optional(),
  /** Not ready this long after being admitted: a failed start. `0` turns it off. */
  start_timeout: duration()
    .describe('Not ready this long after starting: a failed start (default 90s; 0: no limit).')
    .optional(),
  readiness: probeSchema
    .describe('When a run is ready (healthy): one of http, tcp, exec or log.')
    .optional(),
  liveness: probeSchema
    .describe('Checks a ready run goes on working; failing it restarts the run.')
    .optional(),
  stop: z
    .strictObject({
      signal: signalSchema
        .describe('The signal that asks it to stop (default SIGTERM).')
        .optional(),
      timeout: duration().describe('Then SIGKILL this long after (default 10s).').optional(),
    })
    .describe('How a run is stopped.')
    .optional(),
  logs: logsSchema
    .describe("This process's own log rotation; unset fields follow settings.logs.")
    .optional(),
  /** Resource limits of the whole process tree (see config/limits-schema.ts). */
  limits: limitsSchema.describe('Resource limits of the whole process tree.').optional(),
  /** Narrows `settings.sandbox` for this process (see config/sandbox.ts). */
  sandbox: sandboxSchema.describe('Narrows settings.sandbox for this process.').optional(),
  /** The account the child runs as; another than the supervisor's needs root. */
  user: accountSchema
    .describe("The account it runs as, a name or an id; another than the supervisor's needs root.")
    .optional(),
  group: accountSchema.describe("The group it runs as (default: the user's own).").optional(),
  /** Runs on this schedule instead of at `up` (see core/process/spec.ts `ScheduleSpec`). */
  schedule: scheduleSchema
    .describe(
      'Runs on this cron schedule instead of at up: a cron string or {cron, timezone, overlap, run_on_start}.',
    )
    .optional(),
  /** Restarts on a change of these files (a job: runs again). */
  watch: watchSchema.describe('Restarts on a change of these files (a job runs again).').optional(),
});

/** A process for `Supervisor.add()`: an overseer.yaml entry plus its name. */
export const processDefinitionSchema = processEntrySchema.extend({ name: processName });

/** One process entry as written in overseer.yaml (before defaults). */
export type ProcessEntry = z.input<typeof processEntrySchema>;

/** What `Supervisor.add()` takes: the overseer.yaml entry shape plus `name`. */
export type ProcessDefinition = z.input<typeof processDefinitionSchema>;

/** A definition after validation: durations in ms, defaults not yet applied. */
export type ParsedProcessDefinition = z.output<typeof processDefinitionSchema>;

function isValidRegex(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

function pairsOf(keys: readonly string[]): string[][] {
  return keys.flatMap((first, index) => keys.slice(index + 1).map((second) => [first, second]));
}
