/**
 * A supervisor killed with SIGKILL leaves its stack running. The next one on the same state
 * dir stops those leftovers (grandchildren included), says how many, starts the stack
 * again, and carries on the history: runs, restart counts, and what was stopped on request.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProcessInfo } from '../../src/core/view.js';
import { HttpSupervisorClient } from '../../src/protocol/client.js';
import { readProcEntry } from '../../src/runtime/process/proc.js';
import { openSqliteStore } from '../../src/store/sqlite/project-store.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

const dirs: string[] = [];
const daemons: ChildProcess[] = [];
const pids = new Set<number>();

afterEach(async () => {
  for (const daemon of daemons.splice(0)) {
    if (daemon.exitCode === null && daemon.signalCode === null) {
      daemon.kill('SIGTERM');
      await new Promise((resolve) => daemon.once('exit', resolve));
    }
  }
  for (const pid of pids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  pids.clear();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function isAlive(pid: number): boolean {
  const entry = readProcEntry(pid);
  return entry !== undefined && entry.state !== 'Z';
}

async function waitFor<T>(condition: () => T | Promise<T>, what: string, ms = 10_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await condition();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * A project folder whose `tree` process keeps a grandchild, beside a plain `idle`; with
 * `setsid`, the grandchild leaves the process group (a session of its own).
 */
function project(grandchild: 'same-group' | 'setsid' = 'same-group'): {
  dir: string;
  pidFile: string;
} {
  const dir = mkdtempSync(join(tmpdir(), 'ovr-'));
  dirs.push(dir);
  const pidFile = join(dir, 'grandchild.pid');
  writeFileSync(
    join(dir, 'overseer.yaml'),
    [
      'version: 1',
      'processes:',
      '  tree:',
      `    command: [${process.execPath}, ${join(FIXTURES, 'grandchild.mjs')}, ${pidFile}${grandchild === 'setsid' ? ', setsid' : ''}]`,
      '    stop: { timeout: 2s }',
      // Up once its grandchild is there (not after min_uptime's default second of waiting).
      '    readiness: { log: "^grandchild " }',
      '  idle:',
      `    command: [${process.execPath}, ${join(FIXTURES, 'sleeper.mjs')}]`,
      '    readiness: { log: ready }',
      '',
    ].join('\n'),
  );
  return { dir, pidFile };
}

/** Runs a supervisor for the folder in its own process, as `up -d` does. */
async function startDaemon(
  dir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ daemon: ChildProcess; client: HttpSupervisorClient }> {
  const daemon = spawn(process.execPath, [CLI, 'daemon'], { cwd: dir, stdio: 'ignore', env });
  daemons.push(daemon);
  const client = clientOf(dir);
  await waitForStack(client);
  return { daemon, client };
}

function clientOf(dir: string): HttpSupervisorClient {
  return new HttpSupervisorClient({ socketPath: join(dir, '.overseer', 'overseer.sock') });
}

async function waitForStack(client: HttpSupervisorClient): Promise<void> {
  await waitFor(
    async () =>
      (await client.list().catch(() => [])).every(isUp) &&
      (await client.list().catch(() => [])).length === 2,
    'the stack to run',
  );
}

const isUp = (info: ProcessInfo) => info.status === 'running';

/** The grandchild's pid, once `tree` (pid `tree`) has written it. */
async function grandchildOf(pidFile: string, tree: number, where: 'same-group' | 'setsid') {
  return Number(
    await waitFor(() => {
      try {
        const pid = Number(readFileSync(pidFile, 'utf8'));
        const entry = pid ? readProcEntry(pid) : undefined;
        if (!entry) return 0;
        return (where === 'setsid') === (entry.pgid !== tree) ? pid : 0;
      } catch {
        return 0;
      }
    }, 'the grandchild'),
  );
}

