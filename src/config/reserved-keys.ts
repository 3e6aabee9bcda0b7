/**
 * Keys a JavaScript object cannot hold as data. A map key `__proto__` is dropped without a
 * word when an object is built from the map (zod's records skip it), so a process named so
 * would vanish from the stack, and a dependency or variable so named would be ignored.
 * They are looked for here, in the value as written, where they still are.
 */
import type { SpecIssue } from '../core/errors.js';
import { RESERVED_NAME_MESSAGE } from './process-schema.js';

const SWALLOWED = '__proto__';

/** What a variable named `__proto__` is told. */
export const RESERVED_VARIABLE_MESSAGE = 'expected a variable name other than __proto__';

/**
 * Issues of a whole config: a process, and each entry's own maps (see `entryKeyIssues`),
 * those of `defaults` included.
 */
export function reservedKeyIssues(config: unknown): SpecIssue[] {
  const defaults = entryKeyIssues(ownRecord(config)?.defaults, 'defaults.');
  const processes = ownRecord(ownRecord(config)?.processes);
  if (processes === undefined) return defaults;
  return defaults.concat(
    Object.keys(processes).flatMap((name) =>
      name === SWALLOWED
        ? [{ path: `processes.${name}`, message: RESERVED_NAME_MESSAGE }]
        : entryKeyIssues(processes[name], `processes.${name}.`),
    ),
  );
}

/** Issues of one process entry: a `depends_on` or `env` key `__proto__`; paths after `prefix`. */
export function entryKeyIssues(entry: unknown, prefix = ''): SpecIssue[] {
  const record = ownRecord(entry);
  const issues: SpecIssue[] = [];
  if (hasSwallowedKey(record?.depends_on)) {
    issues.push({ path: `${prefix}depends_on.${SWALLOWED}`, message: RESERVED_NAME_MESSAGE });
  }
  if (hasSwallowedKey(record?.env)) {
    issues.push({ path: `${prefix}env.${SWALLOWED}`, message: RESERVED_VARIABLE_MESSAGE });
  }
  return issues;
}

function hasSwallowedKey(value: unknown): boolean {
  return ownRecord(value) !== undefined && Object.hasOwn(value as object, SWALLOWED);
}

function ownRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
