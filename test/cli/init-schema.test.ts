/**
 * `overseer schema` and `overseer init` through the built binary (dist/cli/main.js: run
 * `npm run build` first): the schema printed is the file the package ships, and the starter
 * config is written once, kept after, and valid as written.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, createProject, overseer } from './helpers.js';

const SHIPPED = fileURLToPath(new URL('../../overseer.schema.json', import.meta.url));

afterEach(cleanup);

describe('overseer schema', () => {
  it('prints the JSON Schema the package ships, byte for byte', async () => {
    const project = createProject('');
    const result = await overseer(project, ['schema']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(readFileSync(SHIPPED, 'utf8'));
    expect(JSON.parse(String(result.stdout))).toMatchObject({
      title: 'overseer.yaml',
      required: ['version', 'processes'],
    });
  });
});

describe('overseer init', () => {
  it('writes a starter config that validates, then refuses to overwrite it without --force', async () => {
    const project = createProject('');
    const file = join(project.dir, 'starter.yaml');

    const written = await overseer(project, ['init', '-f', 'starter.yaml']);
    expect(written.exitCode).toBe(0);
    const text = readFileSync(file, 'utf8');
    // No node_modules/overseer here: the running overseer's own schema.
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=${SHIPPED}`);
    const validated = await overseer(project, ['validate', '-f', 'starter.yaml']);
    expect(validated.exitCode).toBe(0);
    expect(validated.stdout).toContain('is valid: 2 process(es)');

    const again = await overseer(project, ['init', '-f', 'starter.yaml']);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toBe(
      'overseer: starter.yaml already exists: pass --force to overwrite it\n',
    );

    const forced = await overseer(project, ['init', '-f', 'starter.yaml', '--force']);
    expect(forced.exitCode).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });
});
