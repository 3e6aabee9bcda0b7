/**
 * `overseer top --api URL --token T`: a daemon reached over TCP with its token, from a
 * folder with no config of its own; and what a wrong or missing URL or token says.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BIN,
  cleanup,
  createProject,
  fixture,
  freePort,
  overseer,
  type Project,
  readLines,
} from './helpers.js';

const TOKEN = 'a-token-of-at-least-16-characters';

let project: Project;
let port: number;
/** A folder with no overseer.yaml: only `--api` can say where the daemon is. */
let elsewhere: string;

beforeAll(async () => {
  port = await freePort();
  project = createProject(`version: 1
name: remote
settings:
  api: { listen: 127.0.0.1:${port}, token: ${TOKEN} }
processes:
  web:
    command: ${fixture('sleeper.mjs')}
`);
  const up = await overseer(project, ['up', '-d']);
  expect(up.exitCode, String(up.stderr)).toBe(0);
  elsewhere = mkdtempSync(join(tmpdir(), 'overseer-elsewhere-'));
});

afterAll(async () => {
  await cleanup();
  rmSync(elsewhere, { recursive: true, force: true });
});

/** `overseer ARGS…` run from the folder with no config. */
function topElsewhere(args: readonly string[], env: Record<string, string> = {}) {
  return execa('node', [BIN, 'top', ...args], {
    cwd: elsewhere,
    env: { ...env, CI: 'true' },
    reject: false,
    timeout: 20_000,
  });
}

describe('top --api', () => {
  it('shows the stack of a daemon over TCP, the token taken from OVERSEER_TOKEN', async () => {
    const top = topElsewhere(['--api', `http://127.0.0.1:${port}`], { OVERSEER_TOKEN: TOKEN });
    const lines = readLines(top);
    await lines.waitFor(/^remote — /);
    await lines.waitFor(/^web\s+running/);
    top.kill('SIGINT');
    const result = await top;
    expect(result.exitCode).toBe(0);
    // The token is never printed.
    expect(`${result.stdout}${result.stderr}`).not.toContain(TOKEN);
  });

  it.each([
    [['--api', 'http://127.0.0.1:1'], {}, /needs the daemon's token: --token T, or OVERSEER_TOKEN/],
    [['--api', 'ftp://127.0.0.1:1', '--token', TOKEN], {}, /expected an http:\/\/ URL/],
    [
      ['--api', 'not a url', '--token', TOKEN],
      {},
      /expected a URL such as http:\/\/10\.0\.0\.5:9615/,
    ],
    [['--token', TOKEN], {}, /--token is for --api URL/],
    [
      ['--api', 'http://127.0.0.1:1', '-f', 'x.yaml'],
      { OVERSEER_TOKEN: TOKEN },
      /give one of them/,
    ],
  ])('refuses %j with a usage error naming what is wrong', async (args, env, message) => {
    const result = await topElsewhere(args, env);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('says a wrong token is refused, and prints neither token', async () => {
    const wrong = 'not-the-token-but-long-enough';
    const result = await topElsewhere(['--api', `http://127.0.0.1:${port}`, '--token', wrong]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/token/i);
    expect(`${result.stdout}${result.stderr}`).not.toContain(wrong);
  });
});
