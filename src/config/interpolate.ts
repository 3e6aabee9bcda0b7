/**
 * `${VAR}` and `${VAR:-default}` in string values, from the environment. `$$` writes a
 * literal `$`. A variable that is unset and has no default is an error, never an empty
 * string: a missing token must not quietly become no token.
 */
import type { SpecIssue } from '../core/errors.js';

const REFERENCE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$\{([^}]*)\}?/g;

/** How deep a config may nest: the deepest key of the schema is 6 levels down. */
export const MAX_DEPTH = 32;

/**
 * Replaces references in every string of `value` (deeply); collects an issue per problem.
 * `onInterpolated` is told the path of every string that held a reference, so that a
 * number or boolean key given as `${VAR}` can be read as one (see coerce.ts). Nesting
 * deeper than `MAX_DEPTH` is an issue: no key of a config lies that deep.
 */
export function interpolate(
  value: unknown,
  env: NodeJS.ProcessEnv,
  issues: SpecIssue[],
  path: readonly string[] = [],
  onInterpolated?: (path: string) => void,
): unknown {
  if (typeof value === 'string') {
    const text = interpolateString(value, env, issues, path.join('.'));
    if (text !== value || value.includes('${')) onInterpolated?.(path.join('.'));
    return text;
  }
  if (value === null || typeof value !== 'object') return value;
  if (path.length >= MAX_DEPTH) {
    issues.push({ path: path.join('.'), message: `nested deeper than ${MAX_DEPTH} levels` });
    return undefined;
  }
  if (Array.isArray(value)) {
    return value.map((item, index) =>
      interpolate(item, env, issues, [...path, String(index)], onInterpolated),
    );
  }
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      interpolate(item, env, issues, [...path, key], onInterpolated),
    ]),
  );
}

function interpolateString(
  text: string,
  env: NodeJS.ProcessEnv,
  issues: SpecIssue[],
  path: string,
): string {
  return text.replace(REFERENCE, (match, name?: string, fallback?: string) => {
    if (match === '$$') return '$';
    if (name === undefined) {
      issues.push({
        path,
        message: `${JSON.stringify(match)} is not a variable reference (expected \${NAME} or \${NAME:-default})`,
      });
      return match;
    }
    const found = env[name];
    // As in compose files: `:-` also replaces an empty value; a bare reference keeps it.
    if (fallback !== undefined) return found === undefined || found === '' ? fallback : found;
    if (found !== undefined) return found;
    issues.push({
      path,
      message: `\${${name}} is not set (write \${${name}:-default} to give a fallback)`,
    });
    return match;
  });
}

/**
 * The variables whose values `env` gives `text` as `interpolate` reads it: `$$` is a
 * literal `$`, not the start of a reference, and a `${NAME:-default}` whose NAME is unset
 * or empty takes the file's own default.
 */
export function variablesTakenFrom(text: string, env: NodeJS.ProcessEnv): string[] {
  const taken: string[] = [];
  for (const [match, name, fallback] of text.matchAll(REFERENCE)) {
    if (match === '$$' || name === undefined) continue;
    const found = env[name];
    if (found === undefined || (fallback !== undefined && found === '')) continue;
    taken.push(name);
  }
  return taken;
}
