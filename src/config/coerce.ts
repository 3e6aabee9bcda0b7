/**
 * `${VAR}` into a number or boolean key (`max_restarts: ${RESTARTS:-3}`): the environment
 * only holds strings, so an interpolated string is read as the number or boolean its key
 * expects, before the config is validated. Only interpolated strings are read so:
 * `max_restarts: "3"` written as a quoted string stays a mistake, as YAML says it is a
 * string. What a key expects is read off the schema itself, so no list of keys can drift
 * from it.
 */
import { z } from 'zod';

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const BOOLEANS: Readonly<Record<string, boolean>> = { true: true, false: false };

/** Any schema, as the parts of a zod schema are typed. */
type Schema = z.core.$ZodType;

/**
 * `value` with every interpolated string in a key where `schema` expects a number or a
 * boolean read as one, when it reads as one; `value` itself when there is none.
 * `interpolated` holds the dotted paths of interpolated strings.
 */
export function readInterpolatedScalars(
  value: unknown,
  interpolated: ReadonlySet<string>,
  schema: Schema,
): unknown {
  let copy: unknown;
  for (const dotted of interpolated) {
    const path = dotted.split('.');
    // Never walk into an object's machinery, whatever a path says.
    if (path.some((key) => UNSAFE_KEYS.has(key))) continue;
    const written = valueAt(copy ?? value, path);
    if (typeof written !== 'string') continue;
    const read = scalarOf(written, schemaAt(schema, path));
    if (read === undefined) continue;
    copy ??= structuredClone(value);
    setAt(copy, path, read);
  }
  return copy ?? value;
}

/**
 * The schema a value at `path` is checked by: through objects, maps and lists, past
 * `optional` and transforms. `undefined` where a path leaves the schema or meets a union,
 * which may take a string as it is.
 */
function schemaAt(schema: Schema, path: readonly string[]): Schema | undefined {
  let node: Schema | undefined = unwrap(schema);
  for (const key of path) {
    if (node instanceof z.ZodObject) {
      node = Object.hasOwn(node.shape, key) ? node.shape[key] : undefined;
    } else if (node instanceof z.ZodRecord) {
      node = node.valueType;
    } else if (node instanceof z.ZodArray) {
      node = node.element;
    } else {
      return undefined;
    }
    node = node && unwrap(node);
  }
  return node;
}

function unwrap(schema: Schema): Schema {
  let node = schema;
  for (;;) {
    if (node instanceof z.ZodOptional) node = node.unwrap();
    else if (node instanceof z.ZodPipe) node = node.in;
    else return node;
  }
}

function scalarOf(text: string, expected: Schema | undefined): number | boolean | undefined {
  const trimmed = text.trim();
  if (expected instanceof z.ZodNumber && NUMBER.test(trimmed)) return Number(trimmed);
  if (expected instanceof z.ZodBoolean) return BOOLEANS[trimmed.toLowerCase()];
  return undefined;
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = Reflect.get(node, key);
  }
  return node;
}

function setAt(root: unknown, path: readonly string[], value: unknown): void {
  const parent = valueAt(root, path.slice(0, -1));
  if (parent !== null && typeof parent === 'object') Reflect.set(parent, path.at(-1)!, value);
}
