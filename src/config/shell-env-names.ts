/**
 * The `env` variables of each process whose values a YAML config takes from the shell: a
 * `${NAME}` in the value (in the process's `env` or in `defaults.env`) that the shell sets
 * (`${PORT:-3000}` with PORT unset is the file's own default). Read from the text: the
 * loaded project holds only the values they came to.
 */
import { parse } from 'yaml';

export function shellEnvNames(
  configText: string,
  env: NodeJS.ProcessEnv = process.env,
): Map<string, Set<string>> {
  const document = parse(configText, { merge: true, maxAliasCount: 100 }) as {
    defaults?: { env?: unknown };
    processes?: Record<string, { env?: unknown } | null>;
  } | null;
  const fromShell = (written: unknown) =>
    typeof written === 'object' && written !== null
      ? Object.entries(written)
          .filter(([, value]) => typeof value === 'string' && setVariables(value, env).length > 0)
          .map(([key]) => key)
      : [];
  const everywhere = fromShell(document?.defaults?.env);
  const names = new Map<string, Set<string>>();
  for (const [name, entry] of Object.entries(document?.processes ?? {})) {
    names.set(name, new Set([...everywhere, ...fromShell(entry?.env)]));
  }
  return names;
}

/** A value of a process's entry, outside `env`, that a `${NAME}` takes from the shell. */
export interface ShellValue {
  /** The declared process. */
  readonly process: string;
  /** Where, as written under the process: `command`, `readiness.http`, `labels.team`. */
  readonly key: string;
  /** The shell variable it takes. */
  readonly variable: string;
}

/**
 * Every `${NAME}` the shell sets in a process's entry outside `env` (a command, a probe, a
 * label), `defaults` included where the process does not set the same key: an export
 * writes the value it came to, which a user must know of, and never a secret.
 */
export function shellValues(
  configText: string,
  env: NodeJS.ProcessEnv = process.env,
): ShellValue[] {
  const document = parse(configText, { merge: true, maxAliasCount: 100 }) as {
    defaults?: unknown;
    processes?: Record<string, unknown>;
  } | null;
  const fromDefaults = referencesIn(document?.defaults, [], env);
  const found: ShellValue[] = [];
  for (const [process, entry] of Object.entries(document?.processes ?? {})) {
    const own = referencesIn(entry, [], env);
    const ownKeys = new Set(own.map(({ key }) => key));
    const inherited = fromDefaults.filter(({ key }) => !ownKeys.has(key) && !setsKey(entry, key));
    for (const { key, variable } of [...own, ...inherited]) found.push({ process, key, variable });
  }
  return found;
}

/** The `${NAME}`s the shell sets in the strings beneath `value`, `env` left out, by key. */
function referencesIn(
  value: unknown,
  path: readonly string[],
  env: NodeJS.ProcessEnv,
): Array<{ key: string; variable: string }> {
  if (typeof value === 'string') {
    return setVariables(value, env).map((variable) => ({ key: path.join('.'), variable }));
  }
  if (typeof value !== 'object' || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((item) => referencesIn(item, path, env));
  return Object.entries(value)
    .filter(([key]) => !(path.length === 0 && key === 'env'))
    .flatMap(([key, item]) => referencesIn(item, [...path, key], env));
}

/** Whether `entry` sets the dotted `key` itself (then a default's value is not used). */
function setsKey(entry: unknown, key: string): boolean {
  let at: unknown = entry;
  for (const part of key.split('.')) {
    if (typeof at !== 'object' || at === null || !(part in at)) return false;
    at = (at as Record<string, unknown>)[part];
  }
  return true;
}

/** The variables the shell sets that `value` refers to (`$${NAME}` is an escape, not one). */
function setVariables(value: string, env: NodeJS.ProcessEnv): string[] {
  return [...value.matchAll(/(\$?)\$\{([A-Za-z_][A-Za-z0-9_]*)/g)]
    .filter(([, escaped, name]) => escaped === '' && env[name!] !== undefined)
    .map(([, , name]) => name!);
}
