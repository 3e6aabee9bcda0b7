/**
 * `${VAR}` and `${VAR:-default}` in string values, from the environment. `$$` writes a
 * literal `$`. A variable that is unset and has no default is an error, never an empty
 * string: a missing token must not quietly become no token.
 */
import type { SpecIssue } from '../core/errors.js';

const REFERENCE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$\{([^}]*)\}?/g;

/** Replaces references in every string of `value` (deeply); collects an issue per problem. */
export function interpolate(
  value: unknown,
  env: NodeJS.ProcessEnv,
  issues: SpecIssue[],
  path: readonly string[] = [],
): unknown {
  if (typeof value === 'string') return interpolateString(value, env, issues, path.join('.'));
  if (Array.isArray(value)) {
    return value.map((item, index) => interpolate(item, env, issues, [...path, String(index)]));
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        interpolate(item, env, issues, [...path, key]),
      ]),
    );
  }
  return value;
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
