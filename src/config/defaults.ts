/**
 * `defaults:` at the top of overseer.yaml: process keys merged under every process, key by
 * key, before the config is validated. A process's own keys win; maps are merged deeply
 * (`restart`, `limits`, `env`, `labels`…), lists and plain values are replaced whole.
 *
 * Each key of `defaults` is checked on its own, as a process would have to write it, and
 * only the keys that pass are merged: a bad `defaults.restart.delay` is then reported once,
 * at `defaults.restart.delay`, rather than once per process. Issues a check finds later in a
 * value that a process did not write itself are moved back to `defaults` the same way
 * (`attributeToDefaults`).
 */
import { z } from 'zod';
import type { SpecIssue } from '../core/errors.js';
import { PARSE_OPTIONS } from './messages.js';
import { processEntrySchema } from './process-schema.js';

/** Why a key has no place in `defaults`: each process names its own. */
const OWN_KEY = (key: string) =>
  `not allowed in defaults: each process sets its own ${key} (a default would apply to every process)`;

/**
 * The schema of `defaults:`: any key of a process entry, each optional, except `command`
 * and `depends_on` (a default dependency would make the dependency depend on itself).
 */
export const defaultsSchema = processEntrySchema
  .omit({ command: true, depends_on: true })
  .partial()
  .extend({
    command: z
      .never({ error: OWN_KEY('command') })
      .describe('Not allowed in defaults: each process sets its own command.')
      .optional(),
    depends_on: z
      .never({ error: OWN_KEY('depends_on') })
      .describe('Not allowed in defaults: each process sets its own depends_on.')
      .optional(),
  });

/** The keys of a probe that say what it checks: a process naming one replaces the default's. */
const PROBE_CHECKS = ['http', 'tcp', 'exec', 'log'];
const PROBE_KEYS = new Set(['readiness', 'liveness']);

/**
 * `config` with the valid keys of its `defaults` merged under every process entry; the
 * config itself when it has no defaults, or when something is not a map (the schema then
 * says what).
 */
export function withDefaults(config: unknown): unknown {
  if (!isMap(config) || !isMap(config.defaults) || !isMap(config.processes)) return config;
  const defaults = validDefaults(config.defaults);
  if (Object.keys(defaults).length === 0) return config;
  const processes = Object.fromEntries(
    Object.entries(config.processes).map(([name, entry]) => [
      name,
      isMap(entry) ? mergeEntry(defaults, entry) : entry,
    ]),
  );
  return { ...config, processes };
}

/** The keys of `defaults` that pass their own check, as written. */
function validDefaults(defaults: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const shape = defaultsSchema.shape as Record<string, z.ZodType | undefined>;
  return Object.fromEntries(
    Object.entries(defaults).filter(([key, value]) => {
      const schema = shape[key];
      return schema?.safeParse(value, PARSE_OPTIONS).success === true;
    }),
  );
}

/** One process entry over the defaults: its own keys win, maps merge key by key. */
function mergeEntry(
  defaults: Readonly<Record<string, unknown>>,
  entry: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...defaults };
  for (const [key, own] of Object.entries(entry)) {
    const base = merged[key];
    if (PROBE_KEYS.has(key) && isMap(base) && isMap(own) && namesACheck(own)) {
      // A probe checks one thing: the process's `tcp:` replaces a default `http:`.
      merged[key] = mergeMaps(withoutChecks(base), own);
    } else {
      merged[key] = isMap(base) && isMap(own) ? mergeMaps(base, own) : own;
    }
  }
  return merged;
}

function mergeMaps(
  base: Readonly<Record<string, unknown>>,
  own: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(own)) {
    // Assigned, `__proto__` would set the prototype; reserved-keys.ts reports it.
    if (key === '__proto__') continue;
    const under = merged[key];
    merged[key] = isMap(under) && isMap(value) ? mergeMaps(under, value) : value;
  }
  return merged;
}

function namesACheck(probe: Readonly<Record<string, unknown>>): boolean {
  return PROBE_CHECKS.some((check) => Object.hasOwn(probe, check));
}

function withoutChecks(probe: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(probe).filter(([key]) => !PROBE_CHECKS.includes(key)));
}

/**
 * Issues about a process's value that the process did not write, but `defaults` did
 * (`processes.api.cwd: no such directory` for a `defaults.cwd`), moved to the default's
 * path, each once: that is where it is fixed. `config` is the config as written.
 */
export function attributeToDefaults(
  issues: readonly SpecIssue[],
  config: unknown,
): readonly SpecIssue[] {
  if (!isMap(config) || !isMap(config.defaults) || !isMap(config.processes)) return issues;
  const { defaults, processes } = config;
  const seen = new Set<string>();
  const attributed: SpecIssue[] = [];
  for (const issue of issues) {
    const [top, name, ...rest] = issue.path.split('.');
    const fromDefaults =
      top === 'processes' &&
      name !== undefined &&
      rest.length > 0 &&
      !has(processes[name], rest) &&
      has(defaults, rest);
    const moved = fromDefaults ? { ...issue, path: ['defaults', ...rest].join('.') } : issue;
    const key = `${moved.path}\n${moved.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    attributed.push(moved);
  }
  return attributed;
}

/** Whether `value` holds something at `path` (map keys and list indexes). */
function has(value: unknown, path: readonly string[]): boolean {
  let node = value;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return false;
    node = Reflect.get(node, key);
  }
  return true;
}

function isMap(value: unknown): value is Readonly<Record<string, unknown>> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
