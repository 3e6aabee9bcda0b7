/**
 * One supervisor per state dir: the pid/lock file, a second daemon refused while the first
 * lives, a lock left by a dead supervisor (or naming a reused pid) taken over, and the lock
 * let go when the daemon closes or fails to open.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/config/load.js';
import { OverseerError } from '../../src/core/errors.js';
import { Daemon } from '../../src/daemon/daemon.js';
import { acquireLock, lockHolder } from '../../src/daemon/lock.js';
import { PID_FILE } from '../../src/protocol/state-dir.js';
import { readProcEntry } from '../../src/runtime/process/proc.js';
import {
  cleanupAll,
  httpRequest,
  isGone,
  openDaemon,
  sleeper,
  tempDir,
  trackDaemon,
  writeConfig,
} from './helpers.js';

afterEach(cleanupAll);

/** The pid of a process that has already exited (and been reaped). */
function deadPid(): number {
  const result = spawnSync(process.execPath, ['-e', '']);
  expect(isGone(result.pid!)).toBe(true);
  return result.pid!;
}

function readRecord(stateDir: string): { pid: number; startTime: number | null } {
  return JSON.parse(readFileSync(join(stateDir, PID_FILE), 'utf8'));
}

function ourStartTime(): number | null {
  return readProcEntry(process.pid)?.startTime ?? null;
}

const UNREAPING_PARENT = fileURLToPath(new URL('../fixtures/unreaping-parent.py', import.meta.url));

