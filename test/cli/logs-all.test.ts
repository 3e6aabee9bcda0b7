/**
 * `overseer logs` with no name (every process, merged by time, each line with its
 * process; `-f` picking up a process added later) and `overseer logs --supervisor` (the
 * supervisor's own log, for a person or as written), against one real daemon; and the
 * supervisor log's settings: `settings.log` and `OVERSEER_DEBUG` choosing what is written,
 * an unknown level or category refused before anything starts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cleanup,
  createProject,
  fixture,
  overseer,
  type Project,
  ps,
  readLines,
  spawnOverseer,
  waitFor,
  writeConfig,
} from './helpers.js';

interface JsonLine {
  readonly at: number;
  readonly name: string;
  readonly text: string;
}

const jsonLines = (stdout: unknown): JsonLine[] =>
  String(stdout)
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as JsonLine);

const stack = (extra = '') => `version: 1
settings:
  log: { level: info, categories: [supervisor, process, probe, config] }
processes:
  once:
    command: ${fixture('print-lines.mjs', 2)}
    kind: job
  pair:
    command: ${fixture('print-lines.mjs', 2)}
    kind: job
    instances: 2
  web:
    command: ${fixture('sleeper.mjs')}
    readiness: { log: ready }
${extra}`;

let project: Project;

beforeAll(async () => {
  project = createProject(stack());
  // probe at debug although it is listed at info; api left out: only its warnings.
  const up = await overseer(project, ['up', '-d'], { env: { OVERSEER_DEBUG: 'probe' } });
  expect(up.exitCode, String(up.stderr)).toBe(0);
  await waitFor(
    async () => (await ps(project)).every((info) => ['completed', 'running'].includes(info.status)),
    'the stack to settle',
  );
}, 30_000);

afterAll(cleanup);

describe('overseer logs with no name', () => {
  it('shows every process and instance, merged by time, each line with its process', async () => {
    const [json, human] = await Promise.all([
      overseer(project, ['logs', '--json']),
      overseer(project, ['logs'], { env: { NO_COLOR: '1' } }),
    ]);

    const lines = jsonLines(json.stdout);
    expect(new Set(lines.map((line) => line.name))).toEqual(
      new Set(['once', 'pair-0', 'pair-1', 'web']),
    );
    expect(lines.filter((line) => line.name === 'pair-1').map((line) => line.text)).toEqual([
      'line 1',
      'line 2',
      'partial',
    ]);
    const times = lines.map((line) => line.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // Names padded to the longest, so the text lines up.
    expect(String(human.stdout)).toContain('web    │ ready\n');
    expect(String(human.stdout)).toContain('pair-0 │ line 1\n');
  });

  it('-f follows every process, and one added by applying the config again', async () => {
    const follower = spawnOverseer(project, ['logs', '-f', '-n', '1', '--json']);
    const followed = readLines(follower);
    // -n 1 across every process: the one newest line, whichever process wrote it.
    await followed.waitFor(/"name":/);
    writeConfig(
      project,
      stack(`  late:\n    command: ${fixture('print-lines.mjs', 1)}\n    kind: job\n`),
    );
    const up = await overseer(project, ['up', '-d']);
    expect(up.exitCode, String(up.stderr)).toBe(0);

    await followed.waitFor(/"name":"late","stream":"stdout","text":"line 1"/);
    follower.kill('SIGINT');
    expect((await follower).exitCode).toBe(0);
  });
});

describe('overseer logs --supervisor', () => {
  it('shows the records for a person: time, level, category, message, fields', async () => {
    const result = await overseer(project, ['logs', '--supervisor', '-n', '1000'], {
      env: { NO_COLOR: '1' },
    });
    expect(result.exitCode, String(result.stderr)).toBe(0);
    const lines = String(result.stdout).trimEnd().split('\n');
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^\d{4}-\d\d-\d\dT[\d:.]+Z INFO {2}supervisor supervisor:started pid=\d+$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/ INFO {2}process {4}process:started name=web pid=\d+$/),
    );
  });

  it('--json prints the records as written; --grep and -n choose among them', async () => {
    const [json, grep, named, namespaced] = await Promise.all([
      overseer(project, ['logs', '--supervisor', '--json', '-n', '1000']),
      overseer(project, ['logs', '--supervisor', '--json', '--grep', '"process:ready"', '-n', '1']),
      overseer(project, ['logs', '--supervisor', 'web']),
      overseer(project, ['logs', '--supervisor', '--namespace', 'default']),
    ]);

    const records = String(json.stdout)
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    // Every line carries its category; settings.log chose which are written at info.
    expect(records.every((record) => typeof record.category === 'string')).toBe(true);
    const categories = new Set(records.map((record) => record.category));
    expect(categories).toContain('supervisor');
    expect(categories).toContain('process');
    // Left out of the list: only its warnings, and a request is no warning.
    expect(categories).not.toContain('api');
    // OVERSEER_DEBUG=probe: each probe verdict at debug.
    expect(records).toContainEqual(
      expect.objectContaining({ level: 'debug', category: 'probe', name: 'web', ok: true }),
    );
    expect(jsonLines(grep.stdout)).toEqual([
      expect.objectContaining({ msg: 'process:ready', category: 'process' }),
    ]);
    expect([named.exitCode, String(named.stderr)]).toEqual([
      2,
      "overseer: --supervisor shows the supervisor's own log: give no process name (got web)\n",
    ]);
    // The supervisor's log is not a namespace's: --namespace with it is refused, not ignored.
    expect([namespaced.exitCode, String(namespaced.stderr)]).toEqual([
      2,
      "overseer: --supervisor shows the supervisor's own log: give no --namespace (got default)\n",
    ]);
  });
});

describe('the supervisor log settings', () => {
  it.each([
    [
      { OVERSEER_LOG_LEVEL: 'loud' },
      'OVERSEER_LOG_LEVEL: "loud" is not a level: expected one of trace, debug, info, warn, error',
    ],
    [
      { OVERSEER_DEBUG: 'probe,prob' },
      'OVERSEER_DEBUG: "prob" is not a category: expected supervisor, process, probe, limits, sandbox, api, store, schedule, watch, config, alerts or *',
    ],
  ])('%o: up -d exits 2 naming it, and starts nothing', async (env, message) => {
    const bad = createProject(`version: 1
processes:
  web:
    command: ${fixture('sleeper.mjs')}
`);
    const result = await overseer(bad, ['up', '-d'], { env });
    expect([result.exitCode, String(result.stderr)]).toEqual([2, `overseer: ${message}\n`]);
    expect(existsSync(bad.stateDir)).toBe(false);
    expect(readdirSync(bad.dir)).toEqual(['overseer.yaml']);
  });

  it('writes each line with its category into the state dir', () => {
    const text = readFileSync(join(project.stateDir, 'overseer.log'), 'utf8');
    expect(text.trimEnd().split('\n').length).toBeGreaterThan(5);
  });
});
