/**
 * One run's process tree: a run that could not be moved into its cgroup is kept as a
 * process group is, never judged by a cgroup it is not in.
 */
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { RunTree } from '../../../src/runtime/process/run-tree.js';
import { cleanup, fixture, trackPid } from '../helpers.js';

afterEach(cleanup);

describe('RunTree', () => {
  it('a run that cannot be moved into its cgroup is tracked as a process group, not lost', async () => {
    const [file, ...args] = fixture('sleeper.mjs');
    const child = spawn(file!, args, { detached: true, stdio: 'ignore' });
    trackPid(child.pid!);
    const tree = new RunTree('mark', '/sys/fs/cgroup/no-such-cgroup-for-a-test');

    tree.attach(child.pid!, true);

    expect(tree.cgroup).toBeNull();
    expect(tree.isGone()).toBe(false);
    tree.kill();
    await new Promise((resolve) => child.once('exit', resolve));
    expect(tree.isGone()).toBe(true);
  });
});
