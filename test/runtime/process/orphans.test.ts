/**
 * Ending a dead supervisor's leftovers: only processes whose pid still names what was
 * spawned (same boot, same start time) are touched; a reused pid is left alone.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cgroupPids,
  createRunCgroup,
  createSupervisorCgroup,
  findOwnCgroup,
} from '../../../src/runtime/process/cgroup.js';
import {
  currentBootId,
  endLeftovers,
  type LeftoverRun,
} from '../../../src/runtime/process/orphans.js';
import { readProcEntry } from '../../../src/runtime/process/proc.js';
import { cleanup, fixture, tempDir, trackPid, waitFor } from '../helpers.js';

afterEach(cleanup);

const STOP = { signal: 'SIGTERM', timeoutMs: 2_000 };

/**
 * A fixture that prints "ready" once its signal handler is installed, in its own group,
 * returned when that line arrives. Its stdout stays drained, so a later line of its own
 * never meets a closed pipe.
 */
async function spawnReadyLeader(command: string[]): Promise<ChildProcess> {
  const [file, ...args] = command;
  const child = spawn(file!, args, { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  trackPid(child.pid!);
  child.unref();
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes('ready\n')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`${file} exited (${code}) before ready`)));
  });
  return child;
}

/** A process in its own group, as a supervisor would have spawned it, then let go of. */
function spawnLeader(command: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const [file, ...args] = command;
  const child = spawn(file!, args, { detached: true, stdio: 'ignore', env });
  trackPid(child.pid!);
  child.unref();
  return child;
}

function runOf(pid: number, startTimeShift = 0): LeftoverRun {
  const entry = readProcEntry(pid);
  if (!entry) throw new Error(`${pid} is not running`);
  return { pid, pidStartTime: entry.startTime + startTimeShift, bootId: currentBootId() };
}

/** The pid a fixture wrote into `file`, once it has. */
async function pidFrom(file: string): Promise<number> {
  const read = () => {
    try {
      return Number(readFileSync(file, 'utf8').trim()) || undefined;
    } catch {
      return undefined;
    }
  };
  return trackPid(await waitFor(read, 5_000, `a pid in ${file}`));
}

const isAlive = (pid: number) => {
  const entry = readProcEntry(pid);
  return entry !== undefined && entry.state !== 'Z';
};

