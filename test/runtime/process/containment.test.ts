/**
 * The guarantee (README.md): a run's whole tree ends with it, however the run ended. The hard case is a
 * grandchild that double-forked and called `setsid`: reparented to PID 1 before anything
 * looks, it is no one's descendant and in no group of the run. Both containment modes must
 * end it: `cgroup` (no fork leaves the run's cgroup) and `process-group` (the run's mark in
 * its environment).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ContainmentMode } from '../../../src/core/view.js';
import { Containment } from '../../../src/runtime/process/containment.js';
import { readProcEntry } from '../../../src/runtime/process/proc.js';
import {
  cleanup,
  createSupervisor,
  fixture,
  isGone,
  tempDir,
  trackPid,
  waitFor,
  waitForEvent,
} from '../helpers.js';

afterEach(cleanup);

/** The pid written in `file`, or `undefined` while it is missing or still empty. */
function readPid(file: string): number | undefined {
  try {
    return Number(readFileSync(file, 'utf8')) || undefined;
  } catch {
    return undefined;
  }
}

const MODES: readonly ContainmentMode[] = ['cgroup', 'process-group'];

describe.each(MODES)('containment %s', (mode) => {
  /** A supervisor whose `escaper` leaves a double-forked setsid grandchild behind it. */
  async function startEscaper(after: 'stay' | 'exit' = 'stay') {
    const pidFile = join(tempDir(), 'grandchild.pid');
    const supervisor = createSupervisor({ containment: mode });
    expect(supervisor.containment.mode).toBe(mode);
    supervisor.add({
      name: 'escaper',
      command: fixture('double-fork.mjs', pidFile, after),
      readiness: { log: '^escaped$' },
      restart: { policy: 'never' },
      stop: { timeout: '2s' },
    });
    const exited = waitForEvent(
      supervisor,
      (event): event is never => event.type === 'process:exit',
      10_000,
    );
    const [info] = await supervisor.up();
    const grandchild = trackPid(await waitFor(() => readPid(pidFile), 5_000, 'the pid file'));
    // Escaped for real: not in the run's group, and no longer the run's descendant.
    const entry = await waitFor(() => {
      const now = readProcEntry(grandchild);
      return now && now.ppid !== info!.pid ? now : undefined;
    });
    expect(entry.pgid).not.toBe(info!.pid);
    return { supervisor, main: info!.pid!, grandchild, exited };
  }

  it('ends a double-forked setsid grandchild when the process is stopped', async () => {
    const { supervisor, main, grandchild } = await startEscaper();
    await supervisor.stop('escaper');
    expect(isGone(main)).toBe(true);
    expect(isGone(grandchild)).toBe(true);
  });

  it('ends a double-forked setsid grandchild when the process exits by itself', async () => {
    const { grandchild, exited } = await startEscaper('exit');
    await exited;
    expect(isGone(grandchild)).toBe(true);
  });

  it('ends a double-forked setsid grandchild when the process is SIGKILLed from outside', async () => {
    const { main, grandchild, exited } = await startEscaper();
    process.kill(main, 'SIGKILL');
    await exited;
    expect(isGone(grandchild)).toBe(true);
  });

  it('ends a double-forked setsid grandchild when the process is restarted', async () => {
    const { supervisor, grandchild } = await startEscaper();
    await supervisor.restart('escaper');
    expect(isGone(grandchild)).toBe(true);
  });

  it('ends a double-forked setsid grandchild on shutdown', async () => {
    const { supervisor, grandchild } = await startEscaper();
    await supervisor.shutdown();
    expect(isGone(grandchild)).toBe(true);
  });

  it('names its mode in inspect', async () => {
    const { supervisor } = await startEscaper();
    expect(supervisor.get('escaper').containment?.mode).toBe(mode);
  });
});

describe('cgroup containment', () => {
  it('keeps each run in its own cgroup and removes it when the run ends', async () => {
    const supervisor = createSupervisor({ containment: 'cgroup' });
    supervisor.add({ name: 'idle', command: fixture('sleeper.mjs'), readiness: { log: 'ready' } });
    const [info] = await supervisor.up();
    const membership = readFileSync(`/proc/${info!.pid}/cgroup`, 'utf8');
    const path = membership
      .split('\n')
      .find((line) => line.startsWith('0::'))!
      .slice(3);
    expect(path).toMatch(/\/overseer-\d+-\d+\/run-\d+$/);
    const dir = join(supervisor.containment.cgroup!, path.slice(path.lastIndexOf('/') + 1));
    expect(existsSync(join(dir, 'cgroup.procs'))).toBe(true);
    await supervisor.stop('idle');
    expect(existsSync(dir)).toBe(false);
  });

  it('leaves no cgroup behind at shutdown after a burst of tasks', async () => {
    const supervisor = createSupervisor({ containment: 'cgroup' });
    const folder = supervisor.containment.cgroup!;
    const results = await Promise.all(
      Array.from({ length: 6 }, () => supervisor.run({ command: ['true'] })),
    );
    expect(results.map((result) => result.status)).toEqual(Array(6).fill('succeeded'));
    await supervisor.shutdown();
    expect(existsSync(folder)).toBe(false);
  });

  it('gives the runs of two supervisors in one process cgroups of their own', async () => {
    const cgroupOf = (pid: number) =>
      readFileSync(`/proc/${pid}/cgroup`, 'utf8')
        .split('\n')
        .find((line) => line.startsWith('0::'));
    const pids = [];
    for (const _ of [1, 2]) {
      const supervisor = createSupervisor({ containment: 'cgroup' });
      supervisor.add({
        name: 'idle',
        command: fixture('sleeper.mjs'),
        readiness: { log: 'ready' },
      });
      const [info] = await supervisor.up();
      expect(info!.status).toBe('running');
      pids.push(info!.pid!);
    }
    expect(cgroupOf(pids[0]!)).not.toBe(cgroupOf(pids[1]!));
  });

  it('is chosen by OVERSEER_CONTAINMENT, and a bad value is refused with its name', () => {
    expect(Containment.detect(undefined, { OVERSEER_CONTAINMENT: 'process-group' }).info).toEqual({
      mode: 'process-group',
      reason: 'chosen by OVERSEER_CONTAINMENT',
    });
    expect(() => Containment.detect(undefined, { OVERSEER_CONTAINMENT: 'jail' })).toThrow(
      'OVERSEER_CONTAINMENT: expected one of auto, cgroup, process-group, got "jail"',
    );
  });
});

describe.each(MODES)('a host that exits without a shutdown (%s)', (mode) => {
  it('takes every tree down with it, a double-forked setsid grandchild included', async () => {
    const pidFile = join(tempDir(), 'grandchild.pid');
    const host = spawn(process.execPath, fixture('exiting-host.mjs', mode, pidFile).slice(1), {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [code] = (await once(host, 'exit')) as [number];
    expect(code).toBe(0);
    const grandchild = trackPid(readPid(pidFile)!);
    // SIGKILLed as the host exited; dying takes the kernel a moment.
    await waitFor(() => isGone(grandchild), 2_000, 'the grandchild to be gone');
  });
});
