/**
 * Whether a value is plain JSON: what a workflow records must come back from the store
 * as it went in, or a resumed run would see other values than the first run did. A `Date`
 * would come back a string, a `Map` an empty object, `NaN` null, `undefined` in an array
 * null: each is refused, named by where it sits, rather than quietly changed.
 */

/** What is wrong with `value` as JSON, naming where (`$.items[2].at`); undefined if nothing. */
export function jsonProblem(value: unknown, path = '$'): string | undefined {
  return problemAt(value, path, new Set());
}

function problemAt(value: unknown, path: string, seen: Set<object>): string | undefined {
  switch (typeof value) {
    case 'string':
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
      const problem = problemAt(entry, `${path}.${key}`, seen);
      if (problem) return problem;
    }
    return undefined;
  } finally {
    seen.delete(object);
  }
}
