// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} in config text is the subject here, not a template mistake
/**
 * `overseer validate` and the config edge of `overseer up`, through the built binary
 * (dist/cli/main.js: run `npm run build` first). A bad config exits 2 with every issue on
 * stderr and starts nothing: no state dir, no socket, no daemon, no child. A good one
 * prints its start order, as text or as one JSON document.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { CONFIG_FILE_NAMES, formatConfigIssue } from '../../src/config/files.js';
import {
  configText,
  INVALID_CONFIGS,
  type InvalidConfig,
  START_MARKER,
} from '../fixtures/configs/invalid.js';
import { runInProcess } from './in-process-cli.js';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const EQUIVALENT = fileURLToPath(new URL('../fixtures/configs/equivalent/', import.meta.url));

/** Runs the built CLI in `cwd`; never throws on a non-zero exit. */
function overseer(args: readonly string[], cwd: string, env: Record<string, string> = {}) {
  return execa(process.execPath, [MAIN, ...args], {
    cwd,
    reject: false,
    // Plain output whatever the terminal; and a bound, should a command ever hang.
    env: { NO_COLOR: '1', ...env },
    timeout: 15_000,
  });
}

const dirs: string[] = [];

afterEach(async () => {
  for (const dir of dirs.splice(0)) await removeDir(dir);
});

/** Removes a test folder; should a daemon have been left there after all, ends it first. */
async function removeDir(dir: string): Promise<void> {
  if (existsSync(join(dir, '.overseer'))) {
    await overseer(['down', '-f', join(dir, 'overseer.yaml')], dir);
  }
  rmSync(dir, { recursive: true, force: true });
}

/** Writes `files` (relative path → text) into a fresh temp folder; returns the folder. */
function writeFiles(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'overseer-cli-validate-'));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** What stderr must be for a refused config: every issue, one a line, as the loader words them. */
function refusal(path: string, config: InvalidConfig): string {
  return `overseer: ${path} is not valid:\n${config.issues.map(formatConfigIssue).join('\n')}`;
}

const byTitle = (start: string) => INVALID_CONFIGS.find((row) => row.title.startsWith(start))!;

const yaml = (...lines: string[]) => `${lines.join('\n')}\n`;

/** A stack whose every process would leave `started` behind if it ever ran. */
const STACK = yaml(
  'version: 1',
  'name: shop',
  'processes:',
  '  web:',
  `    command: touch ${START_MARKER}`,
  '    depends_on: { api: healthy }',
  '  api:',
  `    command: touch ${START_MARKER}`,
  '    instances: 2',
  '    depends_on: [db, cache]',
  '  db:',
  `    command: touch ${START_MARKER}`,
  '    readiness: { tcp: "127.0.0.1:5432" }',
  '  cache:',
  `    command: touch ${START_MARKER}`,
  '  migrate:',
  `    command: touch ${START_MARKER}`,
  '    kind: job',
  '    depends_on: { db: healthy }',
);

/**
 * Rows of the table run through the built binary, to prove the whole way from a process's
 * arguments to its stderr and exit code; the rest go through the same command line in this
 * process, where each costs milliseconds instead of a node start.
 */
const THROUGH_THE_BINARY = [
  'invalid YAML, with its line and column',
  'a YAML alias bomb',
  'a variable that is not set',
];
const throughTheBinary = INVALID_CONFIGS.filter((row) =>
  THROUGH_THE_BINARY.some((start) => row.title.startsWith(start)),
);

/** A refusing config in a fresh folder of its own, removed by `removeLater`; returns its path. */
function writeRefused(config: InvalidConfig, removeLater: (dir: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'overseer-cli-validate-'));
  removeLater(dir);
  const path = join(dir, 'overseer.yaml');
  writeFileSync(path, configText(config));
  return path;
}

