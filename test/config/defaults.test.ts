// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} in config text is the subject here, not a template mistake
/**
 * `defaults:`, top-level `x-` keys and YAML `<<:` merge keys, in-process: what each process
 * comes to once the defaults are merged under it. The refusals (a bad default reported once,
 * at `defaults`, with its line) are rows of test/fixtures/configs/invalid.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadProject, type Project } from '../../src/config/load.js';
import { planApply } from '../../src/core/stack/apply-plan.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function load(lines: readonly string[], env: NodeJS.ProcessEnv = {}, file = 'overseer.yaml') {
  const dir = mkdtempSync(join(tmpdir(), 'overseer-defaults-'));
  dirs.push(dir);
  writeFileSync(join(dir, file), `${lines.join('\n')}\n`);
  return loadProject(join(dir, file), env);
}

function definition(project: Project, name: string) {
  return project.definitions.find((entry) => entry.name === name)!;
}

describe('defaults', () => {
  it('merges under every process key by key: maps deeply, lists replaced, own keys win', async () => {
    const project = await load([
      'version: 1',
      'defaults:',
      '  restart: { delay: 2s, max_restarts: 3, exit_codes: [0, 2] }',
      '  limits: { memory: 256MB, memory_action: restart }',
      '  env: { LOG: info, REGION: eu }',
      '  labels: { team: core }',
      '  namespace: backend',
      '  instances: 2',
      'processes:',
      '  api:',
      '    command: node api.js',
      '    restart: { max_restarts: 5, exit_codes: [1] }',
      '    env: { LOG: debug }',
      '    labels: { tier: web }',
      '  worker:',
      '    command: node worker.js',
      '    instances: 1',
      '    namespace: jobs',
    ]);

    expect(definition(project, 'api')).toMatchObject({
      restart: { delay: 2000, max_restarts: 5, exit_codes: [1] },
      limits: { memory: 256 * 1024 * 1024, memory_action: 'restart' },
      env: { LOG: 'debug', REGION: 'eu' },
      labels: { team: 'core', tier: 'web' },
      namespace: 'backend',
      instances: 2,
    });
    expect(definition(project, 'worker')).toMatchObject({
      restart: { delay: 2000, max_restarts: 3, exit_codes: [0, 2] },
      env: { LOG: 'info', REGION: 'eu' },
      namespace: 'jobs',
      instances: 1,
    });
    expect(project.specs.map((spec) => spec.name)).toEqual(['api-0', 'api-1', 'worker-0']);
  });

  it('a process naming its own probe check replaces the default one, and keeps its timings', async () => {
    const project = await load([
      'version: 1',
      'defaults:',
      '  readiness: { http: "http://127.0.0.1:8080/health", interval: 2s }',
      'processes:',
      '  api:',
      '    command: node api.js',
      '  db:',
      '    command: postgres',
      '    readiness: { tcp: "127.0.0.1:5432" }',
    ]);

    expect(definition(project, 'api').readiness).toEqual({
      http: 'http://127.0.0.1:8080/health',
      interval: 2000,
    });
    expect(definition(project, 'db').readiness).toEqual({
      tcp: { host: '127.0.0.1', port: 5432 },
      interval: 2000,
    });
  });

  it('takes ${VAR} in defaults, read as the number a key expects', async () => {
    const project = await load(
      [
        'version: 1',
        'defaults:',
        '  restart: { max_restarts: "${RESTARTS:-4}" }',
        'processes:',
        '  api:',
        '    command: node api.js',
      ],
      { RESTARTS: '7' },
    );
    expect(definition(project, 'api').restart).toEqual({ max_restarts: 7 });
  });

  it('applies to a script config too', async () => {
    const project = await load(
      [
        'export default {',
        '  version: 1,',
        "  defaults: { stop: { timeout: '3s' } },",
        "  processes: { api: { command: 'node api.js' } },",
        '};',
      ],
      {},
      'overseer.config.mjs',
    );
    expect(definition(project, 'api').stop).toEqual({ timeout: 3000 });
  });
});

describe('defaults, applied again', () => {
  it('a changed default changes exactly the processes that inherit it', async () => {
    const config = (memory: string) => [
      'version: 1',
      'defaults:',
      `  limits: { memory: ${memory} }`,
      'processes:',
      '  api:',
      '    command: node api.js',
      '  db:',
      '    command: postgres',
      '    limits: { memory: 1GB }',
    ];
    const [before, after] = await Promise.all([load(config('256MB')), load(config('512MB'))]);
    const side = (project: Project) => ({
      definitions: project.definitions,
      sandbox: project.settings.sandbox,
    });

    expect(planApply(side(before), side(after))).toMatchObject({
      added: [],
      changed: ['api'],
      removed: [],
    });
  });
});

describe('x- keys and merge keys', () => {
  it('ignores top-level x- keys, and interpolates nothing in them', async () => {
    const project = await load([
      'version: 1',
      'x-notes: { owner: payments, token: "${SURELY_UNSET_IN_TESTS}" }',
      'processes:',
      '  api:',
      '    command: node api.js',
    ]);
    expect(project.definitions.map((entry) => entry.name)).toEqual(['api']);
  });

  it('honours <<: merge keys, as compose files use them; the entry’s own keys win', async () => {
    const project = await load([
      'version: 1',
      'x-service: &service',
      '  restart: { policy: always, delay: 1s }',
      '  env: { NODE_ENV: production }',
      '  stop: { timeout: 5s }',
      'x-quick: &quick',
      '  stop: { timeout: 1s }',
      'processes:',
      '  api:',
      '    <<: *service',
      '    command: node api.js',
      '    env: { PORT: "3000" }',
      '  worker:',
      '    <<: [*quick, *service]',
      '    command: node worker.js',
    ]);

    // As YAML merges: a key written in the entry replaces the merged one whole.
    expect(definition(project, 'api')).toMatchObject({
      restart: { policy: 'always', delay: 1000 },
      env: { PORT: '3000' },
      stop: { timeout: 5000 },
    });
    expect(definition(project, 'api').env).toEqual({ PORT: '3000' });
    // In a list of merges, the first one listed wins.
    expect(definition(project, 'worker').stop).toEqual({ timeout: 1000 });
  });
});
