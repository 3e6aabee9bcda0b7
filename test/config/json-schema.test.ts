/**
 * overseer.yaml's JSON Schema against the loader `overseer validate` runs: every config of
 * the repository passes both, and a table of good and bad configs, section by section, is
 * accepted or refused by both alike. The schema is checked with ajv (draft 2020-12), on the
 * YAML as an editor reads it: parsed, `<<:` merge keys resolved, nothing interpolated.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { starterConfig } from '../../src/cli/starter-config.js';
import { projectJsonSchema } from '../../src/config/json-schema.js';
import { loadProject } from '../../src/config/load.js';
import { LOADER_ONLY, SCHEMA_TABLE, TABLE_ENV } from '../fixtures/configs/schema-table.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What `${VAR}` reads in these configs: set ones, and PATH for the programs. */
const ENV = { PATH: process.env.PATH, ...TABLE_ENV };

// `uri` as editors check it: a URL that parses (ajv leaves formats to ajv-formats).
const validate = new Ajv2020({ allErrors: true, allowUnionTypes: true })
  .addFormat('uri', (text: string) => URL.canParse(text))
  .compile(projectJsonSchema());

const dir = mkdtempSync(join(tmpdir(), 'overseer-schema-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Whether the schema accepts `text`, and ajv's errors when it does not. */
function schemaVerdict(text: string): { ok: boolean; errors: unknown } {
  const ok = validate(parse(text, { merge: true })) as boolean;
  return { ok, errors: validate.errors };
}

/** Whether the loader accepts `text`, written as overseer.yaml in the test folder. */
async function loaderVerdict(text: string): Promise<boolean> {
  const path = join(dir, 'overseer.yaml');
  writeFileSync(path, text);
  try {
    await loadProject(path, ENV);
    return true;
  } catch {
    return false;
  }
}

describe('overseer.yaml JSON Schema', () => {
  it('is a table of at least 30 configs, good and bad', () => {
    expect(SCHEMA_TABLE.length).toBeGreaterThanOrEqual(30);
    expect(SCHEMA_TABLE.some((row) => row.valid)).toBe(true);
    expect(SCHEMA_TABLE.some((row) => !row.valid)).toBe(true);
  });

  it.each(SCHEMA_TABLE)('agrees with the loader: $title', async ({ text, valid }) => {
    expect(await loaderVerdict(text)).toBe(valid);
    const verdict = schemaVerdict(text);
    expect(verdict.ok, JSON.stringify(verdict.errors)).toBe(valid);
  });

  it.each(LOADER_ONLY)('leaves to the loader: $title', async ({ text }) => {
    expect(await loaderVerdict(text)).toBe(false);
    expect(schemaVerdict(text).ok).toBe(true);
  });

  it('accepts every example config of the repository, as the loader does', async () => {
    const files = [
      ...readdirSync(join(ROOT, 'examples')).map((name) => join('examples', name, 'overseer.yaml')),
      'test/fixtures/configs/equivalent/overseer.yaml',
    ].filter((file) => readdirSync(join(ROOT, file, '..')).includes('overseer.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const file of files) {
      const verdict = schemaVerdict(readFileSync(join(ROOT, file), 'utf8'));
      expect(verdict.ok, `${file}: ${JSON.stringify(verdict.errors)}`).toBe(true);
    }
  });

  it('accepts the starter config of `overseer init`, as the loader does', async () => {
    const text = starterConfig('./node_modules/overseer/overseer.schema.json');
    expect(schemaVerdict(text).ok).toBe(true);
    expect(await loaderVerdict(text)).toBe(true);
  });

  it('describes every key, so that an editor explains it on hover', () => {
    const undescribed: string[] = [];
    const visit = (node: Record<string, unknown>, path: string) => {
      const properties = (node.properties ?? {}) as Record<string, Record<string, unknown>>;
      for (const [key, child] of Object.entries(properties)) {
        if (typeof child.description !== 'string') undescribed.push(`${path}${key}`);
        visit(child, `${path}${key}.`);
      }
      for (const branch of (node.anyOf ?? []) as Record<string, unknown>[]) visit(branch, path);
      if (typeof node.additionalProperties === 'object') {
        visit(node.additionalProperties as Record<string, unknown>, `${path}*.`);
      }
    };
    visit(projectJsonSchema(), '');
    expect(undescribed).toEqual([]);
  });
});
