/**
 * Never a silent drop: every key of a config that sets every key is, for each format,
 * either carried (its table says where) or listed among what did not carry over. And the
 * tables know every key the config schema has, so a new key fails here until it is placed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { z } from 'zod';
import { processEntrySchema } from '../../src/config/process-schema.js';
import { settingsSchema } from '../../src/config/project-schema.js';
import { SUPERVISOR_SETTINGS } from '../../src/export/coverage.js';
import { exportProject, KEY_TABLES } from '../../src/export/export-project.js';
import { EXPORT_FORMATS } from '../../src/export/model.js';
import { EVERY_KEY_CONFIG, everyKeyProject, inputOf } from './helpers.js';

const TABLES = KEY_TABLES;

/** Maps whose keys are names the user chose: the map is one key. */
const NAMED = new Set(['env', 'labels', 'settings.tui.theme', 'settings.alerts.headers']);

/**
 * Every key the YAML text writes, as the tables name it: under a process without
 * `processes.NAME.`, `defaults.` likewise (it is merged under each process), a short
 * `schedule` as `schedule.cron`, a dependency's condition as `depends_on`.
 */
function writtenKeys(value: unknown, path: string[] = []): string[] {
  const at = path.join('.');
  if (path[0] === 'processes' && path.length === 2) {
    return Object.entries(value as object).flatMap(([key, item]) => writtenKeys(item, [key]));
  }
  if (path[0] === 'defaults' && path.length === 1) {
    return Object.entries(value as object).flatMap(([key, item]) => writtenKeys(item, [key]));
  }
  if (path[0] === 'depends_on') {
    if (path.length < 3 && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return Object.entries(value).flatMap(([key, item]) => writtenKeys(item, [...path, key]));
    }
    return [path[2] === 'restart' ? 'depends_on.restart' : 'depends_on'];
  }
  if (at === 'schedule' && typeof value === 'string') return ['schedule.cron'];
  if (NAMED.has(at) || typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [at];
  }
  return Object.entries(value).flatMap(([key, item]) => writtenKeys(item, [...path, key]));
}

/** Every key a zod schema of objects has, down to its leaves (maps of names are one key). */
function schemaKeys(schema: z.ZodType, path: string[] = []): string[] {
  const def = (schema as unknown as { def: Record<string, unknown> }).def;
  const at = path.join('.');
  if (NAMED.has(at) || at === 'depends_on') return [at];
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
      return schemaKeys(def.innerType as z.ZodType, path);
    case 'pipe':
      return schemaKeys(def.in as z.ZodType, path);
    case 'union': {
      const objects = (def.options as z.ZodType[]).filter(
        (option) => (option as unknown as { def: { type: string } }).def.type === 'object',
      );
      return objects.length > 0 ? schemaKeys(objects[0]!, path) : [at];
    }
    case 'object':
      return Object.entries(def.shape as Record<string, z.ZodType>).flatMap(([key, item]) =>
        schemaKeys(item, [...path, key]),
      );
    default:
      return [at];
  }
}

describe('every config key, in every format', () => {
  const written = [...new Set(writtenKeys(parse(EVERY_KEY_CONFIG)))].filter(
    (key) => key !== 'processes',
  );

  it('the config sets every key the schema has', () => {
    const known = [
      ...schemaKeys(processEntrySchema),
      'depends_on.restart',
      ...schemaKeys(settingsSchema, ['settings']),
      'version',
      'name',
    ];
    expect(known.filter((key) => !written.includes(key))).toEqual([]);
  });

  for (const format of EXPORT_FORMATS) {
    it(`${format}: each key is mapped or listed, and each one listed is in the losses`, async () => {
      const table = TABLES[format];
      const unknown = written.filter(
        (key) => table[key] === undefined && SUPERVISOR_SETTINGS[key] === undefined,
      );
      expect(unknown).toEqual([]);
      const result = exportProject(inputOf(await everyKeyProject()), format);
      const lostKeys = written.filter((key) => {
        const mapping = table[key] ?? SUPERVISOR_SETTINGS[key]!;
        return 'lost' in mapping;
      });
      const listed = new Set(result.losses.map((loss) => loss.key));
      expect(lostKeys.filter((key) => !listed.has(key))).toEqual([]);
      // Listed, and said atop the files too.
      const text = result.files.map((file) => file.text).join('\n');
      for (const key of lostKeys) expect(text).toContain(`${key}`);
    });
  }

  it('docs/deployment.md has a row for every key of the tables', () => {
    const doc = readFileSync(new URL('../../docs/deployment.md', import.meta.url), 'utf8');
    const keys = new Set(Object.values(TABLES).flatMap((table) => Object.keys(table)));
    expect([...keys].filter((key) => !doc.includes(`\n| \`${key}\` |`))).toEqual([]);
  });
});
