// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} in config text is the subject here, not a template mistake
/**
 * The config loader end to end, in-process: a bad overseer.yaml is refused whole with
 * every issue named by path, line and column; a good one (YAML, `overseer.config.ts` or
 * `.mjs`) becomes the same validated project, with variables expanded from the
 * environment it is given and relative paths resolved against the config file's folder.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/files.js';
import { loadProject, type Project } from '../../src/config/load.js';
import { DEFAULTS } from '../../src/config/normalize.js';
import { planLaunch } from '../../src/runtime/process/launch.js';
import { configText, INVALID_CONFIGS, UNSET_VARIABLE } from '../fixtures/configs/invalid.js';

const CONFIGS = fileURLToPath(new URL('../fixtures/configs/', import.meta.url));
const PROJECT_SCHEMA = fileURLToPath(
  new URL('../../src/config/project-schema.ts', import.meta.url),
);

const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp folder, removed after the test. */
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'overseer-config-'));
  dirs.push(dir);
  return dir;
}

/** Writes `files` (relative path → text) into a fresh temp folder; returns the folder. */
function writeFiles(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** Loads `text` as `dir/overseer.yaml` (a fresh dir unless given). */
function loadYaml(text: string, env: NodeJS.ProcessEnv = {}): Promise<Project> {
  const dir = writeFiles({ 'overseer.yaml': text });
  return loadProject(join(dir, 'overseer.yaml'), env);
}

/** The ConfigError that loading `configPath` must end with. */
async function rejectionOf(configPath: string, env: NodeJS.ProcessEnv = {}): Promise<ConfigError> {
  const error = await loadProject(configPath, env).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

const yaml = (...lines: string[]) => `${lines.join('\n')}\n`;

/** How zod words its own messages: none of them may reach a user. */
const ZOD_WORDING = /Invalid input|Invalid option|Unrecognized key|received|Too (small|big)/;

describe('loadProject: a bad config is refused whole', () => {
  it.each(INVALID_CONFIGS)('$title', async (config) => {
    const dir = writeFiles({ 'overseer.yaml': configText(config) });
    const path = join(dir, 'overseer.yaml');

    const error = await rejectionOf(path);

    expect(error.code).toBe('INVALID_SPEC');
    expect(error.file).toBe(path);
    // Every issue at once, each with its path and place, and nothing else.
    expect(error.issues).toEqual(config.issues);
    const lines = config.issues.map(({ path: at, message, line, column }) => {
      const where = line === undefined ? '' : `line ${line}, column ${column}: `;
      return `  ${where}${at ? `${at}: ` : ''}${message}`;
    });
    expect(error.message).toBe(`${path} is not valid:\n${lines.join('\n')}`);
  });

  it('no issue of the table is in the schema library’s words: one voice, the project’s', () => {
    const messages = INVALID_CONFIGS.flatMap((config) =>
      config.issues.map((issue) => issue.message),
    );
    expect(messages.filter((message) => ZOD_WORDING.test(message))).toEqual([]);
  });

  it('words its message as the docs show it', async () => {
    const error = await rejectionOf(
      join(
        writeFiles({
          'overseer.yaml': yaml(
            'version: 1',
            'processes:',
            '  api:',
            '    command: node api.js',
            '    restart:',
            '      delay: soon',
            '      max_restarts: -1',
            '      bogus: 1',
          ),
        }),
        'overseer.yaml',
      ),
    );
    expect(error.message.split('\n').slice(1)).toEqual([
      '  line 6, column 14: processes.api.restart.delay: "soon" is not a duration (e.g. 500ms, 10s, 5m)',
      '  line 7, column 21: processes.api.restart.max_restarts: expected a number ≥ 0',
      '  line 8, column 7: processes.api.restart.bogus: unknown key',
    ]);
  });

  it('creates nothing: a refused config leaves its folder as it was', async () => {
    const config = INVALID_CONFIGS.find((row) => row.title.startsWith('a dependency cycle'))!;
    const dir = writeFiles({ 'overseer.yaml': configText(config) });
    await rejectionOf(join(dir, 'overseer.yaml'));
    expect(readdirSync(dir)).toEqual(['overseer.yaml']);
  });

  it('names a file it cannot read', async () => {
    const path = join(tempDir(), 'overseer.yaml');
    const error = await rejectionOf(path);
    expect(error.issues).toEqual([
      { path: '', message: expect.stringContaining('ENOENT: no such file or directory') },
    ]);
  });
});

describe('loadProject: a good YAML config', () => {
  it('applies the defaults: name from the folder, state dir beside the file, no limit', async () => {
    const dir = writeFiles({
      'shop/overseer.yaml': yaml('version: 1', 'processes:', '  api:', '    command: node api.js'),
    });
    const path = join(dir, 'shop', 'overseer.yaml');
    const project = await loadProject(path, {});
    expect(project).toMatchObject({
      name: 'shop',
      configPath: path,
      baseDir: join(dir, 'shop'),
      settings: {
        maxProcesses: Number.POSITIVE_INFINITY,
        stateDir: join(dir, 'shop', '.overseer'),
        api: { listen: undefined, token: undefined },
      },
      definitions: [{ name: 'api', command: 'node api.js' }],
      startOrder: [['api']],
    });
    expect(project.specs).toHaveLength(1);
    expect(project.specs[0]).toMatchObject({
      name: 'api',
      restart: { maxRestarts: DEFAULTS.restart.maxRestarts, delayMs: DEFAULTS.restart.delayMs },
      stop: { signal: 'SIGTERM', timeoutMs: DEFAULTS.stop.timeoutMs },
    });
  });

  it('reads settings: name, slot limit, state dir relative to the file, TCP API', async () => {
    const project = await loadYaml(
      yaml(
        'version: 1',
        'name: shop',
        'settings:',
        '  max_processes: 4',
        '  state_dir: run/overseer',
        '  api: { listen: "127.0.0.1:9615", token: "0123456789abcdef" }',
        'processes:',
        '  api:',
        '    command: node api.js',
      ),
    );
    expect(project.name).toBe('shop');
    expect(project.settings).toMatchObject({
      maxProcesses: 4,
      stateDir: join(project.baseDir, 'run', 'overseer'),
      api: { listen: { host: '127.0.0.1', port: 9615 }, token: '0123456789abcdef' },
    });
  });

  it('keeps an absolute state dir, and reads a bracketed IPv6 listen address', async () => {
    const stateDir = join(tmpdir(), 'elsewhere');
    const project = await loadYaml(
      yaml(
        'version: 1',
        'settings:',
        `  state_dir: ${stateDir}`,
        '  api: { listen: "[::1]:9615", token: "0123456789abcdef" }',
        'processes:',
        '  api:',
        '    command: node api.js',
      ),
    );
    expect(project.settings.stateDir).toBe(stateDir);
    expect(project.settings.api.listen).toEqual({ host: '::1', port: 9615 });
  });

  it('orders the start in layers, expands instances, reads both depends_on forms', async () => {
    const project = await loadYaml(
      yaml(
        'version: 1',
        'processes:',
        '  web:',
        '    command: node web.js',
        '    depends_on: { api: healthy, cache: started }',
        '  api:',
        '    command: node api.js',
        '    instances: 2',
        '    depends_on: [db]',
        '  db:',
        '    command: postgres',
        '    readiness: { tcp: "127.0.0.1:5432" }',
        '  cache:',
        '    command: redis-server',
        '  migrate:',
        '    command: node migrate.js',
        '    kind: job',
        '    depends_on: { db: healthy }',
      ),
    );
    expect(project.startOrder).toEqual([['db', 'cache'], ['api', 'migrate'], ['web']]);
    expect(project.definitions.map((definition) => definition.name)).toEqual([
      'web',
      'api',
      'db',
      'cache',
      'migrate',
    ]);
    expect(project.specs.map((spec) => spec.name)).toEqual([
      'web',
      'api-0',
      'api-1',
      'db',
      'cache',
      'migrate',
    ]);
    const spec = (name: string) => project.specs.find((candidate) => candidate.name === name)!;
    expect(spec('web').dependsOn).toEqual([
      { name: 'api', condition: 'healthy', restart: false },
      { name: 'cache', condition: 'started', restart: false },
    ]);
    expect(spec('api-1')).toMatchObject({
      family: 'api',
      instance: 1,
      dependsOn: [{ name: 'db', condition: 'started', restart: false }],
    });
    expect(spec('db').readiness?.check).toEqual({ type: 'tcp', host: '127.0.0.1', port: 5432 });
    expect(spec('migrate').restart.policy).toBe('never');
  });

  it('reads durations and signals as written by people', async () => {
    const project = await loadYaml(
      yaml(
        'version: 1',
        'processes:',
        '  api:',
        '    command: [node, api.js]',
        '    restart: { delay: 250ms, window: 5m, max_delay: 1h, min_uptime: 1500 }',
        '    stop: { signal: term, timeout: 2s }',
        '    readiness: { http: "http://127.0.0.1:3000/health", interval: 0.5s }',
      ),
    );
    expect(project.specs[0]).toMatchObject({
      command: ['node', 'api.js'],
      restart: { delayMs: 250, windowMs: 300_000, maxDelayMs: 3_600_000, minUptimeMs: 1_500 },
      stop: { signal: 'SIGTERM', timeoutMs: 2_000 },
      readiness: { check: { type: 'http', url: 'http://127.0.0.1:3000/health' }, intervalMs: 500 },
    });
  });
});

describe('loadProject: sandbox', () => {
  it('gives every process the settings’ sandbox, narrowed by its own, paths against the file', async () => {
    const project = await loadYaml(
      yaml(
        'version: 1',
        'settings:',
        '  sandbox:',
        '    allowed_commands: [node, npm]',
        '    restricted_paths: [/etc, secrets]',
        '    env: { inherit: false, pass: [PATH, LC_*] }',
        'processes:',
        '  api:',
        '    command: node api.js',
        '  worker:',
        '    command: [node, worker.js]',
        '    user: nobody',
        '    sandbox:',
        '      allowed_commands: [node]',
        '      restricted_paths: [data]',
        '      env: { pass: [PATH] }',
        '      isolate: true',
      ),
    );
    const settings = {
      allowedCommands: [['node', 'npm']],
      restrictedPaths: ['/etc', join(project.baseDir, 'secrets')],
      env: { inherit: false, pass: ['PATH', 'LC_*'] },
      isolate: false,
      network: true,
    };
    expect(project.settings.sandbox).toEqual({
      allowedCommands: ['node', 'npm'],
      restrictedPaths: settings.restrictedPaths,
      env: settings.env,
    });
    const [api, worker] = project.specs;
    expect(api!.sandbox).toEqual(settings);
    expect(api!.runAs).toBeUndefined();
    expect(worker!.sandbox).toEqual({
      allowedCommands: [['node', 'npm'], ['node']],
      restrictedPaths: [...settings.restrictedPaths, join(project.baseDir, 'data')],
      env: { inherit: false, pass: ['PATH'] },
      isolate: true,
      network: false,
    });
    expect(worker!.runAs).toEqual({ user: 'nobody', group: undefined });
  });

  it('leaves specs without a sandbox when neither the settings nor the process set one', async () => {
    const project = await loadYaml(
      yaml('version: 1', 'processes:', '  api:', '    command: node a.js'),
    );

    expect(project.settings.sandbox).toBeUndefined();
    expect(project.specs[0]!.sandbox).toBeUndefined();
  });
});

describe('loadProject: variables', () => {
  const withVariables = (...lines: string[]) =>
    yaml(
      'version: 1',
      'settings:',
      '  api: { listen: "127.0.0.1:9615", token: "${TOKEN}" }',
      'processes:',
      '  api:',
      ...lines,
    );

  it('expands ${VAR} from the environment it is given, not from process.env', async () => {
    const project = await loadYaml(
      withVariables(
        '    command: [node, "${ENTRY}", "--port=${PORT}"]',
        '    env: { PORT: "${PORT}", URL: "http://${HOST}:${PORT}/" }',
      ),
      { TOKEN: 'secret-token-0123456789', ENTRY: 'api.js', PORT: '3000', HOST: 'localhost' },
    );
    expect(project.settings.api.token).toBe('secret-token-0123456789');
    expect(project.specs[0]).toMatchObject({
      command: ['node', 'api.js', '--port=3000'],
      env: { PORT: '3000', URL: 'http://localhost:3000/' },
    });
    // The environment passed in is the only source: process.env is not consulted.
    expect(process.env.ENTRY).toBeUndefined();
  });

  it('falls back to the default of ${VAR:-default} when the variable is unset or empty', async () => {
    const project = await loadYaml(
      withVariables(
        '    command: node api.js',
        '    env:',
        '      UNSET: "${NOT_SET:-fallback}"',
        '      EMPTY: "${EMPTY:-fallback}"',
        '      SET: "${SET:-fallback}"',
        '      NO_DEFAULT: "${EMPTY}"',
        '      BLANK_DEFAULT: "${NOT_SET:-}"',
        '      DURATION: "${NOT_SET:-250ms}"',
        '    restart: { delay: "${DELAY:-2s}" }',
      ),
      { TOKEN: 'secret-token-0123456789', EMPTY: '', SET: 'value' },
    );
    expect(project.specs[0]!.env).toEqual({
      UNSET: 'fallback',
      EMPTY: 'fallback',
      SET: 'value',
      // A bare reference keeps an empty value: only `:-` replaces it.
      NO_DEFAULT: '',
      BLANK_DEFAULT: '',
      DURATION: '250ms',
    });
    expect(project.specs[0]!.restart.delayMs).toBe(2_000);
  });

  it('writes $$ as a literal $, leaving ${VAR} after it for the shell', async () => {
    const project = await loadYaml(
      withVariables('    command: "echo $$HOME costs $$5 and $${PATH}; ${NAME}"'),
      { TOKEN: 'secret-token-0123456789', NAME: 'api', HOME: '/nowhere' },
    );
    expect(project.specs[0]!.command).toBe('echo $HOME costs $5 and ${PATH}; api');
  });

  it('reports every unset variable with its path, line and column', async () => {
    const dir = writeFiles({
      'overseer.yaml': withVariables(
        '    command: node api.js',
        `    env: { A: "\${${UNSET_VARIABLE}}", B: "\${${UNSET_VARIABLE}_2}" }`,
      ),
    });
    const error = await rejectionOf(join(dir, 'overseer.yaml'), { TOKEN: 'x'.repeat(16) });
    expect(error.issues).toEqual([
      {
        path: 'processes.api.env.A',
        message: `\${${UNSET_VARIABLE}} is not set (write \${${UNSET_VARIABLE}:-default} to give a fallback)`,
        line: 7,
        column: 15,
      },
      {
        path: 'processes.api.env.B',
        message: `\${${UNSET_VARIABLE}_2} is not set (write \${${UNSET_VARIABLE}_2:-default} to give a fallback)`,
        line: 7,
        column: 57,
      },
    ]);
  });

  it('does not expand keys, and a variable never smuggles in structure', async () => {
    const project = await loadYaml(
      withVariables('    command: "${CMD}"', '    env: { "${KEY}": "x" }'),
      { TOKEN: 'secret-token-0123456789', CMD: 'a: [b, c]', KEY: 'K' },
    );
    expect(project.specs[0]!.command).toBe('a: [b, c]');
    expect(project.specs[0]!.env).toEqual({ '${KEY}': 'x' });
  });

  it('a ${VAR} into a number or boolean key is read as a number or boolean', async () => {
    const project = await loadYaml(
      yaml(
        'version: 1',
        'settings:',
        '  max_processes: ${SLOTS}',
        'processes:',
        '  api:',
        '    command: x',
        '    instances: ${REPLICAS:-2}',
        '    restart:',
        '      max_restarts: ${RESTARTS:-3}',
        '      factor: ${FACTOR}',
        '    sandbox:',
        '      isolate: ${ISOLATE:-false}',
        '      env: { inherit: "${INHERIT}" }',
      ),
      { SLOTS: '4', FACTOR: '1.5', INHERIT: 'TRUE' },
    );
    expect(project.settings.maxProcesses).toBe(4);
    expect(project.specs.map((spec) => spec.name)).toEqual(['api-0', 'api-1']);
    expect(project.specs[0]!.restart).toMatchObject({ maxRestarts: 3, factor: 1.5 });
    expect(project.specs[0]!.sandbox).toMatchObject({ isolate: false, env: { inherit: true } });
  });

  it('reads only interpolated strings so: a quoted number in a number key stays an error', async () => {
    const dir = writeFiles({
      'overseer.yaml': yaml(
        'version: 1',
        'processes:',
        '  api:',
        '    command: x',
        '    instances: "2"',
      ),
    });
    const error = await rejectionOf(join(dir, 'overseer.yaml'));
    expect(error.issues).toEqual([
      {
        path: 'processes.api.instances',
        message: 'expected a number, got "2"',
        line: 5,
        column: 16,
      },
    ]);
  });
});

describe('loadProject: what the config asks of the machine', () => {
  const which = (name: string) =>
    (process.env.PATH ?? '')
      .split(':')
      .map((dir) => join(dir, name))
      .find((file) => existsSync(file))!;

  it('a command outside allowed_commands is refused at load, judged on the supervisor’s PATH', async () => {
    const dir = writeFiles({
      'overseer.yaml': yaml(
        'version: 1',
        'settings:',
        '  sandbox: { allowed_commands: [node, sleep] }',
        'processes:',
        '  cat:',
        '    command: [cat, /etc/hostname]',
        '  typo:',
        '    command: nodee server.js',
        '  ok:',
        '    command: [sleep, "1"]',
      ),
    });
    const error = await rejectionOf(join(dir, 'overseer.yaml'), { PATH: process.env.PATH });
    const [cat, node, sleep] = ['cat', 'node', 'sleep'].map(which);
    const shown = (file: string) => {
      const real = realpathSync(file);
      return real === file ? real : `${file} → ${real}`;
    };
    const allowed = (name: string, file: string) => {
      const real = realpathSync(file);
      return real === name ? name : `${name} → ${real}`;
    };
    expect(error.issues).toEqual([
      {
        path: 'processes.cat.command.0',
        message: `cat (${shown(cat!)}) is not allowed by allowed_commands: ${allowed('node', node!)}, ${allowed('sleep', sleep!)}`,
        line: 6,
        column: 15,
      },
      {
        path: 'processes.typo.command',
        message: `nodee is not on the supervisor's PATH (${process.env.PATH})`,
        line: 8,
        column: 14,
      },
    ]);
  });

  it('leaves a program missing from the supervisor’s PATH to the spawn when the process sets its own PATH', async () => {
    const project = await loadYaml(
      yaml(
        'version: 1',
        'settings:',
        '  sandbox: { allowed_commands: [/opt/tools/bin/worker] }',
        'processes:',
        '  worker:',
        '    command: [worker]',
        '    env: { PATH: /opt/tools/bin }',
      ),
      { PATH: process.env.PATH },
    );
    expect(project.specs.map((spec) => spec.name)).toEqual(['worker']);
  });

  it('knows a user and group from the account databases, and takes numeric ids as they are', async () => {
    const project = await loadYaml(
      yaml(
        'version: 1',
        'processes:',
        '  a: { command: x, user: root, group: root }',
        '  b: { command: x, user: 12345, group: 12345 }',
      ),
    );
    expect(project.specs.map((spec) => spec.runAs)).toEqual([
      { user: 'root', group: 'root' },
      { user: '12345', group: '12345' },
    ]);
  });

  it('refuses a cwd that is a file and an env_file that is a folder', async () => {
    const dir = writeFiles({
      'overseer.yaml': yaml(
        'version: 1',
        'processes:',
        '  api:',
        '    command: x',
        '    cwd: overseer.yaml',
        '    env_file: /tmp',
        '    user: 12345',
      ),
    });
    const error = await rejectionOf(join(dir, 'overseer.yaml'));
    expect(error.issues.map(({ path, message }) => `${path}: ${message}`)).toEqual([
      "processes.api.cwd: overseer.yaml (relative to the config's folder) is not a folder",
      'processes.api.env_file: /tmp is not a file',
      'processes.api.user: user 12345 is not in /etc/passwd, so it has no group: set group as well',
    ]);
  });
});

describe('loadProject: env_file and cwd', () => {
  it('resolves env_file and cwd against the config folder, wherever the loader runs', async () => {
    const dir = writeFiles({
      'stack/overseer.yaml': yaml(
        'version: 1',
        'processes:',
        '  api:',
        '    command: node api.js',
        '    cwd: ./api',
        '    env_file: config/api.env',
        '    env: { PORT: "4000" }',
      ),
      'stack/config/api.env': 'PORT=3000\nGREETING="hello there"\n# a comment\n',
      'stack/api/.keep': '',
      // A decoy where a cwd-relative reading would look.
      'config/api.env': 'GREETING=wrong file\n',
    });
    const project = await loadProject(join(dir, 'stack', 'overseer.yaml'), {});
    expect(process.cwd()).not.toBe(project.baseDir);
    expect(project.specs[0]).toMatchObject({ cwd: './api', envFile: 'config/api.env' });

    const plan = planLaunch(project.specs[0]!, project.baseDir, { FROM_BASE: '1' });
    expect(plan.cwd).toBe(join(dir, 'stack', 'api'));
    expect(plan.env).toMatchObject({
      FROM_BASE: '1',
      GREETING: 'hello there',
      // `env` wins over `env_file`.
      PORT: '4000',
      OVERSEER_PROCESS: 'api',
      OVERSEER_INSTANCE: '0',
    });
  });
});

describe('loadProject: overseer.config.ts and .mjs', () => {
  const equivalent = (file: string) => loadProject(join(CONFIGS, 'equivalent', file), {});

  /** What must not depend on the file's format (definitions keep the form they were written in). */
  const essence = ({ name, settings, specs, startOrder }: Project) => ({
    name,
    settings,
    specs,
    startOrder,
  });

  it('loads a typed overseer.config.ts using defineConfig like the same YAML', async () => {
    const fromYaml = await equivalent('overseer.yaml');
    const fromTs = await equivalent('overseer.config.ts');
    expect(fromTs.configPath).toBe(join(CONFIGS, 'equivalent', 'overseer.config.ts'));
    expect(essence(fromTs)).toEqual(essence(fromYaml));
    expect(fromYaml.startOrder).toEqual([['db'], ['api'], ['web']]);
  });

  it('loads a plain-object overseer.config.mjs like the same YAML', async () => {
    expect(essence(await equivalent('overseer.config.mjs'))).toEqual(
      essence(await equivalent('overseer.yaml')),
    );
  });

  it('takes a default export that is a function, sync or async', async () => {
    const dir = writeFiles({
      'sync/overseer.config.mjs':
        "export default () => ({ version: 1, processes: { api: { command: 'node a.js' } } });\n",
      'async/overseer.config.mjs':
        'export default async () => ({ version: 1, name: "late", processes: { api: { command: "node a.js" } } });\n',
    });
    expect((await loadProject(join(dir, 'sync', 'overseer.config.mjs'))).name).toBe('sync');
    expect((await loadProject(join(dir, 'async', 'overseer.config.mjs'))).name).toBe('late');
  });

  it('does no ${VAR} expansion in a script: it has process.env', async () => {
    const dir = writeFiles({
      'overseer.config.mjs':
        "export default { version: 1, processes: { api: { command: 'echo ${HOME}' } } };\n",
    });
    const project = await loadProject(join(dir, 'overseer.config.mjs'), { HOME: '/home/x' });
    expect(project.specs[0]!.command).toBe('echo ${HOME}');
  });

  it('picks up an edited script config on the next load', async () => {
    const dir = writeFiles({});
    const path = join(dir, 'overseer.config.ts');
    const write = (name: string) =>
      writeFileSync(
        path,
        `import { defineConfig } from ${JSON.stringify(pathToFileURL(PROJECT_SCHEMA).href)};\n` +
          `export default defineConfig({ version: 1, name: '${name}', processes: { api: { command: 'x' } } });\n`,
      );
    write('first');
    expect((await loadProject(path)).name).toBe('first');
    write('second');
    expect((await loadProject(path)).name).toBe('second');
  });

  it('refuses a bad script config with every issue, without line numbers', async () => {
    const dir = writeFiles({
      'overseer.config.mjs': [
        'export default {',
        '  version: 1,',
        "  processes: { api: { command: 'x', restart: { delay: 'soon', bogus: 1 }, depends_on: ['db'] } },",
        '};',
        '',
      ].join('\n'),
    });
    const error = await rejectionOf(join(dir, 'overseer.config.mjs'));
    expect(error.issues).toEqual([
      {
        path: 'processes.api.restart.delay',
        message: '"soon" is not a duration (e.g. 500ms, 10s, 5m)',
      },
      { path: 'processes.api.restart.bogus', message: 'unknown key' },
      { path: 'processes.api.depends_on.db', message: 'db is not a declared process' },
    ]);
  });

  it('reports graph issues of a script config too', async () => {
    const dir = writeFiles({
      'overseer.config.mjs':
        "export default { version: 1, processes: { a: { command: 'x', depends_on: ['b'] }, b: { command: 'y', depends_on: ['a'] } } };\n",
    });
    const error = await rejectionOf(join(dir, 'overseer.config.mjs'));
    expect(error.issues).toEqual([
      { path: 'processes.a.depends_on', message: 'dependency cycle: a → b → a' },
    ]);
  });

  it('reports a script that throws or does not parse as "cannot load"', async () => {
    const dir = writeFiles({
      'throws/overseer.config.mjs': "throw new Error('no config for you');\n",
      'broken/overseer.config.ts': 'export default { version: 1,, };\n',
    });
    const throws = await rejectionOf(join(dir, 'throws', 'overseer.config.mjs'));
    expect(throws.issues).toEqual([{ path: '', message: 'cannot load: no config for you' }]);
    const broken = await rejectionOf(join(dir, 'broken', 'overseer.config.ts'));
    expect(broken.issues).toEqual([
      { path: '', message: expect.stringMatching(/^cannot load: .+/) },
    ]);
  });
});
