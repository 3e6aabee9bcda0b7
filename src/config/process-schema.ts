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
import { probeSchema } from './probe-schema.js';
import { restartSchema } from './restart-schema.js';
import { accountSchema, sandboxSchema } from './sandbox.js';
import { scheduleSchema } from './schedule-schema.js';
import { BOUNDS, count, duration, size } from './units-schema.js';
import { watchSchema } from './watch-schema.js';

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
const dependencyList = z
  .array(processName)
  .superRefine((names, context) => {
    names.forEach((name, index) => {
      if (names.indexOf(name) !== index) {
        context.addIssue({ code: 'custom', path: [index], message: `${name} is listed twice` });
      }
    });
  })
  // For overseer.schema.json, which cannot read the refinement.
  .meta({ uniqueItems: true });

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
    .describe('A dotenv file, read at every spawn beneath env; relative to the config.')
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
      'Processes this one waits for: a list of names (started), or a map of name: condition (started, healthy, completed, completed_successfully).',
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
    .describe(
      'Checks a ready run goes on working: failing failure_threshold times in a row restarts it.',
    )
    .optional(),
  stop: z
    .strictObject({
      signal: signalSchema
        .describe('Sent to the whole process group to ask it to stop (default SIGTERM).')
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
      'Runs at these fire times instead of at up, as a job unless kind says otherwise: a cron string or {cron, timezone, overlap, run_on_start}.',
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
