// biome-ignore-all lint/suspicious/noExplicitAny: parsed documents, read as the assertions walk them
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the engines' own interpolation is what these files hold
/**
 * The compose export against the compose-spec JSON schema (as dclint, the compose linter,
 * ships it), and what each key becomes.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { exportCompose } from '../../src/export/compose.js';
import { demoProject, everyKeyProject, inputOf } from './helpers.js';

// The package exports only its code: its schema is found beside its package.json.
const dclint = dirname(createRequire(import.meta.url).resolve('dclint/package.json'));
const schemaPath = join(dclint, 'schemas', 'compose.schema.json');
// Its `$schema` names draft-07 by an https address Ajv does not know: the draft is Ajv's own.
const validate = new Ajv({ strict: false, allErrors: true, validateSchema: false }).compile(
  JSON.parse(readFileSync(schemaPath, 'utf8')),
);

function composeOf(text: string): Record<string, any> {
  const document = parse(text);
  const valid = validate(document);
  expect(validate.errors ?? [], 'compose-spec').toEqual([]);
  expect(valid).toBe(true);
  return document;
}

describe('compose export', () => {
  it('writes a file the compose-spec schema accepts, for the demo and every key', async () => {
    for (const project of [await demoProject(), await everyKeyProject()]) {
      const { files } = exportCompose(inputOf(project));
      expect(files.map((file) => file.name)).toEqual(['compose.yaml']);
      composeOf(files[0]!.text);
    }
  });

  it('maps conditions, healthchecks, deploy, restart, stop, env and user', async () => {
    const { services } = composeOf(exportCompose(inputOf(await everyKeyProject())).files[0]!.text);
    const api = services.api;
    expect(api.depends_on).toEqual({ db: { condition: 'service_healthy', restart: true } });
    expect(services.worker.depends_on).toEqual({
      api: { condition: 'service_started' },
      migrate: { condition: 'service_completed_successfully' },
    });
    expect(api.healthcheck.test).toEqual([
      'CMD',
      'curl',
      '-fsS',
      '-o',
      '/dev/null',
      'http://127.0.0.1:3000/health',
    ]);
    expect(api.deploy).toEqual({
      replicas: 2,
      resources: { limits: { cpus: '1.5', memory: '268435456b' } },
    });
    expect(api.restart).toBe('on-failure:5');
    expect(services.migrate.restart).toBe('no');
    expect(api.stop_signal).toBe('SIGINT');
    expect(api.stop_grace_period).toBe('20s');
    expect(api.user).toBe('1000:1000');
    expect(api.env_file).toEqual(['/srv/demo/.env']);
    expect(api.environment).toEqual({
      PORT: '3000',
      API_TOKEN: '${API_TOKEN:?set API_TOKEN}',
      DATABASE_URL: '${DATABASE_URL:?set DATABASE_URL}',
      // Compose's own interpolation: a dollar of the value is doubled to stay one.
      TEXT: '$${HOME} 100%{x}',
    });
    expect(services.report.profiles).toEqual(['scheduled']);
    expect(services.worker.command).toEqual([
      'node',
      'worker.js',
      '--home',
      '$$HOME',
      '--at',
      '$$(date)',
    ]);
  });
});
