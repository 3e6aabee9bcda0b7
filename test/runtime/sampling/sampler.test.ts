/**
 * Which processes a pass finds: a tree tracked late still gets the children it had before,
 * though an earlier pass saw them when they belonged to no tree.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { TreeSampler } from '../../../src/runtime/sampling/sampler.js';
import { cleanup, trackPid, waitFor } from '../helpers.js';

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
});
