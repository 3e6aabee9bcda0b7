/**
 * The words of every config error zod would otherwise write itself. Schemas give their own
 * message where they know better (`expected a number ≥ 0`); every other issue is worded
 * here, so no raw "Invalid input: expected number, received string" reaches a user. It is
 * passed to each `safeParse` rather than set globally with `z.config`: a host application
 * that embeds the library keeps its own zod messages. Issues then become `{path, message}`
 * with dotted paths, as every step of loading reports them.
 */
import type { z } from 'zod';
import type { SpecIssue } from '../core/errors.js';

/** What a value of each type zod checks for is called in a message. */
const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  tuple: 'a list',
  object: 'a map',
  record: 'a map',
  map: 'a map',
};

/** Options for `safeParse` that word every issue in the project's voice. */
export const PARSE_OPTIONS = { error: configErrorMessage } as const;

/** The message of an issue no schema worded itself. */
export function configErrorMessage(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}, got ${describeValue(issue.input)}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `expected ${formatChoice(issue.values[0])}, got ${describeValue(issue.input)}`
        : `expected one of ${issue.values.map(formatChoice).join(', ')}, got ${describeValue(issue.input)}`;
    case 'too_small':
      return `expected ${bound(issue.origin, issue.minimum, issue.inclusive, 'least')}`;
    case 'too_big':
      return `expected ${bound(issue.origin, issue.maximum, issue.inclusive, 'most')}`;
    case 'invalid_format':
      return issue.format === 'url'
        ? 'expected a URL'
        : `expected text in the ${issue.format} format`;
    case 'not_multiple_of':
      return `expected a multiple of ${issue.divisor}`;
    case 'unrecognized_keys':
      return 'unknown key';
    case 'invalid_key':
      return 'expected a plain name';
    case 'invalid_union':
      return `${describeValue(issue.input)} is none of the accepted forms`;
    default:
      return `${describeValue(issue.input)} is not accepted here`;
  }
}

/** `at least 1 item`, `a number ≥ 0`, `a number < 5`. */
function bound(
  origin: string,
  limit: number | bigint,
  inclusive: boolean | undefined,
  side: 'least' | 'most',
): string {
  switch (origin) {
    case 'string':
      return limit === 1 && side === 'least'
        ? 'a non-empty string'
        : `at ${side} ${limit} character${limit === 1 ? '' : 's'}`;
    case 'array':
    case 'set':
      return `at ${side} ${limit} item${limit === 1 ? '' : 's'}`;
    default: {
      const sign =
        side === 'least' ? (inclusive === false ? '>' : '≥') : inclusive === false ? '<' : '≤';
      return `a number ${sign} ${limit}`;
    }
  }
}

function formatChoice(value: unknown): string {
  return typeof value === 'string' ? value : String(value);
}

/** A short rendering of what was written: `"two"`, `42`, `a list`, `nothing`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  }
  return String(value);
}

/** The message of an issue about a key that is not allowed where it is written. */
export const UNKNOWN_KEY = 'unknown key';

/** Zod issues as `{path, message}` with dotted paths (`restart.max_restarts`). */
export function issuesFromZod(error: z.ZodError, prefix: readonly PropertyKey[] = []): SpecIssue[] {
  return error.issues.flatMap((issue) => flattenIssue(issue, prefix));
}

function flattenIssue(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[]): SpecIssue[] {
  const path = [...prefix, ...issue.path];
  switch (issue.code) {
    // One issue per unknown key, at the key itself: `restart.bogus: unknown key`.
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({ path: dotted([...path, key]), message: UNKNOWN_KEY }));
    // A bad map key (a process name): say what a name must be, not what the map must be.
    case 'invalid_key':
      return issue.issues.flatMap((inner) => flattenIssue(inner, path));
    case 'invalid_union': {
      // When only one alternative got past the type check (a map for `depends_on` with a bad
      // name in it), its own issues say what is wrong; "expected A or B" would not.
      const matched = issue.errors.filter((issues) => !issues.every(isTypeMismatchAtRoot));
      if (matched.length === 1) return matched[0]!.flatMap((inner) => flattenIssue(inner, path));
      return [{ path: dotted(path), message: issue.message }];
    }
    default:
      return [{ path: dotted(path), message: issue.message }];
  }
}

function isTypeMismatchAtRoot(issue: z.core.$ZodIssue): boolean {
  return issue.code === 'invalid_type' && issue.path.length === 0;
}

function dotted(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}
