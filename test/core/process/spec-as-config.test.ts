import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { specsFromDefinition } from '../../../src/config/normalize.js';
import type { ProcessSpec } from '../../../src/core/process/spec.js';
import { durationText, sizeText, specAsConfig } from '../../../src/core/process/spec-as-config.js';
import { yamlLines } from '../../../src/core/yaml-text.js';

/** The spec a definition comes to, as the supervisor would run it. */
function specOf(definition: Record<string, unknown>): ProcessSpec {
  return specsFromDefinition({ name: 'web', ...definition })[0]!;
}

/** The spec written as YAML lines, read back as YAML, then as a definition again. */
function roundTrip(spec: ProcessSpec): ProcessSpec {
  const text = yamlLines(specAsConfig(spec)).join('\n');
  return specsFromDefinition({ name: spec.family, ...parse(text) })[0]!;
}

describe('a spec as overseer.yaml writes it', () => {
  it('writes snake_case keys with units, and every default', () => {
    const lines = yamlLines(
      specAsConfig(
        specOf({
          command: 'node server.js',
          env: { PORT: 3000 },
          depends_on: { db: 'healthy' },
          readiness: { http: 'http://127.0.0.1:3000/health' },
          limits: { memory: '512MB', cpu: '150%' },
        }),
      ),
    );
    expect(lines).toEqual([
      'command: node server.js',
      'env:',
      '  PORT: "3000"',
      'namespace: default',
      'kind: service',
      'priority: normal',
      'depends_on:',
      '  db: healthy',
      'restart:',
      '  policy: always',
      '  max_restarts: 10',
      '  window: 1m',
      '  delay: 1s',
      '  factor: 2',
      '  max_delay: 30s',
      '  min_uptime: 1s',
      '  exit_codes: [0]',
      'start_timeout: 90s',
      'readiness:',
      '  http: "http://127.0.0.1:3000/health"',
      '  interval: 1s',
      '  timeout: 1s',
      '  failure_threshold: 3',
      '  initial_delay: 0s',
      'stop:',
      '  signal: SIGTERM',
      '  timeout: 10s',
      'limits:',
      '  memory: 512MB',
      '  memory_action: restart',
      '  cpu: 150%',
      '  cpu_action: alert',
      '  cpu_window: 10s',
      '  alert_cooldown: 1m',
    ]);
  });

  it('reads back as the same spec, whatever the entry set', () => {
    const definitions: Record<string, unknown>[] = [
      { command: ['node', 'worker.js', '--queue=jobs #1'], cwd: '/srv/app' },
      {
        command: 'backup --to "s3://bucket"',
        description: 'nightly: copies the data',
        labels: { tier: 'ops', on: 'yes' },
        schedule: { cron: '0 3 * * *', timezone: 'Europe/Paris', run_on_start: true },
        limits: { max_runtime: '90m', open_files: 256, memory: 1536 * 1024 },
      },
      {
        command: 'api',
        namespace: 'backend',
        priority: 'critical',
        depends_on: { db: { condition: 'healthy', restart: true }, cache: 'started' },
        restart: { policy: 'on-failure', delay: 1500, cooldown: '5m', exit_codes: [0, 3] },
        liveness: { tcp: '[::1]:8080', failure_threshold: 5 },
        readiness: { log: '^ready: (\\d+)$' },
        start_timeout: 0,
        stop: { signal: 'INT', timeout: '2m' },
        logs: { max_size: '1MB' },
        user: 'www-data',
        watch: { paths: ['src', 'config.json'], ignore: ['**/*.log'], debounce: 250 },
      },
      { command: 'true', env: { EMPTY: '', NUMBER: '80', TRUE: 'true' }, env_file: '.env' },
      // Regression: a block scalar and YAML's number words were written unquoted.
      {
        command: 'set -e\nnpm start',
        description: 'two\tcolumns',
        env: { INF: '.inf', NAN: '.NaN', MINUS: '-.inf' },
      },
    ];
    for (const definition of definitions) {
      const spec = specOf(definition);
      expect(roundTrip(spec)).toEqual(spec);
      // One value, one line: the details view counts lines.
      const lines = yamlLines(specAsConfig(spec));
      expect(lines.every((line) => !/[\n\t]/.test(line))).toBe(true);
    }
  });

  it('writes a duration and a size in the largest unit that says it exactly', () => {
    expect([0, 1500, 90_000, 120_000, 7_200_000].map(durationText)).toEqual([
      '0s',
      '1500ms',
      '90s',
      '2m',
      '2h',
    ]);
    expect([1000, 1024, 1536 * 1024, 512 * 1024 ** 2, 1024 ** 3].map(sizeText)).toEqual([
      '1000B',
      '1KB',
      '1536KB',
      '512MB',
      '1GB',
    ]);
  });
});
