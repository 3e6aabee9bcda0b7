/**
 * The schema of a whole overseer.yaml (docs/configuration.md): `version`, `name`, `settings`,
 * `defaults` and `processes`. Unknown keys are errors at every level (top-level `x-` keys are
 * dropped before, see extension-keys.ts).
 */
import { z } from 'zod';
import { ALERT_KINDS } from '../core/alerts/alert.js';
import { alertTargetProblems } from '../core/alerts/delivery.js';
import { COLOUR_NAMES, HEX_COLOUR } from '../core/dashboard-settings.js';
import { LOG_CATEGORIES, LOG_LEVELS } from '../core/logging.js';
import { isPostgresUrl } from '../core/workflows/store-location.js';
import { defaultsSchema } from './defaults.js';
import {
  logsSchema,
  MAX_NAME_LENGTH,
  PROCESS_NAME_PATTERN,
  processEntrySchema,
  processNameSchema,
} from './process-schema.js';
import { sandboxSchema } from './sandbox.js';
import { BOUNDS, count, duration, hostPort } from './units-schema.js';

const listenAddress = hostPort({ example: '127.0.0.1:9615', minPort: 0, plainHost: true });

const logCategory = z.enum([...LOG_CATEGORIES, 'all']);

/** `settings.log`: the supervisor's own log (see core/logging.ts). */
const supervisorLogSchema = z.strictObject({
  level: z
    .enum(LOG_LEVELS)
    .describe('Lowest level written: trace, debug, info (default), warn or error.')
    .optional(),
  /** `all`, one category, or a list of them (one is read as a list of one). */
  categories: z
    .preprocess(
      (written) => (typeof written === 'string' ? [written] : written),
      z.array(logCategory).min(1, 'expected at least one category'),
    )
    // For overseer.schema.json: the preprocess reads a lone name too, which zod cannot say.
    .meta({
      type: ['string', 'array'],
      anyOf: [{ type: 'string', enum: [...LOG_CATEGORIES, 'all'] }, { type: 'array' }],
    })
    .describe(
      'Categories written below warnings: all (default), one name, or a list; a category not listed still writes its warnings and errors.',
    )
    .optional(),
});

const themeColour = z
  .string()
  .refine(
    (colour) => HEX_COLOUR.test(colour) || (COLOUR_NAMES as readonly string[]).includes(colour),
    { message: `expected #rrggbb, #rgb or one of ${COLOUR_NAMES.join(', ')}` },
  )
  // For overseer.schema.json: HEX_COLOUR without its `i` flag, which a pattern cannot carry.
  .meta({
    anyOf: [
      { type: 'string', pattern: '^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$' },
      { type: 'string', enum: [...COLOUR_NAMES] },
    ],
  });

/** `settings.tui`: the dashboard of `up` and `top` (see core/dashboard-settings.ts). */
const dashboardSchema = z.strictObject({
  /** The shortest time between two redraws; at least 50ms, a human's blink. */
  refresh: duration({ positive: true })
    .refine((ms) => ms >= 50, { message: 'expected at least 50ms' })
    .describe('At most one redraw per this long: at least 50ms (default 500ms).')
    .optional(),
  log_lines: count(10, BOUNDS.dashboardLogLines)
    .describe('Lines the log pane keeps in memory; older ones are read back from the log files.')
    .optional(),
  theme: z
    .strictObject({
      primary: themeColour.describe('Headers, selection and the focused pane.').optional(),
      success: themeColour.describe('Running and healthy processes.').optional(),
      warning: themeColour.describe('Starting, backing off, alerts.').optional(),
      error: themeColour.describe('Failed processes and errors.').optional(),
    })
    .describe('Colours: #rrggbb, #rgb or a colour name; each one left out keeps the default.')
    .optional(),
});

/**
 * `settings.workflows`: where durable workflows keep their runs. `store` is a SQLite file
 * (relative to the config's folder) or a `postgres://` URL; `schema` names PostgreSQL's.
 */
