/**
 * A supervisor killed with SIGKILL while tasks run leaves their trees running. The next one
 * on the same state dir ends them (a grandchild that left the group included), reports the
 * tasks `failed`, `supervisor died`, and lists them with the tasks it remembers.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpSupervisorClient } from '../../src/protocol/client.js';
import { readProcEntry } from '../../src/runtime/process/proc.js';

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

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ovt-'));
  dirs.push(dir);
  writeFileSync(
    join(dir, 'overseer.yaml'),
    [
      'version: 1',
      'processes:',
      '  idle:',
      `    command: [${process.execPath}, ${join(FIXTURES, 'sleeper.mjs')}]`,
      '',
    ].join('\n'),
  );
  return dir;
}

/** Runs a supervisor for the folder in its own process, as `up -d` does. */
async function startDaemon(
  dir: string,
): Promise<{ daemon: ChildProcess; client: HttpSupervisorClient }> {
  const daemon = spawn(process.execPath, [CLI, 'daemon'], { cwd: dir, stdio: 'ignore' });
  daemons.push(daemon);
  const client = new HttpSupervisorClient({ socketPath: join(dir, '.overseer', 'overseer.sock') });
  await waitFor(async () => (await client.list().catch(() => [])).length === 1, 'the daemon');
  return { daemon, client };
}

describe('tasks of a supervisor killed with SIGKILL', () => {
  it('are reported failed by the next one, supervisor died, and nothing of them is left', async () => {
    const dir = project();
    const first = await startDaemon(dir);
    const pidFile = join(dir, 'grandchild.pid');
    const tree = await first.client.submitTask({
      name: 'tree',
      command: [process.execPath, join(FIXTURES, 'grandchild.mjs'), pidFile, 'setsid'],
    });
    const done = await first.client.submitTask({ name: 'done', command: 'true' });
    await first.client.waitTask(done, 10_000);
    const treePid = await waitFor(async () => (await first.client.getTask(tree)).pid, 'the task');
    const grandchild = await waitFor(() => {
      try {
        const pid = Number(readFileSync(pidFile, 'utf8'));
        return pid && readProcEntry(pid)?.pgid !== treePid ? pid : 0;
      } catch {
        return 0;
      }
    }, 'the grandchild to leave the group');
    for (const pid of [treePid, grandchild]) pids.add(pid);

    first.daemon.kill('SIGKILL');
    await new Promise((resolve) => first.daemon.once('exit', resolve));
    expect(isAlive(treePid)).toBe(true);
    expect(isAlive(grandchild)).toBe(true);

    const second = await startDaemon(dir);
    expect(isAlive(treePid)).toBe(false);
    expect(isAlive(grandchild)).toBe(false);
    expect(await second.client.getTask(tree)).toMatchObject({
      status: 'failed',
      reason: 'supervisor died',
      result: { status: 'failed', reason: 'supervisor died', exitCode: null },
    });
    const listed = await second.client.listTasks();
    expect(listed.map((task) => [task.name, task.status])).toEqual([
      ['done', 'succeeded'],
      ['tree', 'failed'],
    ]);
    expect(await second.client.listTasks({ status: 'failed' })).toHaveLength(1);
    expect(await second.client.waitTask(tree, 10)).toMatchObject({ status: 'failed' });
    await expect(second.client.cancelTask(tree)).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });
});
