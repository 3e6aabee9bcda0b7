// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} in config text is the subject here, not a template mistake
/** The small decisions every exporter shares: what looks secret, names, paths, cron fields. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/config/load.js';
import { exportProject } from '../../src/export/export-project.js';
import { lossLines } from '../../src/export/model.js';
import {
  dnsLabel,
  looksSecret,
  minuteCron,
  onTarget,
  processViews,
} from '../../src/export/process-view.js';
import { inputOf } from './helpers.js';

const folder = mkdtempSync(join(tmpdir(), 'ovv-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function writeConfig(yaml: string): string {
  const path = join(folder, 'overseer.yaml');
  writeFileSync(path, yaml);
  return path;
}

describe('what looks secret', () => {
  it.each([
    ['API_TOKEN', 'x'],
    ['DB_PASSWORD', 'x'],
    ['STRIPE_KEY', 'x'],
    ['secret', 'x'],
    ['AWS_CREDENTIALS', 'x'],
    ['DATABASE_URL', 'postgres://app:hunter2@db:5432/app'],
  ])('%s=%s does', (name, value) => expect(looksSecret(name, value)).toBe(true));

  it.each([
    ['PORT', '3000'],
    ['KEYBOARD_LAYOUT', 'fr'],
    ['MONKEY', 'x'],
    ['DATABASE_URL', 'postgres://db:5432/app'],
    ['HOME', '/home/app'],
  ])('%s=%s does not', (name, value) => expect(looksSecret(name, value)).toBe(false));
});

describe('names and paths on the target', () => {
  it('makes DNS labels of process names', () => {
    expect(dnsLabel('My_API.v2')).toBe('my-api-v2');
    expect(dnsLabel('worker')).toBe('worker');
    expect(dnsLabel(`a${'b'.repeat(70)}`)).toHaveLength(63);
  });

  it('puts relative paths under the root, normalized', () => {
    expect(onTarget('/srv/app', '.')).toBe('/srv/app');
    expect(onTarget('/srv/app', './src/')).toBe('/srv/app/src');
    expect(onTarget('/srv/app', '../shared/.env')).toBe('/srv/shared/.env');
    expect(onTarget('/srv/app', '/etc/app.env')).toBe('/etc/app.env');
  });

  it('drops a seconds field of 0 exactly, and says any other', () => {
    expect(minuteCron('*/5 * * * *')).toEqual({ cron: '*/5 * * * *' });
    expect(minuteCron('0 30 2 * * *')).toEqual({ cron: '30 2 * * *' });
    expect(minuteCron('*/15 * * * * *')).toEqual({ cron: '* * * * *', dropped: '*/15' });
  });
});

describe('the losses as lines', () => {
  it('says a key lost in several processes once, naming them', () => {
    const lines = lossLines([
      { process: 'api', key: 'restart.delay', reason: 'fixed' },
      { key: 'settings.api.listen', reason: 'its own' },
      { process: 'worker', key: 'restart.delay', reason: 'fixed' },
    ]);
    expect(lines).toEqual(['restart.delay (api, worker): fixed', 'settings.api.listen: its own']);
  });
});

it('regression: an env value taken from the exporting shell was written in plain text', async () => {
  const yaml =
    'version: 1\nname: shop\nprocesses:\n  api:\n    command: x\n    env: { SENTRY_DSN: "${SENTRY_DSN}", PORT: "${PORT:-3000}", PLAIN: "$${NOT_ONE}" }\n';
  const shell = { PATH: process.env.PATH, SENTRY_DSN: 'https://k3y@sentry.example/1' };
  const project = await loadProject(writeConfig(yaml), shell);
  const [api] = processViews(inputOf(project, undefined, shell));
  expect(api!.secretNames).toEqual(['SENTRY_DSN']);
  expect(api!.plainEnv).toEqual({ PORT: '3000', PLAIN: '${NOT_ONE}' });
  const compose = exportProject(inputOf(project, undefined, shell), 'compose').files[0]!.text;
  expect(compose).not.toContain('k3y');
});
