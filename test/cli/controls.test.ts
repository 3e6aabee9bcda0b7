/**
 * The everyday controls end to end (docs/cli.md): `signal`, `reload` and `scale` against
 * one running daemon, as a user runs them. `web` is three tiny HTTP servers, each on its
 * own ephemeral port (written to a file per instance) with a readiness probe; during a
 * reload the test asks all three continuously, and at least two must answer every time.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcessInfo } from '../../src/index.js';
import { cleanup, createProject, fixture, overseer, type Project, ps, waitFor } from './helpers.js';

let project: Project;

beforeAll(async () => {
  project = createProject('');
  // Each replacement listens 150 ms after it starts: a window a reload that stopped
  // instances together, or before the previous one was ready, could not hide in.
  const server = fixture('control-server.mjs', '__DIR__', 150).replace('__DIR__', project.dir);
  writeFileSync(
    join(project.dir, 'overseer.yaml'),
    `version: 1
name: controls
processes:
  web:
    command: ${server}
    instances: 3
    readiness: { log: "^listening on" }
    restart: { delay: 10ms, max_delay: 10ms }
`,
  );
  const up = await overseer(project, ['up', '-d']);
  expect(up.exitCode, String(up.stderr)).toBe(0);
});

afterAll(cleanup);

const pidsOf = async (names: readonly string[]) => {
  const rows = await ps(project);
  return names.map((name) => rows.find((row) => row.name === name)?.pid);
};

/**
 * Whether instance `name` answers HTTP now, on the port its current run wrote. A gap is a
 * refused connection; a slow answer on a loaded machine is no gap, so the wait for one is
 * long. A run replaced between reading its port and connecting is asked again on the port
 * its replacement wrote: the name still answers, only the probe was late.
 */
async function answers(name: string): Promise<boolean> {
  const file = join(project.dir, `${name}.port`);
  const portNow = () => (existsSync(file) ? Number(readFileSync(file, 'utf8')) : undefined);
  const port = portNow();
  if (port === undefined) return false;
  if (await answersOn(port)) return true;
  const replaced = portNow();
  return replaced !== undefined && replaced !== port && answersOn(replaced);
}

function answersOn(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 3_000 }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode === 200));
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
  });
}

describe('signal', () => {
  it('`signal SIGUSR1 web` reaches every instance, which prints a line', async () => {
    const result = await overseer(project, ['signal', 'SIGUSR1', 'web']);

    expect(result.exitCode, String(result.stderr)).toBe(0);
    const pids = await pidsOf(['web-0', 'web-1', 'web-2']);
    expect(String(result.stdout)).toBe(
      pids.map((pid, k) => `sent SIGUSR1 to web-${k} (pid ${pid})\n`).join(''),
    );
    const logOf = (k: number) => join(project.stateDir, 'logs', `web-${k}.log`);
    await waitFor(
      () =>
        [0, 1, 2].every((k) => readFileSync(logOf(k), 'utf8').includes(`got SIGUSR1 in web-${k}`)),
      'every instance to print that it got SIGUSR1',
    );
  });

  it('`signal SIGUSR1 web web-1 web` sends each instance the signal once, however often it is named', async () => {
    const result = await overseer(project, ['signal', 'SIGUSR1', 'web', 'web-1', 'web']);

    expect(result.exitCode, String(result.stderr)).toBe(0);
    const pids = await pidsOf(['web-0', 'web-1', 'web-2']);
    expect(String(result.stdout)).toBe(
      pids.map((pid, k) => `sent SIGUSR1 to web-${k} (pid ${pid})\n`).join(''),
    );
  });

  it('refuses a name that is no signal with exit 2, sending nothing', async () => {
    const result = await overseer(project, ['signal', '9', 'web']);

    expect(result.exitCode).toBe(2);
    expect(String(result.stderr)).toContain('signal: expected a signal name such as SIGHUP');
  });
});