const workflowsSchema = z.strictObject({
  store: z
    .string()
    .min(1)
    .refine((store) => !isPostgresUrl(store) || URL.canParse(store), {
      message: 'expected a postgres://user:password@host:port/database URL',
    })
    .refine((store) => isPostgresUrl(store) || !/^[a-z][a-z0-9+.-]*:\/\//i.test(store), {
      message: 'expected a SQLite file path or a postgres:// URL',
    })
    .describe(
      'Where durable workflows keep their runs: a SQLite file (relative to the config) or a postgres:// URL (default <state_dir>/workflows.db).',
    )
    .optional(),
  schema: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a plain SQL name (letters, digits, _)')
    .max(63, 'expected at most 63 characters (PostgreSQL cuts longer names)')
    .describe("PostgreSQL's schema of the workflow tables (default overseer).")
    .optional(),
});

/**
 * `settings.alerts`: where alerts go (a command, a webhook, or both), how often, which
 * kinds (see core/alerts). Secrets in `headers` come from `${VAR}`, like any value.
 */
const alertsSchema = z
  .strictObject({
    command: z
      .string()
      .min(1)
      .describe(
        'Run through /bin/sh -c for each alert, its JSON on stdin and OVERSEER_ALERT_* set; retried when it exits non-zero.',
      )
      .optional(),
    webhook: z
      .string()
      .describe('POSTed each alert as JSON; retried on a network error, a timeout, 5xx or 429.')
      .optional(),
    headers: z
      .record(z.string(), z.string(), { error: 'expected a map of header names to values' })
      .describe(
        'Extra headers of the webhook requests, e.g. an authorization token taken from a variable.',
      )
      .optional(),
    cooldown: duration()
      .describe('At most one alert per process and kind per this long (default 5m).')
      .optional(),
    on: z
      .preprocess(
        (written) => (typeof written === 'string' ? [written] : written),
        z
          .array(z.enum(ALERT_KINDS, { error: `expected one of ${ALERT_KINDS.join(', ')}` }))
          .min(1, 'expected at least one kind'),
      )
      .meta({
        type: ['string', 'array'],
        anyOf: [{ type: 'string', enum: [...ALERT_KINDS] }, { type: 'array' }],
      })
      .describe('The kinds sent: failed, limit, breaker, dead_letter (default all).')
      .optional(),
    timeout: duration({ positive: true })
      .describe('One try of one delivery: a request, a run of the command (default 10s).')
      .optional(),
    retries: count(0, BOUNDS.alertRetries)
      .describe('Tries after a failed one, waiting 500ms, 1s, 2s… (default 3).')
      .optional(),
  })
  // The library's `new Alerts()` checks the same: one list of what is wrong.
  .superRefine((alerts, context) => {
    for (const { path, message } of alertTargetProblems(alerts)) {
      context.addIssue({ code: 'custom', path: [...path], message });
    }
  });

