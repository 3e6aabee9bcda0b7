/**
 * The schema of a whole overseer.yaml (DESIGN §3): `version`, `name`, `settings` and
 * `processes`. Unknown keys are errors at every level.
 */
import { z } from 'zod';
import {
  durationSchema,
  logsSchema,
  PROCESS_NAME_PATTERN,
  processEntrySchema,
  processNameSchema,
} from './process-schema.js';
import { sandboxSchema } from './sandbox.js';

const listenAddress = z
  .string()
  .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'expected host:port, e.g. 127.0.0.1:9615');

const settingsSchema = z.strictObject({
  max_processes: z
    .number()
    .int('expected a whole number ≥ 1')
    .min(1, 'expected a number ≥ 1')
    .optional(),
  state_dir: z.string().min(1).optional(),
  logs: logsSchema.optional(),
  /** Between two resource samples of every process tree; 0 turns sampling off. */
  sample_interval: durationSchema.optional(),
  /** Every process's sandbox; a process may narrow it (see config/sandbox.ts). */
  sandbox: sandboxSchema.optional(),
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
  name: z.string().regex(PROCESS_NAME_PATTERN, 'expected a plain name').optional(),
  settings: settingsSchema.optional(),
  processes: z
    .record(processNameSchema, processEntrySchema, {
      error: 'expected a map of process names to their settings',
    })
    // On the map, not the whole config: a refinement of the whole runs only once every
    // other key is valid, and all issues are reported at once.
    .refine((processes) => Object.keys(processes).length > 0, {
      message: 'expected at least one process',
    }),
});

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
