/**
 * Which processes a pass finds: a tree tracked late still gets the children it had before,
 * though an earlier pass saw them when they belonged to no tree. And what a tree wrote to
 * storage, a child that exited included, counted once.
 */
import { spawn } from 'node:child_process';
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TreeSampler } from '../../../src/runtime/sampling/sampler.js';
import { cleanup, fixture, tempDir, trackPid, waitFor } from '../helpers.js';

const samplers: TreeSampler[] = [];
const groups: number[] = [];

afterEach(async () => {
  for (const sampler of samplers.splice(0)) sampler.close();
  for (const group of groups.splice(0)) {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  await cleanup();
});

/** A process group leader (a shell) with one child (a sleep) in its group. */
function shellWithChild(): number {
  const child = spawn('sh', ['-c', 'sleep 60 & wait'], { detached: true, stdio: 'ignore' });
  child.unref();
  groups.push(child.pid!);
  return trackPid(child.pid!);
}

/** Whether `pid` has a child yet, as /proc says. */
function hasChild(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim() !== '';
  } catch {
    return false;
  }
}

describe('TreeSampler', () => {
  it('a tree tracked after a pass saw its child as foreign still counts that child', async () => {
    const sampler = new TreeSampler();
    samplers.push(sampler);
    const early = shellWithChild();
    const late = shellWithChild();
    // Both shells have forked their sleep before any pass: the late one's must be seen.
    await waitFor(() => (hasChild(early) && hasChild(late)) || undefined);
    sampler.track(early);
    await waitFor(() => sampler.sample(Date.now()).get(early)?.processes === 2 || undefined);
    // Passes with nothing new to look at: the late tree's processes were seen and let go.
    sampler.sample(Date.now());
    sampler.track(late);
    expect(sampler.sample(Date.now()).get(late)?.processes).toBe(2);
  });

  it('counts what a child wrote once: before it exits, and after its parent in the tree reaped it', async () => {
    const written = 1 << 20;
    const dir = tempDir();
    const [command, ...args] = fixture('io-tree.mjs', written);
    const root = spawn(command!, args, {
      cwd: dir,
      detached: true,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    groups.push(root.pid!);
    trackPid(root.pid!);
    let output = '';
    root.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const sampler = new TreeSampler();
    samplers.push(sampler);
    sampler.track(root.pid!);
    await waitFor(() => output.includes('wrote') || undefined);
    const countsWrites = filesystemCountsWrites(dir);

    const before = sampler.sample(Date.now()).get(root.pid!)!;
    expect(before.processes).toBe(2);
    root.stdin.write('\n');
    await waitFor(() => output.includes('reaped') || undefined);
    const after = sampler.sample(Date.now()).get(root.pid!)!;

    expect(after.processes).toBe(1);
    expect(after.io!.writeBytes).toBeGreaterThanOrEqual(before.io!.writeBytes);
    if (countsWrites) {
      expect(before.io!.writeBytes).toBeGreaterThanOrEqual(written);
      // The reaped child's counts are in its parent's now: not counted a second time.
      expect(after.io!.writeBytes).toBeLessThan(2 * written);
    }
  });
});

/** Whether writing and flushing a file in `dir` shows in this process's write_bytes. */
function filesystemCountsWrites(dir: string): boolean {
  const writeBytes = () =>
    Number(/^write_bytes: (\d+)$/m.exec(readFileSync('/proc/self/io', 'latin1'))?.[1] ?? 0);
  const before = writeBytes();
  const fd = openSync(join(dir, 'probe.bin'), 'w');
  writeSync(fd, Buffer.alloc(64 * 1024, 1));
  fsyncSync(fd);
  closeSync(fd);
  return writeBytes() - before >= 64 * 1024;
}