describe('endLeftovers', () => {
  it('does not wait for ever on a leftover it cannot kill: it is reported as a survivor', async () => {
    const leader = spawnLeader(fixture('sleeper.mjs'));
    const run = runOf(leader.pid!);
    // Ended by a supervisor that may not signal it (another user's process): kill() is
    // refused, as it is for a process stuck in uninterruptible sleep that SIGKILL cannot end.
    const orphans = new URL('../../../dist/runtime/process/orphans.js', import.meta.url).href;
    const script = `const { endLeftovers } = await import(${JSON.stringify(orphans)});
      const fates = await endLeftovers([${JSON.stringify(run)}], { signal: 'SIGTERM', timeoutMs: 100 });
      process.stdout.write(JSON.stringify(fates));`;
    const unprivileged = spawn(process.execPath, ['--input-type=module', '-e', script], {
      uid: 65534,
      gid: 65534,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    trackPid(unprivileged.pid!);
    let output = '';
    unprivileged.stdout!.on('data', (chunk) => {
      output += chunk;
    });
    const [code] = await Promise.race([
      new Promise<[number | null]>((resolve) => unprivileged.once('exit', (c) => resolve([c]))),
      new Promise<[string]>((resolve) => setTimeout(() => resolve(['still waiting']), 15_000)),
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(output)).toEqual([{ kind: 'ended', processes: 1, survivors: [leader.pid] }]);
    expect(isAlive(leader.pid!)).toBe(true);
  });

  it('ends a leftover process group, its grandchild included', async () => {
    const dir = tempDir();
    const pidFile = join(dir, 'grandchild.pid');
    const leader = spawnLeader(fixture('grandchild.mjs', pidFile));
    const grandchild = await pidFrom(pidFile);
    const fates = await endLeftovers([runOf(leader.pid!)], STOP);
    expect(fates).toEqual([{ kind: 'ended', processes: 2, survivors: [] }]);
    expect(isAlive(leader.pid!)).toBe(false);
    expect(isAlive(grandchild)).toBe(false);
  });

  it('ends what is left of a group whose leader already died', async () => {
    const dir = tempDir();
    const pidFile = join(dir, 'grandchild.pid');
    const leader = spawnLeader(fixture('grandchild.mjs', pidFile));
    const grandchild = await pidFrom(pidFile);
    const run = runOf(leader.pid!);
    process.kill(leader.pid!, 'SIGKILL');
    await waitFor(() => !isAlive(leader.pid!));
    expect(await endLeftovers([run], STOP)).toEqual([
      { kind: 'ended', processes: 1, survivors: [] },
    ]);
    expect(isAlive(grandchild)).toBe(false);
  });

  it('leaves alone a pid that now names another process', async () => {
    const unrelated = spawnLeader(fixture('sleeper.mjs'));
    // Recorded with another start time: the pid was reused by an unrelated process.
    const fates = await endLeftovers([runOf(unrelated.pid!, -1)], STOP);
    expect(fates).toEqual([{ kind: 'foreign' }]);
    expect(isAlive(unrelated.pid!)).toBe(true);
  });

  it('leaves alone a run it cannot identify, and ignores runs of another boot', async () => {
    const unrelated = spawnLeader(fixture('sleeper.mjs'));
    const known = runOf(unrelated.pid!);
    const fates = await endLeftovers(
      [
        { ...known, pidStartTime: null },
        { ...known, bootId: 'another-boot' },
      ],
      STOP,
    );
    expect(fates).toEqual([{ kind: 'foreign' }, { kind: 'gone' }]);
    expect(isAlive(unrelated.pid!)).toBe(true);
  });

  it('reports a run with nothing left as gone', async () => {
    const leader = spawnLeader(['/bin/true']);
    const run = runOf(leader.pid!);
    await waitFor(() => !isAlive(leader.pid!));
    expect(await endLeftovers([run], STOP)).toEqual([{ kind: 'gone' }]);
  });

  it('resumes a group its supervisor left paused, so it acts on the stop signal', async () => {
    const paused = await spawnReadyLeader(fixture('sleeper.mjs'));
    process.kill(-paused.pid!, 'SIGSTOP');
    await waitFor(() => readProcEntry(paused.pid!)?.state === 'T');
    const began = Date.now();
    const fates = await endLeftovers([runOf(paused.pid!)], {
      signal: 'SIGTERM',
      timeoutMs: 10_000,
    });
    expect(fates).toEqual([{ kind: 'ended', processes: 1, survivors: [] }]);
    // Ended by SIGTERM, well before the SIGKILL deadline.
    expect(Date.now() - began).toBeLessThan(5_000);
    expect(isAlive(paused.pid!)).toBe(false);
  });

  it('SIGKILLs a leftover that ignores the stop signal, after the timeout', async () => {
    const stubborn = await spawnReadyLeader(fixture('ignore-sigterm.mjs'));
    const began = Date.now();
    const fates = await endLeftovers([runOf(stubborn.pid!)], { signal: 'SIGTERM', timeoutMs: 300 });
    expect(fates).toEqual([{ kind: 'ended', processes: 1, survivors: [] }]);
    expect(Date.now() - began).toBeGreaterThanOrEqual(290);
    expect(isAlive(stubborn.pid!)).toBe(false);
  });

  it('ends the strays a run recorded, and leaves alone a stray whose pid was reused', async () => {
    const dir = tempDir();
    const pidFile = join(dir, 'grandchild.pid');
    const leader = spawnLeader(fixture('grandchild.mjs', pidFile, 'setsid'));
    const stray = await pidFrom(pidFile);
    const unrelated = spawnLeader(fixture('sleeper.mjs'));
    await waitFor(() => readProcEntry(unrelated.pid!));
    const identity = (pid: number, shift = 0) => ({
      pid,
      startTime: readProcEntry(pid)!.startTime + shift,
    });
    const run = { ...runOf(leader.pid!), strays: [identity(stray), identity(unrelated.pid!, -1)] };
    expect(await endLeftovers([run], STOP)).toEqual([
      { kind: 'ended', processes: 2, survivors: [] },
    ]);
    expect(isAlive(stray)).toBe(false);
    expect(isAlive(unrelated.pid!)).toBe(true);
  });

  it('ends the processes that carry the run mark, a double-forked setsid grandchild included', async () => {
    const dir = tempDir();
    const pidFile = join(dir, 'grandchild.pid');
    const mark = `test-${process.pid}-${Date.now()}`;
    const leader = spawnLeader(fixture('double-fork.mjs', pidFile), {
      ...process.env,
      OVERSEER_RUN: mark,
    });
    const grandchild = await pidFrom(pidFile);
    const run = { ...runOf(leader.pid!), treeMark: mark };
    expect(await endLeftovers([run], STOP)).toEqual([
      { kind: 'ended', processes: 2, survivors: [] },
    ]);
    expect(isAlive(grandchild)).toBe(false);
  });

  it("ends a leftover run's cgroup, every process in it, and removes it", async () => {
    const place = findOwnCgroup();
    if (!('own' in place)) throw new Error(`no cgroup here: ${place.missing}`);
    const self = { pid: process.pid, startTime: readProcEntry(process.pid)!.startTime };
    const supervisor = createSupervisorCgroup(place, self);
    if (!('dir' in supervisor)) throw new Error(supervisor.missing);
    const cgroup = createRunCgroup(supervisor.dir, `leftover-${Date.now()}`);
    const dir = tempDir();
    const pidFile = join(dir, 'grandchild.pid');
    const script = 'echo 0 > "$0/cgroup.procs" && exec "$@"';
    const leader = spawnLeader([
      '/bin/sh',
      '-c',
      script,
      cgroup,
      ...fixture('grandchild.mjs', pidFile, 'setsid'),
    ]);
    const grandchild = await pidFrom(pidFile);
    expect(cgroupPids(cgroup).sort()).toEqual([leader.pid!, grandchild].sort());
    const run = { ...runOf(leader.pid!), cgroup };
    expect(await endLeftovers([run], STOP)).toEqual([
      { kind: 'ended', processes: 2, survivors: [] },
    ]);
    expect(isAlive(grandchild)).toBe(false);
    expect(existsSync(cgroup)).toBe(false);
  });
});
