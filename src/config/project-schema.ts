/**
 * The schema of a whole overseer.yaml (docs/configuration.md): `version`, `name`, `settings`,
 * `defaults` and `processes`. Unknown keys are errors at every level (top-level `x-` keys are
 * dropped before, see extension-keys.ts).
 */
import { z } from 'zod';
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
  level: z.enum(LOG_LEVELS).optional(),
  /** `all`, one category, or a list of them (one is read as a list of one). */
  categories: z
    .preprocess(
      (written) => (typeof written === 'string' ? [written] : written),
      z.array(logCategory).min(1, 'expected at least one category'),
    )
    .optional(),
});

const themeColour = z
  .string()
  .refine(
    (colour) => HEX_COLOUR.test(colour) || (COLOUR_NAMES as readonly string[]).includes(colour),
    { message: `expected #rrggbb, #rgb or one of ${COLOUR_NAMES.join(', ')}` },
  );

/** `settings.tui`: the dashboard of `up` and `top` (see core/dashboard-settings.ts). */
const dashboardSchema = z.strictObject({
  /** The shortest time between two redraws; at least 50ms, a human's blink. */
  refresh: duration({ positive: true })
    .refine((ms) => ms >= 50, { message: 'expected at least 50ms' })
    .optional(),
  log_lines: count(10, BOUNDS.dashboardLogLines).optional(),
  theme: z
    .strictObject({
      primary: themeColour.optional(),
      success: themeColour.optional(),
      warning: themeColour.optional(),
      error: themeColour.optional(),
    })
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
    .optional(),
  schema: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a plain SQL name (letters, digits, _)')
    .max(63, 'expected at most 63 characters (PostgreSQL cuts longer names)')
    .optional(),
});

/** `settings:` of overseer.yaml. */
export const settingsSchema = z.strictObject({
  max_processes: count(1, BOUNDS.maxProcesses).optional(),
  state_dir: z.string().min(1).optional(),
  logs: logsSchema.optional(),
  log: supervisorLogSchema.optional(),
  /** Between two resource samples of every process tree; 0 turns sampling off. */
  sample_interval: duration().optional(),
  /** Watch the config file and its `env_file`s, and apply each change as `up -d` does. */
  reload: z.boolean().optional(),
  /** Every process's sandbox; a process may narrow it (see config/sandbox.ts). */
  sandbox: sandboxSchema.optional(),
  /** One-off tasks: finished ones remembered (`history`), and how many may wait (`max_queued`). */
  tasks: z
    .strictObject({
      history: count(0, BOUNDS.taskHistory).optional(),
      max_queued: count(1, BOUNDS.maxQueuedTasks).optional(),
    })
    .optional(),
  tui: dashboardSchema.optional(),
  workflows: workflowsSchema.optional(),
  api: z
    .strictObject({
      listen: listenAddress.optional(),
      token: z.string().min(16, 'expected a token of at least 16 characters').optional(),
    })
    .refine((api) => api.listen === undefined || api.token !== undefined, {
      message: 'required when api.listen is set: the TCP listener always asks for a bearer token',
      path: ['token'],
    })
    .optional(),
});

export const projectSchema = z.strictObject({
  version: z.literal(1, { error: 'expected 1 (the only version so far)' }),
  name: z
    .string()
    .regex(PROCESS_NAME_PATTERN, { message: 'expected a plain name', abort: true })
    .max(MAX_NAME_LENGTH, `expected a name of at most ${MAX_NAME_LENGTH} characters`)
    .optional(),
  settings: settingsSchema.optional(),
  /** Merged under every process before this schema sees them (see config/defaults.ts). */
  defaults: defaultsSchema.optional(),
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
    }),
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
