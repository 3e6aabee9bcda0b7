/**
 * Where the `$schema` line of `overseer init` points: the project's own installed overseer,
 * found from the config's folder up, as a relative path; else the running overseer's schema;
 * else the path a project that installs overseer will have.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SCHEMA_REFERENCE, schemaReference } from '../../src/cli/schema-reference.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temp folder holding `files` (relative path → text). */
function folder(files: Record<string, string> = {}): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'overseer-ref-')));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const INSTALLED = 'node_modules/overseer/overseer.schema.json';

describe('schemaReference', () => {
  it('points at the project’s installed overseer, relative to the config', () => {
    const dir = folder({ [INSTALLED]: '{}' });
    expect(schemaReference(dir, undefined)).toBe(`./${INSTALLED}`);
  });

  it('finds it in a folder above the config', () => {
    const dir = folder({ [INSTALLED]: '{}', 'deploy/prod/.keep': '' });
    expect(schemaReference(join(dir, 'deploy', 'prod'), undefined)).toBe(`../../${INSTALLED}`);
  });

  it('falls back to the running overseer’s schema, then to the installed path', () => {
    const shipped = join(folder({ 'overseer.schema.json': '{}' }), 'overseer.schema.json');
    const empty = folder();
    expect(schemaReference(empty, shipped)).toBe(shipped);
    expect(schemaReference(empty, join(empty, 'missing.json'))).toBe(DEFAULT_SCHEMA_REFERENCE);
  });
});