/** `settings:` of overseer.yaml. */
export const settingsSchema = z.strictObject({
  max_processes: count(1, BOUNDS.maxProcesses)
    .describe('Children alive at once; the rest wait in pending by priority (default: no limit).')
    .optional(),
  state_dir: z
    .string()
    .min(1)
    .describe('Socket, pid file, daemon log and logs/, relative to the config (default .overseer).')
    .optional(),
  logs: logsSchema
    .describe("Rotation of every process's log file; a process's own logs override it.")
    .optional(),
  log: supervisorLogSchema
    .describe("The supervisor's own log, <state_dir>/overseer.log (overseer logs --supervisor).")
    .optional(),
  /** Between two resource samples of every process tree; 0 turns sampling off. */
  sample_interval: duration()
    .describe('Between two resource samples of every process tree; 0: off (default: paced).')
    .optional(),
  /** Watch the config file and its `env_file`s, and apply each change as `up -d` does. */
  reload: z
    .boolean()
    .describe('Apply each edit of this file and its env_files as up -d does (default false).')
    .optional(),
  /** Every process's sandbox; a process may narrow it (see config/sandbox.ts). */
  sandbox: sandboxSchema
    .describe("Every process's sandbox; a process may only narrow it.")
    .optional(),
  /** One-off tasks: finished ones remembered (`history`), and how many may wait (`max_queued`). */
  tasks: z
    .strictObject({
      history: count(0, BOUNDS.taskHistory)
        .describe('Ended tasks remembered (default 1000).')
        .optional(),
      max_queued: count(1, BOUNDS.maxQueuedTasks)
        .describe('Tasks waiting for a slot at once; one more is refused (default 10000).')
        .optional(),
    })
    .describe('One-off tasks (overseer run, POST /tasks).')
    .optional(),
  /** How much history the store keeps per process; the oldest beyond it is dropped as it goes. */
  retention: z
    .strictObject({
      runs: count(0, BOUNDS.retained)
        .describe('Ended runs kept per process in the store (default 100).')
        .optional(),
      events: count(0, BOUNDS.retained)
        .describe(
          'Events kept per process in the store; those of no process under the same bound (default 1000).',
        )
        .optional(),
    })
    .describe('History kept in the store, per process (runs, events).')
    .optional(),
  tui: dashboardSchema.describe('The dashboard of up and top.').optional(),
  workflows: workflowsSchema.describe('Where durable workflows keep their runs.').optional(),
  alerts: alertsSchema
    .describe(
      'Alerts of failed processes, limit breaches and dead-lettered runs, to a command or a webhook.',
    )
    .optional(),
  api: z
    .strictObject({
      listen: listenAddress
        .describe('An optional TCP listener, host:port; the Unix socket is always on.')
        .optional(),
      token: z
        .string()
        .min(16, 'expected a token of at least 16 characters')
        .describe('Bearer token of the TCP listener, at least 16 characters; required with listen.')
        .optional(),
    })
    .refine((api) => api.listen === undefined || api.token !== undefined, {
      message: 'required when api.listen is set: the TCP listener always asks for a bearer token',
      path: ['token'],
    })
    .describe("The daemon's HTTP API over TCP.")
    .optional(),
});

export const projectSchema = z.strictObject({
  version: z
    .literal(1, { error: 'expected 1 (the only version so far)' })
    .describe('The version of this format: 1, the only one so far.'),
  name: z
    .string()
    .regex(PROCESS_NAME_PATTERN, { message: 'expected a plain name', abort: true })
    .max(MAX_NAME_LENGTH, `expected a name of at most ${MAX_NAME_LENGTH} characters`)
    .describe("The project's name (default: the config folder's name).")
    .optional(),
  settings: settingsSchema.describe('Settings of the supervisor and the whole project.').optional(),
  /** Merged under every process before this schema sees them (see config/defaults.ts). */
  defaults: defaultsSchema
    .describe(
      'Process keys merged under every process, key by key: its own keys win, maps merge deeply. Not command or depends_on.',
    )
    .optional(),
  processes: z
    .record(processNameSchema, processEntrySchema, {
      error: 'expected a map of process names to their settings',
    })
    // On the map, not the whole config: a refinement of the whole runs only once every
    // other key is valid, and all issues are reported at once.
    .refine((processes) => Object.keys(processes).length > 0, {
      message: 'expected at least one process',
    })
    .refine((processes) => instancesOf(processes) <= BOUNDS.projectInstances, {
      message: `expected at most ${BOUNDS.projectInstances} instances in all processes together`,
    })
    // For overseer.schema.json: the first refinement above, which it cannot read.
    .meta({ minProperties: 1 })
    .describe('The processes, by name: letters, digits, ".", "_" or "-"; not all.'),
});

function instancesOf(processes: Readonly<Record<string, { instances?: number }>>): number {
  // Each entry's own bound is reported at the entry: count it at most to that bound here.
  return Object.values(processes).reduce(
    (sum, entry) => sum + Math.min(entry.instances ?? 1, BOUNDS.instances),
    0,
  );
}

/** A whole config as written (overseer.yaml, or the object `defineConfig` is given). */
export type ProjectConfig = z.input<typeof projectSchema>;

/** A config after validation, durations in ms, defaults not yet applied. */
export type ParsedProject = z.output<typeof projectSchema>;

/**
 * Types an `overseer.config.ts` for editors and the compiler; returns `config` unchanged.
 *
 * @example
 * export default defineConfig({ version: 1, processes: { api: { command: 'node server.js' } } });
 */
export function defineConfig(config: ProjectConfig): ProjectConfig {
  return config;
}
