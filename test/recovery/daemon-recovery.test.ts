/**
 * A supervisor killed with SIGKILL leaves its stack running. The next one on the same state
 * dir stops those leftovers (grandchildren included), says how many, starts the stack
 * again, and carries on the history: runs, restart counts, and what was stopped on request.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProcessInfo } from '../../src/core/view.js';
import { HttpSupervisorClient } from '../../src/protocol/client.js';
import { readProcEntry } from '../../src/runtime/proc.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';

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

/** A project folder whose `tree` process keeps a grandchild, beside a plain `idle`. */
function project(): { dir: string; pidFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ovr-'));
  dirs.push(dir);
  const pidFile = join(dir, 'grandchild.pid');
  writeFileSync(
    join(dir, 'overseer.yaml'),
    [
      'version: 1',
      'processes:',
      '  tree:',
      `    command: [${process.execPath}, ${join(FIXTURES, 'grandchild.mjs')}, ${pidFile}]`,
      '    stop: { timeout: 2s }',
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
): Promise<{ daemon: ChildProcess; client: HttpSupervisorClient }> {
  const daemon = spawn(process.execPath, [CLI, 'daemon'], { cwd: dir, stdio: 'ignore' });
  daemons.push(daemon);
  const client = new HttpSupervisorClient({ socketPath: join(dir, '.overseer', 'overseer.sock') });
  await waitFor(
    async () =>
      (await client.list().catch(() => [])).every(isUp) &&
      (await client.list().catch(() => [])).length === 2,
    'the stack to run',
  );
  return { daemon, client };
}

const isUp = (info: ProcessInfo) => info.status === 'running';

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
      expect.objectContaining({ category: 'recovery', level: 'warn', count: 3 }),
    );

    const store = new SqliteStore(join(dir, '.overseer', 'state.db'));
    try {
      const events = store.recentEvents(1_000).map((item) => item.event);
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
});