describe('reload', () => {
  it('replaces the 3 instances one at a time, at least 2 answering at every moment', async () => {
    const names = ['web-0', 'web-1', 'web-2'];
    const before = await pidsOf(names);
    let reloading = true;
    const counts: number[] = [];
    const sampling = (async () => {
      while (reloading) {
        const answered = await Promise.all(names.map(answers));
        counts.push(answered.filter(Boolean).length);
        // A pace, not a wait: each round asks all three at once.
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();

    const result = await overseer(project, ['reload', 'web']);
    reloading = false;
    await sampling;

    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(String(result.stdout)).toMatch(
      /^NAME +RELOAD +DETAIL\nweb-0 +replaced +ready in \d+ms\nweb-1 +replaced +ready in \d+ms\nweb-2 +replaced +ready in \d+ms\n$/,
    );
    const after = await pidsOf(names);
    expect(after.every((pid, k) => pid !== before[k])).toBe(true);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(2);
    // The check could have seen a gap: each replacement left one instance down a while.
    expect(counts).toContain(2);
  });

  it('stops at a replacement that does not become ready: exit 1 naming it, the rest left as they were', async () => {
    const [, web1, web2] = await pidsOf(['web-0', 'web-1', 'web-2']);
    const broken = join(project.dir, 'broken');
    writeFileSync(broken, '');
    try {
      const result = await overseer(project, ['reload', 'web']);

      expect(result.exitCode).toBe(1);
      // Its last line; before it may come what the replacement went through.
      expect(String(result.stderr)).toMatch(
        /(^|\n)overseer: web-0 did not become ready: exited with code 1 before it was ready; left as they were: web-1, web-2\n$/,
      );
      expect(String(result.stdout)).toMatch(/web-1 +untouched +left as it was/);
      expect(await pidsOf(['web-1', 'web-2'])).toEqual([web1, web2]);
    } finally {
      rmSync(broken);
    }
    // Left to its restart policy, web-0 comes back once it can.
    await waitFor(async () => (await ps(project))[0]?.status === 'running', 'web-0 to run again');
  });
});

describe('scale', () => {
  it('`scale web 4` then `scale web 2` adds and removes instances, never touching the others', async () => {
    const [web0, web1] = await pidsOf(['web-0', 'web-1']);

    const grown = await overseer(project, ['scale', 'web', '4', '--json']);
    expect(grown.exitCode, String(grown.stderr)).toBe(0);
    const rows = (JSON.parse(String(grown.stdout)) as { processes: ProcessInfo[] }).processes;
    project.pids.add(rows[3]!.pid!);
    expect(rows.map((row) => [row.name, row.status])).toEqual([
      ['web-0', 'running'],
      ['web-1', 'running'],
      ['web-2', 'running'],
      ['web-3', 'running'],
    ]);
    const web3 = rows[3]!.pid!;

    const shrunk = await overseer(project, ['scale', 'web', '2', '--json']);
    expect(shrunk.exitCode, String(shrunk.stderr)).toBe(0);
    const { processes } = JSON.parse(String(shrunk.stdout)) as { processes: ProcessInfo[] };
    expect(processes.map((row) => [row.name, row.pid])).toEqual([
      ['web-0', web0],
      ['web-1', web1],
    ]);
    expect((await ps(project)).map((row) => row.name)).toEqual(['web-0', 'web-1']);
    expect(() => process.kill(web3, 0)).toThrow();
  });

  it('refuses a count that is not a whole number, or out of bounds, with exit 2', async () => {
    const [word, zero] = await Promise.all([
      overseer(project, ['scale', 'web', 'four']),
      overseer(project, ['scale', 'web', '0']),
    ]);

    expect(word.exitCode).toBe(2);
    expect(String(word.stderr)).toBe(
      'overseer: N: expected a whole number of instances, got "four"\n',
    );
    expect(zero.exitCode).toBe(2);
    expect(String(zero.stderr)).toContain('instances: expected a whole number from 1 to 1000');
  });
});
