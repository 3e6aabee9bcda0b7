/**
 * The `env` variables of each process whose values a YAML config takes from the shell: a
 * `${NAME}` in the value (in the process's `env` or in `defaults.env`) that the shell sets
 * (`${PORT:-3000}` with PORT unset is the file's own default). Read from the text: the
 * loaded project holds only the values they came to.
 */
import { parse } from 'yaml';
import { withDefaults } from './defaults.js';
import { variablesTakenFrom } from './interpolate.js';

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
          .filter(
            ([, value]) => typeof value === 'string' && variablesTakenFrom(value, env).length > 0,
          )
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
 * label), its `defaults` merged in as the loader merges them: an export writes the value
 * it came to, which a user must know of, and never a secret.
 */
export function shellValues(
  configText: string,
  env: NodeJS.ProcessEnv = process.env,
): ShellValue[] {
  const document = withDefaults(parse(configText, { merge: true, maxAliasCount: 100 })) as {
    processes?: Record<string, unknown>;
  } | null;
  const processes = document?.processes;
  if (typeof processes !== 'object' || processes === null) return [];
  return Object.entries(processes).flatMap(([process, entry]) =>
    referencesIn(entry, [], env).map(({ key, variable }) => ({ process, key, variable })),
  );
}

/** The `${NAME}`s the shell gives the strings beneath `value`, `env` left out, by key. */
function referencesIn(
  value: unknown,
  path: readonly string[],
  env: NodeJS.ProcessEnv,
): Array<{ key: string; variable: string }> {
  if (typeof value === 'string') {
    return variablesTakenFrom(value, env).map((variable) => ({ key: path.join('.'), variable }));
  }
  if (typeof value !== 'object' || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((item) => referencesIn(item, path, env));
  return Object.entries(value)
    .filter(([key]) => !(path.length === 0 && key === 'env'))
    .flatMap(([key, item]) => referencesIn(item, [...path, key], env));
}
