/**
 * Every command that talks to a supervisor, through `--api URL`: one daemon listening on a
 * second loopback address (127.0.0.2) with its token, reached from another project's folder
 * whose own stack is not running, so that only `--api` can say where the daemon is. The
 * commands run in sequence, as a person at another machine would; the token, given by flag
 * or by OVERSEER_TOKEN, is in no output of any of them.
 */
import { readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { fileURLToPath } from 'node:url';
import type { Result } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcessInfo, TaskView } from '../../src/index.js';
import {
  cleanup,
  createProject,
  daemonPid,
  fixture,
  isGone,
  overseer,
  type Project,
  readLines,
  spawnOverseer,
  waitFor,
} from './helpers.js';

const TOKEN = 'remote-token-0123456789abcdef';
const HOST = '127.0.0.2';
/** A self-signed certificate for 127.0.0.2, its own authority. */
const CERT = fileURLToPath(new URL('../fixtures/tls/127.0.0.2.crt', import.meta.url));
const KEY = fileURLToPath(new URL('../fixtures/tls/127.0.0.2.key', import.meta.url));

/** The stack served over TCP. */
let far: Project;
/** The folder the commands run in: a config of its own, whose stack never runs. */
let here: Project;
let api: string;
let daemonPort: number;
let proxy: TlsServer | undefined;
/** Everything every command printed, stdout and stderr, for the token to be absent from. */
const printed: string[] = [];

/** A TCP port that was free a moment ago on `host`. */
function freePortOn(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

/** `overseer COMMAND --api URL ARGS…` from `here`, the token by flag unless `byEnv`. */
async function remote(args: readonly string[], { byEnv = false } = {}): Promise<Result> {
  // Right after the command: what follows a `--` is the task's own.
  const [command, ...rest] = args;
  const result = byEnv
    ? await overseer(here, [command!, '--api', api, ...rest], { env: { OVERSEER_TOKEN: TOKEN } })
    : await overseer(here, [command!, '--api', api, '--token', TOKEN, ...rest]);
  printed.push(`${result.stdout}${result.stderr}`);
  return result;
}

async function remoteRows(): Promise<ProcessInfo[]> {
  const result = await remote(['ps', '--json']);
  expect(result.exitCode, String(result.stderr)).toBe(0);
  const { processes } = JSON.parse(String(result.stdout)) as { processes: ProcessInfo[] };
  for (const info of processes) if (info.pid !== null) far.pids.add(info.pid);
  return processes;
}

beforeAll(async () => {
  const port = await freePortOn(HOST);
  daemonPort = port;
  api = `http://${HOST}:${port}`;
  far = createProject(`version: 1
name: far
settings:
  api: { listen: "${HOST}:${port}", token: ${TOKEN} }
  log: { level: debug }
processes:
  ticker:
    command: ${fixture('print-slowly.mjs', 1_000_000, 50)}
`);
  here = createProject(`version: 1
name: here
processes:
  local:
    command: ${fixture('sleeper.mjs')}
`);
  const up = await overseer(far, ['up', '-d']);
  expect(up.exitCode, String(up.stderr)).toBe(0);
  daemonPid(far);
});

afterAll(async () => {
  await cleanup();
  await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(undefined)));
});

/** A TLS proxy in front of the daemon, as caddy or nginx would be; resolves with its URL. */
function tlsProxy(): Promise<string> {
  const server = createTlsServer({ cert: readFileSync(CERT), key: readFileSync(KEY) }, (client) => {
    const upstream = connect(daemonPort, HOST);
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.once('error', end).once('close', end);
    upstream.once('error', end).once('close', end);
  });
  proxy = server;
  return new Promise((resolve) => {
    server.listen(0, HOST, () => {
      const address = server.address();
      resolve(`https://${HOST}:${typeof address === 'object' && address ? address.port : 0}`);
    });
  });
}

