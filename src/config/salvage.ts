/**
 * The parts of an invalid config that are valid on their own: its settings, and each
 * process entry, or what is valid of it. The schema gives no output for a config it
 * refuses, so these parts are read again here, on that path only, so that what they ask of
 * the sandbox and the machine is reported with the schema's issues, all at once.
 */
import { PARSE_OPTIONS } from './messages.js';
import { processEntrySchema, processNameSchema } from './process-schema.js';
import { type ParsedProject, settingsSchema } from './project-schema.js';

/** The valid parts of `value`, a config the schema refused, as a config of their own. */
export function validParts(value: unknown): ParsedProject {
  const { settings, processes } = asRecord(value);
  const parsedSettings = settingsSchema.safeParse(settings, PARSE_OPTIONS);
  const entries = Object.entries(asRecord(processes)).flatMap(([name, entry]) => {
    const parsed = validEntryPart(entry);
    return processNameSchema.safeParse(name).success && parsed ? [[name, parsed] as const] : [];
  });
  return {
    version: 1,
    settings: parsedSettings.success ? parsedSettings.data : undefined,
    processes: Object.fromEntries(entries),
  };
}

/**
 * A process entry, or what is valid of it: its keys that are not, left out (a bad
 * `instances` must not hide a missing `cwd`). Without a valid `command`, nothing.
 */
function validEntryPart(entry: unknown) {
  const parsed = processEntrySchema.safeParse(entry, PARSE_OPTIONS);
  if (parsed.success) return parsed.data;
  const bad = new Set(parsed.error.issues.map((issue) => issue.path[0]));
  if (bad.has('command') || bad.has(undefined)) return undefined;
  const rest = Object.fromEntries(Object.entries(asRecord(entry)).filter(([key]) => !bad.has(key)));
  const retried = processEntrySchema.safeParse(rest, PARSE_OPTIONS);
  return retried.success ? retried.data : undefined;
}

/** `value` when it is a map, else an empty one. */
export function asRecord(value: unknown): Readonly<Record<string, unknown>> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value));
}
