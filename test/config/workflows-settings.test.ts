/**
 * `settings.workflows` as a project carries it: the store made absolute against the
 * config's folder (default `<state_dir>/workflows.db`), a PostgreSQL URL kept as written
 * after interpolation, and what is neither refused naming the key.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/config/load.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function workflowsIn(settings: string, env: NodeJS.ProcessEnv = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'overseer-workflows-settings-'));
  dirs.push(dir);
  writeFileSync(
    join(dir, 'overseer.yaml'),
    `version: 1\nsettings:\n${settings}\nprocesses:\n  api:\n    command: node api.js\n`,
  );
  const project = await loadProject(join(dir, 'overseer.yaml'), env);
  return { dir, workflows: project.settings.workflows };
}

describe('settings.workflows', () => {
  it('defaults to workflows.db in the state dir, schema overseer', async () => {
    const { dir, workflows } = await workflowsIn('  state_dir: run');
    expect(workflows).toEqual({ store: join(dir, 'run', 'workflows.db'), schema: 'overseer' });
  });

  it('resolves a file against the config folder and keeps an interpolated URL', async () => {
    const file = await workflowsIn('  workflows: { store: data/runs.db }');
    expect(file.workflows.store).toBe(join(file.dir, 'data', 'runs.db'));
    const url = await workflowsIn(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's own interpolation
      '  workflows: { store: "postgres://app:${PG_PASSWORD}@db:5432/app", schema: jobs }',
      { PG_PASSWORD: 's3cret' },
    );
    expect(url.workflows).toEqual({ store: 'postgres://app:s3cret@db:5432/app', schema: 'jobs' });
  });

  it.each([
    [
      '{ store: "mysql://db/app" }',
      /settings\.workflows\.store: expected a SQLite file path or a postgres:\/\/ URL/,
    ],
    ['{ store: "postgres://[bad" }', /settings\.workflows\.store: expected a postgres:\/\/user/],
    ['{ schema: "my-schema" }', /settings\.workflows\.schema: expected a plain SQL name/],
    ['{ stores: x.db }', /settings\.workflows/],
  ])('refuses %s naming the key', async (written, message) => {
    await expect(workflowsIn(`  workflows: ${written}`)).rejects.toThrow(message);
  });
});
