/**
 * `overseer startup` and `unstartup` through the built binary (dist/cli/main.js: run `npm
 * run build` first), with a temp HOME and XDG_CONFIG_HOME and a PATH without systemctl, as
 * in a container without systemd: never the real /etc nor the real user's HOME.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const TOKEN = 'a-token-nobody-may-read-in-a-unit';

const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A project folder (its name with a space) beside a HOME, a config home and an empty PATH. */
function setUp(
  config = 'version: 1\nname: shop\nprocesses:\n  api: { command: ["/bin/sleep", "100"] }\n',
) {
  const root = mkdtempSync(join(tmpdir(), 'overseer-startup-'));
  dirs.push(root);
  const dir = join(root, 'my app');
  const home = join(root, 'home');
  const configHome = join(root, 'config');
  const bin = join(root, 'bin');
  for (const folder of [dir, home, bin]) mkdirSync(folder);
  writeFileSync(join(dir, 'overseer.yaml'), config);
  const env = {
    NO_COLOR: '1',
    HOME: home,
    XDG_CONFIG_HOME: configHome,
    PATH: bin,
    OVERSEER_TOKEN: TOKEN,
  };
  const overseer = (...args: string[]) =>
    execa(process.execPath, [MAIN, ...args], {
      cwd: dir,
      env,
      extendEnv: false,
      reject: false,
      stripFinalNewline: false,
      timeout: 15_000,
    });
  const unitFile = join(configHome, 'systemd', 'user', 'overseer-shop.service');
  const envFile = join(configHome, 'overseer', 'overseer-shop.env');
  return { dir, home, configHome, overseer, unitFile, envFile };
}

describe('overseer startup', () => {
  it('--print: the unit on stdout, the token in none of it, nothing written', async () => {
    const { dir, overseer, configHome } = setUp();
    const result = await overseer('startup', '--print');
    expect(result.exitCode, String(result.stderr)).toBe(0);
    const lines = String(result.stdout).split('\n');
    expect(lines).toContain(
      `ExecStart=${process.execPath} ${MAIN} up --no-tui -f "${join(dir, 'overseer.yaml')}"`,
    );
    expect(lines).toContain(`WorkingDirectory=${dir}`);
    expect(lines).toContain('EnvironmentFile=-/etc/overseer/overseer-shop.env');
    expect(`${result.stdout}${result.stderr}`).not.toContain(TOKEN);
    expect(String(result.stderr)).toContain('kept out of the unit: OVERSEER_TOKEN');
    expect(existsSync(configHome)).toBe(false);
  });

  it('--user: writes the unit and its 0600 environment file, says what to run; unstartup removes them', async () => {
    const { overseer, unitFile, envFile } = setUp();
    const printed = await overseer('startup', '--user', '--print');

    const written = await overseer('startup', '--user');
    expect(written.exitCode, String(written.stderr)).toBe(0);
    expect(readFileSync(unitFile, 'utf8')).toBe(String(printed.stdout));
    expect(readFileSync(envFile, 'utf8')).toBe(`OVERSEER_TOKEN="${TOKEN}"\n`);
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    expect(String(written.stderr)).toContain(
      [
        'systemd did not answer (systemctl is not on PATH); once it runs, run:',
        '  systemctl --user daemon-reload',
        '  systemctl --user enable --now overseer-shop.service',
      ].join('\n'),
    );

    const removed = await overseer('unstartup', '--user');
    expect(removed.exitCode, String(removed.stderr)).toBe(0);
    expect(String(removed.stderr)).toContain(`removed ${unitFile}\nremoved ${envFile}`);
    expect(existsSync(unitFile)).toBe(false);
    expect(existsSync(envFile)).toBe(false);

    const again = await overseer('unstartup', '--user');
    expect(again.exitCode).toBe(0);
    expect(String(again.stderr)).toContain('no overseer-shop.service in');
  });

  it('an invalid config: exit 2, nothing written', async () => {
    const { overseer, configHome } = setUp('version: 1\nprocesses:\n  api: { command: 3 }\n');
    const result = await overseer('startup', '--user');
    expect(result.exitCode).toBe(2);
    expect(String(result.stderr)).toContain('is not valid');
    expect(existsSync(configHome)).toBe(false);
  });

  it.skipIf(process.getuid?.() === 0)(
    'a system unit without root: nothing written, the sudo commands said, exit 1',
    async () => {
      const { overseer } = setUp();
      const result = await overseer('startup');
      expect(result.exitCode).toBe(1);
      expect(String(result.stderr)).toContain(
        'a system unit goes to /etc/systemd/system/overseer-shop.service, which needs root: nothing written.',
      );
      expect(String(result.stderr)).toContain('sudo systemctl enable --now overseer-shop.service');
      expect(existsSync('/etc/systemd/system/overseer-shop.service')).toBe(false);
    },
  );
});