describe('--api on every command that talks to a supervisor', () => {
  it('ps, inspect and logs read the remote stack, the token by flag or by OVERSEER_TOKEN', async () => {
    const [ticker] = await remoteRows();
    expect(ticker).toMatchObject({ name: 'ticker', status: 'running' });

    const table = await remote(['ps'], { byEnv: true });
    expect(table.exitCode, String(table.stderr)).toBe(0);
    expect(table.stdout).toMatch(/ticker\s/);
    expect(table.stdout).not.toMatch(/local/);

    const inspect = await remote(['inspect', 'ticker', '--json']);
    expect(inspect.exitCode, String(inspect.stderr)).toBe(0);
    expect(JSON.parse(String(inspect.stdout))).toMatchObject({ name: 'ticker', pid: ticker!.pid });

    await waitFor(async () => {
      const logs = await remote(['logs', 'ticker', '-n', '3'], { byEnv: true });
      return logs.exitCode === 0 && String(logs.stdout).split('\n').filter(Boolean).length === 3;
    }, 'three lines of ticker');
    const json = await remote(['logs', '--json', '-n', '2', '--grep', 'tick']);
    const lines = String(json.stdout)
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      expect.objectContaining({
        name: 'ticker',
        stream: 'stdout',
        text: expect.stringMatching(/^tick \d+$/),
      }),
      expect.objectContaining({
        name: 'ticker',
        stream: 'stdout',
        text: expect.stringMatching(/^tick \d+$/),
      }),
    ]);
  });

  it('logs -f follows from where its tail ended, with no line missed or repeated', async () => {
    const follower = spawnOverseer(here, ['logs', 'ticker', '-f', '-n', '2', '--api', api], {
      env: { OVERSEER_TOKEN: TOKEN },
    });
    const lines = readLines(follower);
    await lines.waitFor(/^tick \d+$/);
    const first = Number(lines.lines[0]!.split(' ')[1]);
    await lines.waitFor(new RegExp(`^tick ${first + 10}$`));
    follower.kill('SIGINT');
    const result = await follower;
    printed.push(`${result.stdout}${result.stderr}`);
    expect(result.exitCode).toBe(0);
    const ticks = lines.lines.filter(Boolean).map((line) => Number(line.split(' ')[1]));
    expect(ticks.slice(0, 11)).toEqual(Array.from({ length: 11 }, (_, index) => first + index));
  });

  it('restart replaces the process (a new pid), run runs a task there, tasks lists it', async () => {
    const [before] = await remoteRows();
    const restart = await remote(['restart', 'ticker'], { byEnv: true });
    expect(restart.exitCode, String(restart.stderr)).toBe(0);
    const [after] = await remoteRows();
    expect(after).toMatchObject({ status: 'running' });
    expect(after!.pid).not.toBe(before!.pid);

    // In the remote config's folder, not in this one, which means nothing over there.
    const run = await remote(['run', '--name', 'where', '--', 'pwd']);
    expect(run.exitCode, String(run.stderr)).toBe(0);
    expect(String(run.stdout).trim()).toBe(far.dir);

    const tasks = await remote(['tasks', '--json'], { byEnv: true });
    const { tasks: views } = JSON.parse(String(tasks.stdout)) as { tasks: TaskView[] };
    expect(views).toContainEqual(expect.objectContaining({ name: 'where', status: 'succeeded' }));
  });

  it('says a refused token and an address that does not answer apart, naming the URL', async () => {
    const wrong = 'not-the-token-but-long-enough';
    const refused = await overseer(here, ['ps', '--api', api, '--token', wrong]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toBe(
      `overseer: the supervisor at ${api} refused the token: the bearer token is wrong\n`,
    );
    expect(`${refused.stdout}${refused.stderr}`).not.toContain(wrong);

    const nowhere = `http://${HOST}:${await freePortOn(HOST)}`;
    const unreachable = await overseer(here, ['restart', 'ticker', '--api', nowhere], {
      env: { OVERSEER_TOKEN: TOKEN },
    });
    printed.push(`${unreachable.stdout}${unreachable.stderr}`);
    expect(unreachable.exitCode).toBe(1);
    expect(unreachable.stderr).toMatch(
      new RegExp(`^overseer: cannot reach the supervisor at ${nowhere}: connection refused`),
    );
  });

  it('reaches the daemon through a TLS proxy with https://, its certificate verified', async () => {
    const secure = await tlsProxy();
    const trusted = await overseer(here, ['ps', '--json', '--api', secure, '--token', TOKEN], {
      env: { NODE_EXTRA_CA_CERTS: CERT },
    });
    printed.push(`${trusted.stdout}${trusted.stderr}`);
    expect(trusted.exitCode, String(trusted.stderr)).toBe(0);
    expect(JSON.parse(String(trusted.stdout)).processes).toEqual([
      expect.objectContaining({ name: 'ticker' }),
    ]);

    const untrusted = await overseer(here, ['ps', '--api', secure], {
      env: { OVERSEER_TOKEN: TOKEN },
    });
    printed.push(`${untrusted.stdout}${untrusted.stderr}`);
    expect(untrusted.exitCode).toBe(1);
    expect(untrusted.stderr).toMatch(
      new RegExp(`^overseer: cannot reach the supervisor at ${secure}: .*certificate`),
    );
  });

  it('up and validate refuse --api with a usage error; down ends the remote daemon', async () => {
    const up = await remote(['up', '-d']);
    expect(up.exitCode).toBe(2);
    expect(up.stderr).toMatch(/^overseer: up starts a supervisor on this machine/);
    const validate = await remote(['validate'], { byEnv: true });
    expect(validate.exitCode).toBe(2);
    expect(validate.stderr).toMatch(/^overseer: validate checks a config file on this machine/);

    const rows = await remoteRows();
    const pid = daemonPid(far)!;
    const down = await remote(['down'], { byEnv: true });
    expect(down.exitCode, String(down.stderr)).toBe(0);
    expect(down.stdout).toBe('stopped far\n');
    await waitFor(() => isGone(pid) && rows.every((row) => isGone(row.pid!)), 'the daemon to end');
  });

  it("printed the token in no output of any command, nor in the daemon's log", () => {
    expect(printed.length).toBeGreaterThan(10);
    for (const output of printed) expect(output).not.toContain(TOKEN);
    // At debug, the log records every request the daemon answered.
    const log = readFileSync(join(far.stateDir, 'overseer.log'), 'utf8');
    expect(log).toMatch(/"path":"\/processes"/);
    expect(log).not.toContain(TOKEN);
  });
});