/** Runs the built CLI in `dir` as a user would; resolves with its exit code and output. */
function overseer(
  dir: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const cli = spawn(process.execPath, [CLI, ...args], { cwd: dir });
    let stdout = '';
    let stderr = '';
    cli.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    cli.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    cli.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Kills a daemon with SIGKILL and waits until it is dead (exited, or a zombie). */
async function killDaemon(daemon: ChildProcess): Promise<void> {
  daemon.kill('SIGKILL');
  await new Promise((resolve) => daemon.once('exit', resolve));
}

async function pidOf(client: HttpSupervisorClient, name: string): Promise<number> {
  return (await client.get(name)).pid!;
}

describe('a supervisor killed with SIGKILL', () => {
  it('is followed by one that stops its leftovers, restarts the stack and keeps its history', async () => {
    const { dir, pidFile } = project();
    const first = await startDaemon(dir);
    await first.client.restart('tree');
    const tree = await pidOf(first.client, 'tree');
    const idle = await pidOf(first.client, 'idle');
    const grandchild = Number(
      await waitFor(() => {
        try {
          const pid = Number(readFileSync(pidFile, 'utf8'));
          return pid && readProcEntry(pid)?.pgid === tree ? pid : 0;
        } catch {
          return 0;
        }
      }, 'the grandchild of the restarted tree'),
    );
    for (const pid of [tree, idle, grandchild]) pids.add(pid);

    first.daemon.kill('SIGKILL');
    await new Promise((resolve) => first.daemon.once('exit', resolve));
    expect([tree, idle, grandchild].every(isAlive)).toBe(true);

    const second = await startDaemon(dir);
    expect([tree, idle, grandchild].some(isAlive)).toBe(false);
    const status = await second.client.status();
    expect(status.orphansCleaned).toBe(3);
    const details = await second.client.get('tree');
    expect(details.pid).not.toBe(tree);
    expect(details.restarts).toBe(1);
    // The first run (restarted), the second (orphaned), the one now running.
    expect(details.runs.map((run) => run.reason)).toEqual([
      'restart requested',
      'orphaned: the supervisor died; stopped by the next one',
      null,
    ]);
    expect(details.runs[1]?.pid).toBe(tree);

    const log = readFileSync(join(dir, '.overseer', 'overseer.log'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(log).toContainEqual(
      expect.objectContaining({ category: 'supervisor', level: 'warn', count: 3 }),
    );

    const store = openSqliteStore(join(dir, '.overseer', 'state.db'));
    try {
      const events = store.history.recentEvents(1_000).map((item) => item.event);
      expect(events).toContainEqual(
        expect.objectContaining({ type: 'supervisor:orphans-cleaned', count: 3 }),
      );
    } finally {
      store.close();
    }
  });

  it('leaves stopped what was stopped on request, until asked by name', async () => {
    const { dir } = project();
    const first = await startDaemon(dir);
    await first.client.stop('idle');
    pids.add(await pidOf(first.client, 'tree'));
    first.daemon.kill('SIGKILL');
    await new Promise((resolve) => first.daemon.once('exit', resolve));

    const daemon = spawn(process.execPath, [CLI, 'daemon'], { cwd: dir, stdio: 'ignore' });
    daemons.push(daemon);
    const client = new HttpSupervisorClient({
      socketPath: join(dir, '.overseer', 'overseer.sock'),
    });
    await waitFor(
      async () => (await client.get('tree').catch(() => undefined))?.status === 'running',
      'tree to run again',
    );
    expect((await client.get('idle')).status).toBe('stopped');
    await client.start('idle');
    expect((await client.get('idle')).status).toBe('running');
  });

  it('a refused request remembers nothing: stop of a completed job leaves it to run again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ovr-'));
    dirs.push(dir);
    writeFileSync(
      join(dir, 'overseer.yaml'),
      [
        'version: 1',
        'processes:',
        '  web:',
        `    command: [${process.execPath}, ${join(FIXTURES, 'sleeper.mjs')}]`,
        '    readiness: { log: ready }',
        '  job:',
        `    command: [${process.execPath}, ${join(FIXTURES, 'exit-with.mjs')}, '0']`,
        '    kind: job',
        '',
      ].join('\n'),
    );
    const daemon = spawn(process.execPath, [CLI, 'daemon'], { cwd: dir, stdio: 'ignore' });
    daemons.push(daemon);
    const client = clientOf(dir);
    const settled = async () => {
      const rows = await client.list().catch(() => []);
      const status = (name: string) => rows.find((row) => row.name === name)?.status;
      return status('web') === 'running' && status('job') === 'completed';
    };
    await waitFor(settled, 'web to run and the job to complete');
    // A completed job is not running: the stop is refused, and must not be taken as a wish.
    await expect(client.stop('job')).rejects.toThrow(/job is not running \(completed\)/);
    pids.add(await pidOf(client, 'web'));
    await killDaemon(daemon);

    const next = spawn(process.execPath, [CLI, 'daemon'], { cwd: dir, stdio: 'ignore' });
    daemons.push(next);
    // Runs again, as every process not stopped on request does; held, it would stay stopped.
    await waitFor(settled, 'the job to run again under the next supervisor');
    expect((await client.get('job')).runs.length).toBe(2);
  });
});

