/**
 * `settings.log` as a project carries it: defaults applied, `all` anywhere meaning every
 * category, one name read as a list of one. The refusals are rows of
 * test/fixtures/configs/invalid.ts.
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

async function logSettings(log: string | undefined) {
  const dir = mkdtempSync(join(tmpdir(), 'overseer-log-settings-'));
  dirs.push(dir);
  const settings = log === undefined ? '' : `settings:\n  log: ${log}\n`;
  writeFileSync(
    join(dir, 'overseer.yaml'),
    `version: 1\n${settings}processes:\n  api:\n    command: node api.js\n`,
  );
  return (await loadProject(join(dir, 'overseer.yaml'), {})).settings.log;
}

describe('settings.log', () => {
  it.each([
    [undefined, { level: 'info', categories: 'all' }],
    ['{ level: debug }', { level: 'debug', categories: 'all' }],
    ['{ categories: all }', { level: 'info', categories: 'all' }],
    ['{ categories: [probe, all] }', { level: 'info', categories: 'all' }],
    ['{ categories: probe }', { level: 'info', categories: ['probe'] }],
    [
      '{ level: warn, categories: [api, store, api] }',
      { level: 'warn', categories: ['api', 'store'] },
    ],
  ])('%s → %o', async (written, expected) => {
    expect(await logSettings(written)).toEqual(expected);
  });
});
