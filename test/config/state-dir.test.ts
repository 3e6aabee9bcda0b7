// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} in config text is the subject here, not a template mistake
/**
 * locateStateDir: where a config's supervisor lives, found without loading the whole
 * config. It must agree with the full loader, and a config it cannot read must be a config
 * error (exit 2), never a crash.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/files.js';
import { loadProject } from '../../src/config/load.js';
import { DEFAULT_STATE_DIR, locateStateDir } from '../../src/config/state-dir.js';
import { OverseerError } from '../../src/core/errors.js';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Writes `text` as `<fresh temp dir>/<file>` and returns its path. */
function writeConfig(text: string, file = 'overseer.yaml'): string {
  const dir = mkdtempSync(join(tmpdir(), 'overseer-state-dir-'));
  dirs.push(dir);
  mkdirSync(join(dir, file, '..'), { recursive: true });
  writeFileSync(join(dir, file), text);
  return join(dir, file);
}

const withSettings = (...settings: string[]) =>
  [
    'version: 1',
    ...(settings.length > 0 ? ['settings:', ...settings.map((line) => `  ${line}`)] : []),
    'processes:',
    '  api:',
    '    command: node api.js',
    '',
  ].join('\n');

describe('locateStateDir', () => {
  it('defaults to .overseer beside the config file', async () => {
    const path = writeConfig(withSettings());
    expect(await locateStateDir(path, {})).toBe(join(path, '..', DEFAULT_STATE_DIR));
    expect(DEFAULT_STATE_DIR).toBe('.overseer');
  });

  it('resolves a relative state_dir against the config folder, not the current one', async () => {
    const path = writeConfig(withSettings('state_dir: run/sup'), 'deep/er/overseer.yaml');
    expect(await locateStateDir(path, {})).toBe(join(path, '..', 'run', 'sup'));
    expect(process.cwd()).not.toBe(join(path, '..'));
  });

  it('keeps an absolute state_dir', async () => {
    const elsewhere = join(tmpdir(), 'overseer-elsewhere');
    const path = writeConfig(withSettings(`state_dir: ${elsewhere}`));
    expect(await locateStateDir(path, {})).toBe(elsewhere);
  });

  it('expands variables in state_dir from the given environment', async () => {
    const path = writeConfig(withSettings('state_dir: "${RUN_DIR:-run}/${APP}"'));
    expect(await locateStateDir(path, { APP: 'shop' })).toBe(join(path, '..', 'run', 'shop'));
    expect(await locateStateDir(path, { APP: 'shop', RUN_DIR: '/var/run' })).toBe('/var/run/shop');
  });

  it('ignores state_dir in a comment or under a process', async () => {
    const path = writeConfig(
      `# state_dir: not-this\n${withSettings('max_processes: 2')}    cwd: state_dir\n`,
    );
    expect(await locateStateDir(path, {})).toBe(join(path, '..', '.overseer'));
  });

  it('agrees with the full loader on every form', async () => {
    const configs = [
      withSettings(),
      withSettings('state_dir: .run'),
      withSettings('state_dir: ../shared/overseer'),
      withSettings('state_dir: "${HOME}/.overseer-${APP:-x}"'),
      withSettings('api: { listen: "127.0.0.1:9615", token: "0123456789abcdef" }'),
    ];
    const env = { HOME: '/home/someone', APP: 'shop' };
    for (const text of configs) {
      const path = writeConfig(text);
      expect(await locateStateDir(path, env)).toBe(
        (await loadProject(path, env)).settings.stateDir,
      );
    }
  });

  it('loads a script config for real: it can compute anything', async () => {
    const path = writeConfig(
      [
        "const dir = ['var', 'sup'].join('-');",
        "export default { version: 1, settings: { state_dir: dir }, processes: { api: { command: 'x' } } };",
        '',
      ].join('\n'),
      'overseer.config.mjs',
    );
    expect(await locateStateDir(path, {})).toBe(join(path, '..', 'var-sup'));
  });

  it('refuses an unset variable in state_dir, naming the path', async () => {
    const path = writeConfig(withSettings('state_dir: ${OVERSEER_TEST_NO_SUCH_DIR}'));
    const error = await locateStateDir(path, {}).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(OverseerError);
    expect(error).toMatchObject({
      code: 'INVALID_SPEC',
      message: `${path}: settings.state_dir: \${OVERSEER_TEST_NO_SUCH_DIR} is not set (write \${OVERSEER_TEST_NO_SUCH_DIR:-default} to give a fallback)`,
    });
  });

  it('refuses a state_dir that is not a path', async () => {
    const path = writeConfig(withSettings('state_dir: [a, b]'));
    await expect(locateStateDir(path, {})).rejects.toMatchObject({
      code: 'INVALID_SPEC',
      message: `${path}: settings.state_dir: expected a folder path`,
    });
  });

  // Regression: broken YAML that mentions state_dir threw yaml's own YAMLParseError, so
  // `overseer ps` printed a stack trace and exited 1 instead of reporting a config error.
  it('reports broken YAML as a config error with line and column', async () => {
    const path = writeConfig(
      ['version: 1', 'settings:', '  state_dir: run', 'processes:', '  api: [a, b', ''].join('\n'),
    );
    const error = await locateStateDir(path, {}).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      {
        path: '',
        message:
          'YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
        line: 6,
        column: 1,
      },
    ]);
  });

  it('makes `overseer ps` on broken YAML exit 2 with the location, not a stack trace', async () => {
    const path = writeConfig(
      ['version: 1', 'settings:', '  state_dir: run', 'processes:', '  api: [a, b', ''].join('\n'),
    );
    const result = await execa('node', [MAIN, 'ps', '-f', path], { reject: false });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      `overseer: ${path} is not valid:\n  line 6, column 1: YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`,
    );
  });
});