describe('what a supervisor killed with SIGKILL leaves', () => {
  it.each(['cgroup', 'process-group'])(
    'includes a setsid descendant, which the next supervisor ends too (%s)',
    async (mode) => {
      const { dir, pidFile } = project('setsid');
      const env = { ...process.env, OVERSEER_CONTAINMENT: mode };
      const first = await startDaemon(dir, env);
      const tree = await pidOf(first.client, 'tree');
      const idle = await pidOf(first.client, 'idle');
      const grandchild = await grandchildOf(pidFile, tree, 'setsid');
      for (const pid of [tree, idle, grandchild]) pids.add(pid);

      await killDaemon(first.daemon);
      expect([tree, idle, grandchild].every(isAlive)).toBe(true);

      const second = await startDaemon(dir, env);
      expect(isAlive(grandchild)).toBe(false);
      expect([tree, idle].some(isAlive)).toBe(false);
      expect((await second.client.status()).orphansCleaned).toBe(3);
    },
  );

  it('is ended by down with no live daemon, which says how many it stopped', async () => {
    const { dir, pidFile } = project();
    const first = await startDaemon(dir);
    const tree = await pidOf(first.client, 'tree');
    const idle = await pidOf(first.client, 'idle');
    const grandchild = await grandchildOf(pidFile, tree, 'same-group');
    for (const pid of [tree, idle, grandchild]) pids.add(pid);
    await killDaemon(first.daemon);

    const result = await overseer(dir, ['down']);

    expect(result).toMatchObject({
      code: 0,
      stdout: 'stopped 3 process(es) left running by a supervisor that died\n',
    });
    expect([tree, idle, grandchild].some(isAlive)).toBe(false);
    const store = openSqliteStore(join(dir, '.overseer', 'state.db'));
    try {
      expect(store.history.unfinishedRuns()).toEqual([]);
      expect(store.history.recentEvents(1).map((item) => item.event)).toEqual([
        expect.objectContaining({ type: 'supervisor:orphans-cleaned', count: 3 }),
      ]);
    } finally {
      store.close();
    }
    // Nothing is left for the next one: a second down has nothing to stop.
    expect(await overseer(dir, ['down'])).toMatchObject({ code: 0, stdout: '' });
  });

  it('a daemon killed with SIGKILL that nobody reaps does not refuse the next up -d', async () => {
    const { dir, pidFile } = project();
    // The daemon's parent never reaps it: killed, it stays a zombie holding its lock file.
    const parent = spawn(
      'python3',
      [join(FIXTURES, 'unreaping-parent.py'), process.execPath, CLI, 'daemon'],
      { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    try {
      const [chunk] = (await once(parent.stdout!, 'data')) as [Buffer];
      const daemonPid = Number(chunk.toString().trim());
      const client = clientOf(dir);
      await waitForStack(client);
      const tree = await pidOf(client, 'tree');
      const idle = await pidOf(client, 'idle');
      const grandchild = await grandchildOf(pidFile, tree, 'same-group');
      for (const pid of [tree, idle, grandchild]) pids.add(pid);
      process.kill(daemonPid, 'SIGKILL');
      await waitFor(() => readProcEntry(daemonPid)?.state === 'Z', 'the daemon to be a zombie');

      const up = await overseer(dir, ['up', '-d']);

      expect(up.stderr).not.toContain('already running');
      expect(up.code).toBe(0);
      expect([tree, idle, grandchild].some(isAlive)).toBe(false);
      expect((await clientOf(dir).status()).orphansCleaned).toBe(3);
      expect(await overseer(dir, ['down'])).toMatchObject({ code: 0 });
    } finally {
      parent.kill('SIGKILL');
    }
  });
});
