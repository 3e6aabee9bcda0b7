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
          .filter(([, value]) => typeof value === 'string' && referencesSet(value, env))
          .map(([key]) => key)
      : [];
  const everywhere = fromShell(document?.defaults?.env);
  const names = new Map<string, Set<string>>();
  for (const [name, entry] of Object.entries(document?.processes ?? {})) {
    names.set(name, new Set([...everywhere, ...fromShell(entry?.env)]));
  }
  return names;
}

/** Whether `value` refers to a variable the shell sets (`$${NAME}` is an escape, not one). */
function referencesSet(value: string, env: NodeJS.ProcessEnv): boolean {
  return [...value.matchAll(/(\$?)\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].some(
    ([, escaped, name]) => escaped === '' && env[name!] !== undefined,
  );
}
