/**
 * The JSON Schema of overseer.yaml (`overseer schema`, and overseer.schema.json in the
 * package), generated from the zod schemas that validate it, so that an editor completes,
 * explains and checks the keys exactly as the loader reads them. It describes the file as a
 * person writes it (zod's `input` side: `timeout: 5s`, not milliseconds), and adds what the
 * loader accepts before the zod schemas see the config:
 * - top-level `x-` keys, which are dropped unread (extension-keys.ts);
 * - `${VAR}` in any value that is checked, which is interpolated first (interpolate.ts), and
 *   read as a number or a boolean where one is expected (coerce.ts);
 * - a nested key of a process that `defaults:` may provide (`watch.paths` under a default
 *   `watch`): the schema sees one file, not the merge (defaults.ts).
 * `<<:` merge keys need nothing: editors resolve them before they validate.
 * What a JSON Schema cannot say (a key that needs another, `max_delay` at least `delay`, a
 * cron expression's fields) is left to `overseer validate`; docs/editor.md lists it.
 */
import { z } from 'zod';
import { projectSchema } from './project-schema.js';

/** A JSON Schema node, as plain data. */
type JsonSchema = { [key: string]: unknown };

/** `${VAR}` or `${VAR:-default}`, anywhere in a string. */
const INTERPOLATED: JsonSchema = {
  type: 'string',
  pattern: '\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the text names the syntax itself.
  description: 'A ${VAR} or ${VAR:-default} reference, read from the environment when loaded.',
};
const INTERPOLATED_REF = { $ref: '#/$defs/interpolated' };

/** What a node keeps for itself when its checks move into an `anyOf`: what explains it. */
const ANNOTATIONS = ['title', 'description', 'examples', 'default', 'deprecated'];

/** The JSON Schema of overseer.yaml, draft 2020-12. */
export function projectJsonSchema(): JsonSchema {
  const generated = z.toJSONSchema(projectSchema, {
    target: 'draft-2020-12',
    io: 'input',
    // A refinement or a transform has no JSON Schema: it is checked by `overseer validate`.
    unrepresentable: 'any',
  }) as JsonSchema;
  const { $schema, ...rest } = generated;
  const root: JsonSchema = {
    $schema,
    title: 'overseer.yaml',
    description: 'The config of an overseer project: its processes, their defaults and settings.',
    ...acceptingInterpolation(rest),
    patternProperties: {
      '^x-': { description: 'Read by nobody: a place for YAML anchors and other tools’ notes.' },
    },
  };
  const processes = (root.properties as Record<string, JsonSchema>).processes!;
  processes.additionalProperties = withoutNestedRequired(
    processes.additionalProperties as JsonSchema,
  );
  root.$defs = { ...(root.$defs as object | undefined), interpolated: INTERPOLATED };
  return root;
}

/** The schema as `overseer schema` prints it and the package ships it. */
export function projectJsonSchemaText(): string {
  return `${JSON.stringify(projectJsonSchema(), null, 2)}\n`;
}

/**
 * `node` with every checked scalar also taking a `${VAR}` string: a number, a boolean, an
 * enum, a pattern. A `const` (`version: 1`) is not: the loader reads it as written.
 */
function acceptingInterpolation(node: JsonSchema): JsonSchema {
  const copy: JsonSchema = { ...node };
  if (isObject(copy.properties)) {
    copy.properties = mapValues(copy.properties, acceptingInterpolation);
  }
  if (isObject(copy.additionalProperties)) {
    copy.additionalProperties = acceptingInterpolation(copy.additionalProperties);
  }
  if (isObject(copy.items)) copy.items = acceptingInterpolation(copy.items);
  for (const key of ['oneOf', 'allOf'] as const) {
    const branches = copy[key];
    if (Array.isArray(branches)) copy[key] = branches.map(acceptingInterpolation);
  }
  if (Array.isArray(copy.anyOf)) {
    // One more branch for the union (a duration's number or string), not one per branch.
    const branches = (copy.anyOf as JsonSchema[]).map((branch) =>
      isCheckedScalar(branch) ? branch : acceptingInterpolation(branch),
    );
    copy.anyOf = branches.some(isCheckedScalar) ? [...branches, INTERPOLATED_REF] : branches;
    return copy;
  }
  if (!isCheckedScalar(copy)) return copy;
  const kept = Object.fromEntries(ANNOTATIONS.filter((k) => k in copy).map((k) => [k, copy[k]]));
  const checks = Object.fromEntries(
    Object.entries(copy).filter(([key]) => !ANNOTATIONS.includes(key)),
  );
  return { ...kept, anyOf: [checks, INTERPOLATED_REF] };
}

function isCheckedScalar(node: JsonSchema): boolean {
  if ('const' in node || 'anyOf' in node) return false;
  if (node.type === 'number' || node.type === 'integer' || node.type === 'boolean') return true;
  return (
    node.type === 'string' && ['pattern', 'enum', 'format', 'maxLength'].some((key) => key in node)
  );
}

/**
 * A process entry whose nested maps require nothing: `defaults:` is merged under each
 * process key by key, so `watch: {debounce: 1s}` is whole once a default `watch` gives its
 * `paths`. Only `command`, which `defaults:` may not hold, stays required.
 */
function withoutNestedRequired(entry: JsonSchema): JsonSchema {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (!isObject(node)) return node;
    const { required: _, not, ...rest } = node;
    // `not` says what may not be written together: it stays whole.
    return { ...mapValues(rest, strip), ...(not === undefined ? {} : { not }) };
  };
  return { ...entry, properties: strip(entry.properties) };
}

function isObject(value: unknown): value is JsonSchema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function mapValues(object: JsonSchema, map: (value: JsonSchema) => unknown): JsonSchema {
  return Object.fromEntries(
    Object.entries(object).map(([key, value]) => [key, map(value as JsonSchema)]),
  );
}
