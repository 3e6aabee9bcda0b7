/**
 * The guarantee (README.md): stopping a process stops its whole tree, with no orphaned grandchildren, both
 * for a grandchild in the child's process group and for one that left it with setsid.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cleanup,
  createSupervisor,
  fixture,
  isGone,
  tempDir,
  trackPid,
  waitFor,
} from '../helpers.js';

afterEach(cleanup);

/** Reads a process's session id from /proc (field 6 of stat). */
function sessionOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3]);
}

/** Reads a process's group id from /proc (field 5 of stat). */
function groupOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

/** The pid written in `file`, or `undefined` while it is missing or still empty. */
function readPid(file: string): number | undefined {
  try {
    return Number(readFileSync(file, 'utf8')) || undefined;
  } catch {
    return undefined;
  }
}

async function startWithGrandchild(mode?: 'setsid') {
  const pidFile = join(tempDir(), 'grandchild.pid');
  const supervisor = createSupervisor();
  supervisor.add({
    name: 'parent',
    command: fixture('grandchild.mjs', pidFile, ...(mode ? [mode] : [])),
    // grandchild.mjs prints its line only after writing the pid file.
    readiness: { log: '^grandchild \\d+$' },
    stop: { timeout: '2s' },
  });
  const [info] = await supervisor.up();
  expect(info!.status).toBe('running');
  const grandchild = trackPid(
    await waitFor(() => readPid(pidFile), 5_000, 'the grandchild pid file'),
  );
  return { supervisor, child: info!.pid!, grandchild };
}

describe('process tree', () => {
  it('ends a grandchild in the process group when the process is stopped', async () => {
    const { supervisor, child, grandchild } = await startWithGrandchild();
    expect(isGone(grandchild)).toBe(false);
    expect(groupOf(grandchild)).toBe(child);

    await supervisor.stop('parent');

    expect(isGone(child)).toBe(true);
    expect(isGone(grandchild)).toBe(true);
  });

  it('ends a grandchild that left the group with setsid when the process is stopped', async () => {
    const { supervisor, child, grandchild } = await startWithGrandchild('setsid');
    expect(isGone(grandchild)).toBe(false);
    // The grandchild really left: its own session, so signalling the group alone would miss it.
    expect(sessionOf(grandchild)).toBe(grandchild);
    expect(groupOf(grandchild)).not.toBe(child);

    await supervisor.stop('parent');

    expect(isGone(child)).toBe(true);
    expect(isGone(grandchild)).toBe(true);
  });

  it('ends the whole tree on shutdown', async () => {
    const { supervisor, child, grandchild } = await startWithGrandchild('setsid');

    await supervisor.shutdown();

    expect(isGone(child)).toBe(true);
    expect(isGone(grandchild)).toBe(true);
  });
});