describe('overseer validate: a bad config exits 2 and starts nothing', () => {
  it('takes the rows it names through the built binary', () => {
    expect(throughTheBinary).toHaveLength(THROUGH_THE_BINARY.length);
  });

  describe.concurrent('through the built binary', () => {
    it.for(throughTheBinary)('$title', async (config, { expect, onTestFinished }) => {
      // Not by afterEach, which would remove a folder of a test still running beside it.
      const path = writeRefused(config, (dir) => onTestFinished(() => removeDir(dir)));

      const result = await overseer(['validate', '-f', path], join(path, '..'));

      expect(result.exitCode).toBe(2);
      expect(result.stderr).toBe(refusal(path, config));
      expect(result.stdout).toBe('');
      // No state dir (so no socket or pid file), and no `started` left by a child.
      expect(readdirSync(join(path, '..'))).toEqual(['overseer.yaml']);
    });
  });

  // One at a time: each captures this process's stdout and stderr while it runs.
  describe('through the command line in this process', () => {
    it.for(INVALID_CONFIGS)('$title', async (config) => {
      const path = writeRefused(config, (dir) => dirs.push(dir));

      const result = await runInProcess(['validate', '-f', path]);

      expect(result.exitCode).toBe(2);
      // What the binary prints ends with a newline (which execa strips).
      expect(result.stderr).toBe(`${refusal(path, config)}\n`);
      expect(result.stdout).toBe('');
      expect(readdirSync(join(path, '..'))).toEqual(['overseer.yaml']);
    });
  });
});

describe('overseer up: a bad config exits 2 before anything starts', () => {
  it('up -d -f bad.yaml leaves no daemon, socket, state dir or child', async () => {
    const config = byTitle('a dependency cycle');
    const dir = writeFiles({ 'bad.yaml': configText(config) });
    const path = join(dir, 'bad.yaml');

    const result = await overseer(['up', '-d', '-f', path], dir);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(refusal(path, config));
    expect(result.stdout).toBe('');
    expect(readdirSync(dir)).toEqual(['bad.yaml']);
    // Nothing answers where the daemon's socket would be.
    const ps = await overseer(['ps', '-f', path], dir);
    expect(ps.exitCode).toBe(1);
    expect(ps.stderr).toMatch(/^overseer: /);
    expect(readdirSync(dir)).toEqual(['bad.yaml']);
  });

  it('up -d with the bad overseer.yaml found in the current folder exits 2 too', async () => {
    const config = byTitle('unknown keys in settings');
    const dir = writeFiles({ 'overseer.yaml': configText(config) });

    const result = await overseer(['up', '-d'], dir);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(refusal(join(dir, 'overseer.yaml'), config));
    expect(readdirSync(dir)).toEqual(['overseer.yaml']);
  });

  it('up in the foreground refuses a bad config the same way', async () => {
    const config = byTitle('durations that cannot be read');
    const dir = writeFiles({ 'overseer.yaml': configText(config) });
    const path = join(dir, 'overseer.yaml');

    const result = await overseer(['up', '-f', path], dir);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(refusal(path, config));
    expect(readdirSync(dir)).toEqual(['overseer.yaml']);
  });
});