/** A process that has exited but is not reaped: a zombie, as its parent never waits. */
async function zombie(): Promise<{ pid: number; startTime: number; release: () => void }> {
  const parent = spawn('python3', [UNREAPING_PARENT, 'true'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [chunk] = (await once(parent.stdout!, 'data')) as [Buffer];
  const pid = Number(chunk.toString().trim());
  for (let entry = readProcEntry(pid); entry?.state !== 'Z'; entry = readProcEntry(pid)) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return {
    pid,
    startTime: readProcEntry(pid)!.startTime,
    release: () => parent.kill('SIGKILL'),
  };
}

describe('acquireLock', () => {
  it('a zombie supervisor does not block the next up -d: its lock is taken over', async () => {
    const dir = tempDir();
    const holder = await zombie();
    try {
      writeFileSync(
        join(dir, PID_FILE),
        JSON.stringify({ pid: holder.pid, startTime: holder.startTime }),
      );
      expect(lockHolder(dir)).toBeUndefined();
      const lock = acquireLock(dir);
      expect(readRecord(dir).pid).toBe(process.pid);
      lock.release();
    } finally {
      holder.release();
    }
  });

  it('writes our pid and start time, readable by the owner only', () => {
    const dir = tempDir();

    const lock = acquireLock(dir);

    expect(lock.path).toBe(join(dir, PID_FILE));
    expect(readRecord(dir)).toEqual({ pid: process.pid, startTime: ourStartTime() });
    expect(statSync(lock.path).mode & 0o777).toBe(0o600);
    expect(lockHolder(dir)).toBe(process.pid);
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
    expect(lockHolder(dir)).toBeUndefined();
  });

  it('refuses a second taker while the holder lives, naming the dir and the pid', () => {
    const dir = tempDir();
    const lock = acquireLock(dir);

    let error: unknown;
    try {
      acquireLock(dir);
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(OverseerError);
    expect(error).toMatchObject({
      code: 'INVALID_STATE',
      message: `a supervisor is already running for ${dir} (pid ${process.pid})`,
    });
    expect(readRecord(dir).pid).toBe(process.pid);
    lock.release();
  });

  it('takes over a lock left by a supervisor that died', () => {
    const dir = tempDir();
    const pid = deadPid();
    writeFileSync(join(dir, PID_FILE), JSON.stringify({ pid, startTime: 12_345 }));
    expect(lockHolder(dir)).toBeUndefined();

    const lock = acquireLock(dir);

    expect(readRecord(dir)).toEqual({ pid: process.pid, startTime: ourStartTime() });
    lock.release();
  });

  it('takes over a lock whose pid now names another process (other start time)', () => {
    const dir = tempDir();
    const parent = process.ppid;
    const startTime = readProcEntry(parent)!.startTime;
    writeFileSync(join(dir, PID_FILE), JSON.stringify({ pid: parent, startTime: startTime + 1 }));
    expect(lockHolder(dir)).toBeUndefined();

    const lock = acquireLock(dir);

    expect(readRecord(dir).pid).toBe(process.pid);
    lock.release();
  });

  it('refuses while a live process holds it with its own start time', () => {
    const dir = tempDir();
    const parent = process.ppid;
    const startTime = readProcEntry(parent)!.startTime;
    writeFileSync(join(dir, PID_FILE), JSON.stringify({ pid: parent, startTime }));

    expect(lockHolder(dir)).toBe(parent);
    expect(() => acquireLock(dir)).toThrow(`(pid ${parent})`);
  });

  it.each([
    ['empty', ''],
    ['not JSON', 'garbage'],
    ['without a pid', '{"startTime":1}'],
  ])('takes over a lock file that is %s', (_what, content) => {
    const dir = tempDir();
    writeFileSync(join(dir, PID_FILE), content);

    const lock = acquireLock(dir);

    expect(readRecord(dir).pid).toBe(process.pid);
    lock.release();
  });

  it('release() leaves alone a lock someone else has taken since', () => {
    const dir = tempDir();
    const lock = acquireLock(dir);
    const other = JSON.stringify({ pid: process.ppid, startTime: null });
    writeFileSync(lock.path, other);

    lock.release();

    expect(readFileSync(lock.path, 'utf8')).toBe(other);
  });
});

describe('Daemon.open and the lock', () => {
  it('refuses a second daemon on the same state dir and leaves the first serving', async () => {
    const first = await openDaemon({ processes: { web: sleeper() } });
    const project = await loadProject(first.configPath);

    const error = await Daemon.open(project).then(
      (second) => trackDaemon(second),
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(OverseerError);
    expect(error).toMatchObject({
      code: 'INVALID_STATE',
      message: `a supervisor is already running for ${first.stateDir} (pid ${process.pid})`,
    });
    expect(lockHolder(first.stateDir)).toBe(process.pid);
    const response = await httpRequest({ socketPath: first.socketPath }, 'GET', '/daemon');
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toMatchObject({ configPath: first.configPath });
  });

  it('starts over a stale pid file left by a dead supervisor', async () => {
    const dir = tempDir();
    const stateDir = join(dir, '.overseer');
    writeConfig(dir, { processes: { web: sleeper() } });
    mkdirSync(stateDir);
    writeFileSync(join(stateDir, PID_FILE), JSON.stringify({ pid: deadPid(), startTime: 1 }));

    const { daemon, socketPath } = await openDaemon({ processes: { web: sleeper() } }, dir);

    expect(readRecord(stateDir).pid).toBe(process.pid);
    await daemon.up();
    const response = await httpRequest({ socketPath }, 'GET', '/processes');
    expect(JSON.parse(response.text).processes[0]).toMatchObject({ status: 'running' });
  });

  it('lets go of the lock and the socket when it closes, so a new daemon can open', async () => {
    const { daemon, stateDir, socketPath, configPath } = await openDaemon({
      processes: { web: sleeper() },
    });
    await daemon.up();
    const pid = daemon.supervisor.get('web').pid!;

    await daemon.shutdown();
    await daemon.closed;

    expect(isGone(pid)).toBe(true);
    expect(existsSync(join(stateDir, PID_FILE))).toBe(false);
    expect(existsSync(socketPath)).toBe(false);
    expect(lockHolder(stateDir)).toBeUndefined();
    const next = trackDaemon(await Daemon.open(await loadProject(configPath)));
    expect(lockHolder(stateDir)).toBe(process.pid);
    await next.shutdown();
  });

  it('lets go of the lock when it cannot open (a socket path too long)', async () => {
    const dir = tempDir();
    const configPath = writeConfig(dir, {
      settings: { state_dir: 'x'.repeat(100) },
      processes: { web: sleeper() },
    });
    const project = await loadProject(configPath);

    await expect(Daemon.open(project)).rejects.toMatchObject({
      code: 'INVALID_SPEC',
      message: expect.stringContaining('settings.state_dir'),
    });

    expect(lockHolder(project.settings.stateDir)).toBeUndefined();
    expect(existsSync(join(project.settings.stateDir, PID_FILE))).toBe(false);
  });
});
