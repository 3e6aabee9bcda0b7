/**
 * Resource sampling of real process trees: CPU, memory, descriptors and threads in the
 * rows, summed over the whole tree (a grandchild in the group or out of it, children too
 * short-lived to be seen), a short history with a memory trend, and nothing when off.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TreeSampler } from '../../../src/runtime/sampling/sampler.js';
import { cleanup, createSupervisor, fixture, tempDir, trackPid, waitFor } from '../helpers.js';

afterEach(cleanup);

const FAST = { sampleInterval: 200 };

function readPid(file: string): number | undefined {
  try {
    return Number(readFileSync(file, 'utf8')) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * A sleeper that is up once it says "ready": without a readiness check, `up()` would wait
 * out min_uptime's default second first, which none of these tests is about.
 */
const idle = () => ({
  name: 'idle',
  command: fixture('sleeper.mjs'),
  readiness: { log: '^ready$' },
});

describe('sampling', () => {
  it('fills cpu, memory, descriptors and threads of a running process, and clears them once stopped', async () => {
    const supervisor = createSupervisor(FAST);
    supervisor.add(idle());
    await supervisor.up();
    const row = await waitFor(
      () => supervisor.list().find((info) => info.cpuPercent !== null),
      5_000,
      'a second sample',
    );
    expect(row.cpuPercent).toBeGreaterThanOrEqual(0);
    expect(row.cpuPercent).toBeLessThan(50);
    expect(row.memoryBytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(row.fds).toBeGreaterThanOrEqual(3);
    // Node runs a few threads of its own (libuv's pool, V8's workers).
    expect(row.threads).toBeGreaterThan(1);
    expect(row).toMatchObject({ healthScore: 100, healthReasons: [] });

    await supervisor.stop('idle');
    expect(supervisor.list()[0]).toMatchObject({
      cpuPercent: null,
      memoryBytes: null,
      fds: null,
      threads: null,
    });
    expect(supervisor.get('idle').resources.history).not.toEqual([]);
  });

  it.each([
    ['in its process group', []],
    ['that left it with setsid', ['setsid']],
  ])('counts a grandchild %s in the tree', async (_label, mode) => {
    const pidFile = join(tempDir(), 'grandchild.pid');
    const supervisor = createSupervisor(FAST);
    supervisor.add({
      name: 'parent',
      command: fixture('grandchild.mjs', pidFile, ...mode),
      readiness: { log: '^grandchild \\d+$' },
    });
    await supervisor.up();
    trackPid(await waitFor(() => readPid(pidFile), 5_000, 'the grandchild pid file'));
    const sample = await waitFor(
      () => supervisor.get('parent').resources.history.find((each) => each.processes === 2),
      5_000,
      'a sample with both processes',
    );
    // Two node processes: each well over 10 MB resident.
    expect(sample.memoryBytes).toBeGreaterThan(2 * 10 * 1024 * 1024);
  });

  it('counts the CPU of children too short-lived to be sampled, once', async () => {
    const supervisor = createSupervisor({ sampleInterval: 1_000 });
    // Each busy child lives 0.3 s, well between two samples; its CPU reaches the tree
    // through its parent's account of reaped children.
    supervisor.add({
      name: 'forker',
      command: 'while true; do timeout 0.3 sh -c "while :; do :; done"; done',
    });
    await supervisor.up();
    await waitFor(() => supervisor.get('forker').resources.history.length >= 5, 10_000);
    const cpu = supervisor
      .get('forker')
      .resources.history.slice(1)
      .map((sample) => sample.cpuPercent!);
    const mean = cpu.reduce((total, each) => total + each, 0) / cpu.length;
    // One busy loop at a time: near one core when it gets one, never counted twice.
    expect(mean).toBeGreaterThan(30);
    expect(Math.max(...cpu)).toBeLessThan(130);
  });

  it('keeps a short history, and sees memory rising', async () => {
    const supervisor = createSupervisor(FAST);
    supervisor.add({ name: 'hog', command: fixture('memory-hog.mjs', 2, 100) });
    await supervisor.up();
    await waitFor(() => supervisor.get('hog').resources.history.length >= 8, 10_000);
    const { resources } = supervisor.get('hog');
    const at = resources.history.map((sample) => sample.at);
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(resources.memoryTrend).toMatchObject({ rising: true });
    expect(resources.memoryTrend!.bytesPerMinute).toBeGreaterThan(0);
  });

  it('samples by default, paced by its own cost: the first pass within about 2 s', async () => {
    const supervisor = createSupervisor();
    supervisor.add(idle());
    await supervisor.up();
    await waitFor(() => supervisor.get('idle').resources.history.length > 0, 6_000);
    expect(supervisor.get('idle').memoryBytes).toBeGreaterThan(0);
  });

  it('takes no samples with sampleInterval 0', async () => {
    const supervisor = createSupervisor({ sampleInterval: 0 });
    supervisor.add(idle());
    await supervisor.up();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(supervisor.list()[0]).toMatchObject({ cpuPercent: null, memoryBytes: null });
    expect(supervisor.get('idle').resources.history).toEqual([]);
  });

  it('refuses a negative sampleInterval', () => {
    expect(() => createSupervisor({ sampleInterval: -1 })).toThrow(/sampleInterval/);
  });
});

describe('TreeSampler', () => {
  it('samples nothing it does not track, and forgets a tree once untracked', async () => {
    const sampler = new TreeSampler();
    expect(sampler.sample(Date.now()).size).toBe(0);
    const supervisor = createSupervisor({ sampleInterval: 0 });
    supervisor.add(idle());
    const [info] = await supervisor.up();
    sampler.track(info!.pid!);
    sampler.track(info!.pid!);
    expect(sampler.size).toBe(1);
    const first = sampler.sample(Date.now()).get(info!.pid!);
    expect(first).toMatchObject({ cpuPercent: null, processes: 1 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sampler.sample(Date.now()).get(info!.pid!)!.cpuPercent).not.toBeNull();
    expect(sampler.strays(info!.pid!)).toEqual([]);
    sampler.untrack(info!.pid!);
    expect(sampler.size).toBe(0);
    expect(sampler.strays(info!.pid!)).toEqual([]);
    sampler.close();
  });

  it('reports a tree whose root has exited no more', async () => {
    const sampler = new TreeSampler();
    const supervisor = createSupervisor({ sampleInterval: 0 });
    supervisor.add(idle());
    const [info] = await supervisor.up();
    sampler.track(info!.pid!);
    expect(sampler.sample(Date.now()).has(info!.pid!)).toBe(true);
    await supervisor.stop('idle');
    expect(sampler.sample(Date.now()).has(info!.pid!)).toBe(false);
    sampler.close();
  });
});