describe('overseer validate: a good config', () => {
  it('in an environment up would refuse (OVERSEER_DEBUG names no category) exits 2 as up does, naming it', async () => {
    const dir = writeFiles({ 'overseer.yaml': STACK });

    const [result, up] = await Promise.all([
      overseer(['validate'], dir, { OVERSEER_DEBUG: 'prob' }),
      overseer(['up', '-d'], dir, { OVERSEER_DEBUG: 'prob' }),
    ]);

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('OVERSEER_DEBUG: "prob" is not a category');
    expect([up.exitCode, up.stderr]).toEqual([result.exitCode, result.stderr]);
  });

  it('prints the start order, layer by layer, instances counted', async () => {
    const dir = writeFiles({ 'overseer.yaml': STACK });
    const path = join(dir, 'overseer.yaml');

    const result = await overseer(['validate', '-f', path], dir);

    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(
      [
        `${path} is valid: 6 process(es).`,
        'start order:',
        '  1. db, cache',
        '  2. api ×2, migrate',
        '  3. web',
      ].join('\n'),
    );
    // Validating starts nothing either.
    expect(readdirSync(dir)).toEqual(['overseer.yaml']);
  });

  it('prints one JSON document with --json: name, file, start order, normalized processes', async () => {
    const dir = writeFiles({ 'overseer.yaml': STACK });
    const path = join(dir, 'overseer.yaml');

    const result = await overseer(['validate', '--json', '-f', path], dir);

    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n')).toHaveLength(1);
    const document = JSON.parse(result.stdout);
    expect(document).toMatchObject({
      name: 'shop',
      configPath: path,
      startOrder: [['db', 'cache'], ['api', 'migrate'], ['web']],
    });
    expect(Object.keys(document).sort()).toEqual(['configPath', 'name', 'processes', 'startOrder']);
    expect(document.processes.map((spec: { name: string }) => spec.name)).toEqual([
      'web',
      'api-0',
      'api-1',
      'db',
      'cache',
      'migrate',
    ]);
    expect(document.processes[1]).toMatchObject({
      name: 'api-0',
      family: 'api',
      instance: 0,
      command: `touch ${START_MARKER}`,
      kind: 'service',
      dependsOn: [
        { name: 'db', condition: 'started' },
        { name: 'cache', condition: 'started' },
      ],
      restart: { policy: 'always', delayMs: 1_000 },
      stop: { signal: 'SIGTERM', timeoutMs: 10_000 },
    });
    expect(document.processes[5]).toMatchObject({ name: 'migrate', kind: 'job' });
    expect(readdirSync(dir)).toEqual(['overseer.yaml']);
  });

  it('expands ${VAR}, ${VAR:-default} and $$ from its own environment', async () => {
    const dir = writeFiles({
      'overseer.yaml': yaml(
        'version: 1',
        'processes:',
        '  api:',
        '    command: "node api.js --port ${PORT} --host ${HOST:-127.0.0.1} --price $$5"',
        '    restart: { delay: "${DELAY:-250ms}" }',
      ),
    });

    const result = await overseer(['validate', '--json'], dir, { PORT: '4000', DELAY: '2s' });

    expect(result.exitCode).toBe(0);
    const [spec] = JSON.parse(result.stdout).processes;
    expect(spec.command).toBe('node api.js --port 4000 --host 127.0.0.1 --price $5');
    expect(spec.restart.delayMs).toBe(2_000);
  });

  it('validates a typed overseer.config.ts and an .mjs config like the same YAML', async () => {
    const run = async (file: string) => {
      const result = await overseer(['validate', '--json', '-f', file], EQUIVALENT);
      expect(result.stderr).toBe('');
      expect(result.exitCode).toBe(0);
      const { configPath, ...rest } = JSON.parse(result.stdout);
      expect(configPath).toBe(join(EQUIVALENT, file));
      return rest;
    };
    // Three commands that read the same folder and change nothing: side by side.
    const [fromYaml, fromTs, fromMjs] = await Promise.all(
      ['overseer.yaml', 'overseer.config.ts', 'overseer.config.mjs'].map(run),
    );
    expect(fromYaml.startOrder).toEqual([['db'], ['api'], ['web']]);
    expect(fromTs).toEqual(fromYaml);
    expect(fromMjs).toEqual(fromYaml);
  });
});

describe('overseer validate: finding the config', () => {
  it('uses overseer.yaml in the current folder when no -f is given', async () => {
    const dir = writeFiles({ 'overseer.yaml': STACK });
    const result = await overseer(['validate'], dir);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(
      `${join(dir, 'overseer.yaml')} is valid: 6 process(es).`,
    );
  });

  it('prefers the earlier name when several configs sit in the folder', async () => {
    const mjs = "export default { version: 1, processes: { js: { command: 'x' } } };\n";
    const dir = writeFiles({
      'overseer.yml': yaml('version: 1', 'processes:', '  yml:', '    command: x'),
      'overseer.config.mjs': mjs,
    });
    const first = await overseer(['validate', '--json'], dir);
    expect(JSON.parse(first.stdout).configPath).toBe(join(dir, 'overseer.yml'));

    rmSync(join(dir, 'overseer.yml'));
    const second = await overseer(['validate', '--json'], dir);
    expect(JSON.parse(second.stdout)).toMatchObject({
      configPath: join(dir, 'overseer.config.mjs'),
      startOrder: [['js']],
    });
  });

  it('resolves -f against the current folder', async () => {
    const dir = writeFiles({ 'stacks/dev.yaml': STACK });
    const result = await overseer(['validate', '--json', '-f', 'stacks/dev.yaml'], dir);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout).configPath).toBe(join(dir, 'stacks', 'dev.yaml'));
  });

  it('exits 2 when there is no config, naming the names it looked for', async () => {
    const dir = writeFiles({ 'README.md': '# not a config\n' });
    const result = await overseer(['validate'], dir);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `overseer: ${join(dir, 'overseer.yaml')} is not valid:\n  no config found in ${dir} (looked for ${CONFIG_FILE_NAMES.join(', ')})`,
    );
  });

  it('exits 2 when the named file does not exist', async () => {
    const dir = writeFiles({ 'overseer.yaml': STACK });
    const result = await overseer(['validate', '-f', 'missing.yaml'], dir);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      `overseer: ${join(dir, 'missing.yaml')} is not valid:\n  no such file`,
    );
  });

  it('exits 2 on an unknown option, saying which', async () => {
    const dir = writeFiles({ 'overseer.yaml': STACK });
    const result = await overseer(['validate', '--strict'], dir);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("unknown option '--strict'");
    expect(result.stdout).toBe('');
  });
});
