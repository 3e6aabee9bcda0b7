/**
 * The words of every config error zod would otherwise write itself. Schemas give their own
 * message where they know better (`expected a number ≥ 0`); every other issue is worded
 * here, so no raw "Invalid input: expected number, received string" reaches a user. It is
 * passed to each `safeParse` rather than set globally with `z.config`: a host application
 * that embeds the library keeps its own zod messages.
 */
import type { z } from 'zod';

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
