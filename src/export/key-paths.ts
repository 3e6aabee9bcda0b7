/**
 * The keys a config sets, as paths that a mapping table can be read by: `restart.delay`
 * under a process, `settings.api.listen` from the top. Maps keyed by names the user chose
 * (`env`, `labels`, `depends_on`) are one key each, so the table stays finite.
 */

/** Maps whose keys are the user's names: the map is the key. */
const NAMED_MAPS = new Set(['env', 'labels', 'settings.tui.theme', 'settings.alerts.headers']);

/** Values that validation made into objects (`tcp: 127.0.0.1:5432` → host and port, `memory_warn: 80%` → its share): one key. */
const PARSED_VALUES = new Set([
  'readiness.tcp',
  'liveness.tcp',
  'settings.api.listen',
  'limits.memory_warn',
]);

/** The keys a process entry sets (defaults merged in), as `restart.delay`, `env`, `depends_on`. */
export function processKeyPaths(entry: Readonly<Record<string, unknown>>): string[] {
  const paths: string[] = [];
  for (const [key, value] of Object.entries(entry)) {
    if (value === undefined || key === 'name') continue;
    if (key === 'depends_on') paths.push(...dependencyPaths(value));
    else if (key === 'schedule' && typeof value === 'string') paths.push('schedule.cron');
    else paths.push(...leafPaths(key, value));
  }
  return paths;
}

/** The keys of `settings` (and the top-level `name`), as `settings.logs.max_size`. */
export function projectKeyPaths(written: Readonly<Record<string, unknown>>): string[] {
  return Object.entries(written)
    .filter(([key, value]) => value !== undefined && key !== 'processes' && key !== 'defaults')
    .flatMap(([key, value]) => leafPaths(key, value));
}

function leafPaths(path: string, value: unknown): string[] {
  if (NAMED_MAPS.has(path) || PARSED_VALUES.has(path) || !isMap(value)) return [path];
  return Object.entries(value)
    .filter(([, item]) => item !== undefined)
    .flatMap(([key, item]) => leafPaths(`${path}.${key}`, item));
}

/** `depends_on` as a list, short or long form: one key, and `depends_on.restart` when asked. */
function dependencyPaths(value: unknown): string[] {
  const entries = isMap(value) ? Object.values(value) : [];
  const restarts = entries.some((entry) => isMap(entry) && entry.restart === true);
  return restarts ? ['depends_on', 'depends_on.restart'] : ['depends_on'];
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
