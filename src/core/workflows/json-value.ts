/**
 * Whether a value is plain JSON: what a workflow records must come back from the store
 * as it went in, or a resumed run would see other values than the first run did. A `Date`
 * would come back a string, a `Map` an empty object, `NaN` null, `undefined` in an array
 * null: each is refused, named by where it sits, rather than quietly changed. So is text
 * that not every store can hold: PostgreSQL's jsonb refuses U+0000 and a lone half of a
 * surrogate pair, which would pass in memory and fail on the shared database.
 */

/** A high surrogate with no low one after it, or a low one with no high one before it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** What is wrong with `value` as JSON, naming where (`$.items[2].at`); undefined if nothing. */
export function jsonProblem(value: unknown, path = '$'): string | undefined {
  return problemAt(value, path, new Set());
}

function problemAt(value: unknown, path: string, seen: Set<object>): string | undefined {
  switch (typeof value) {
    case 'string':
      return textProblem(value, path);
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `${path} is ${value}, which JSON cannot hold`;
    case 'undefined':
      return `${path} is undefined, which JSON cannot hold (use null)`;
    case 'bigint':
    case 'symbol':
    case 'function':
      return `${path} is a ${typeof value}, which JSON cannot hold`;
  }
  if (value === null) return undefined;
  const object = value as object;
  if (seen.has(object)) return `${path} refers back to itself`;
  seen.add(object);
  try {
    if (Array.isArray(object)) {
      for (let index = 0; index < object.length; index++) {
        const problem = problemAt(object[index], `${path}[${index}]`, seen);
        if (problem) return problem;
      }
      return undefined;
    }
    const prototype = Object.getPrototypeOf(object);
    if (prototype !== Object.prototype && prototype !== null) {
      const kind = (object as { constructor?: { name?: string } }).constructor?.name ?? 'object';
      return `${path} is a ${kind}, which would not come back as one from JSON (record plain data, e.g. a Date as toISOString())`;
    }
    for (const [key, entry] of Object.entries(object)) {
      // An undefined property is left out by JSON, and absent it reads as undefined again.
      if (entry === undefined) continue;
      const problem =
        textProblem(key, `${path} key ${JSON.stringify(key)}`) ??
        problemAt(entry, `${path}.${key}`, seen);
      if (problem) return problem;
    }
    return undefined;
  } finally {
    seen.delete(object);
  }
}

function textProblem(text: string, path: string): string | undefined {
  if (text.includes('\u0000')) return `${path} holds U+0000, which PostgreSQL cannot store`;
  if (LONE_SURROGATE.test(text)) return `${path} holds half a surrogate pair, which is no text`;
  return undefined;
}
