/**
 * `${VAR}` into a number or boolean key (`max_restarts: ${RESTARTS:-3}`): the environment
 * only holds strings, so an interpolated string is read as the number or boolean its key
 * expects. Only interpolated strings are read so: `max_restarts: "3"` written as a quoted
 * string stays a mistake, as YAML says it is a string.
 */
import type { z } from 'zod';

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const BOOLEANS: Readonly<Record<string, boolean>> = { true: true, false: false };

/**
 * `value` with every interpolated string that zod refused as a number or boolean read as
 * one, when it reads as one; `undefined` when there is none (nothing to validate again).
 * `interpolated` holds the dotted paths of interpolated strings.
 */
export function coerceInterpolated(
  value: unknown,
  issues: readonly z.core.$ZodIssue[],
  interpolated: ReadonlySet<string>,
): unknown {
  let copy: unknown;
  for (const issue of issues) {
    if (issue.code !== 'invalid_type') continue;
    if (!interpolated.has(issue.path.map(String).join('.'))) continue;
    // Never walk into an object's machinery, whatever a path says.
    if (issue.path.some((key) => UNSAFE_KEYS.has(String(key)))) continue;
    const written = valueAt(value, issue.path);
    if (typeof written !== 'string') continue;
    const read = scalarOf(written, issue.expected);
    if (read === undefined) continue;
    copy ??= structuredClone(value);
    setAt(copy, issue.path, read);
  }
  return copy;
}

function scalarOf(text: string, expected: string): number | boolean | undefined {
  const trimmed = text.trim();
  if ((expected === 'number' || expected === 'int') && NUMBER.test(trimmed)) return Number(trimmed);
  if (expected === 'boolean') return BOOLEANS[trimmed.toLowerCase()];
  return undefined;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function setAt(root: unknown, path: readonly PropertyKey[], value: unknown): void {
  let node = root as Record<PropertyKey, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<PropertyKey, unknown>;
  node[path[path.length - 1]!] = value;
}
