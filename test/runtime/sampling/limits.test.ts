/**
 * Resource limits enforced on real processes: a memory hog restarted (or stopped) for its
 * memory, a CPU spinner held near its limit by throttling or only reported, a hung job
 * stopped at `max_runtime`, and a descriptor leaker held by its hard limit. CPU is measured
 * here, independently of the supervisor, over a few seconds, with tolerant bounds: the
 * machine running the tests is busy.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventOf } from '../../../src/index.js';
import { ownHardFileLimit } from '../../../src/runtime/process/rlimits.js';
import {
  cleanup,
  createSupervisor,
  fixture,
  isEvent,
  isGone,
  recordEvents,
  waitFor,
  waitForEvent,
  waitForSettled,
} from '../helpers.js';

afterEach(cleanup);

/** Sampling often, so a test sees a breach within a second or so. */
const FAST = { sampleInterval: 200 };

const isLimit = (resource: string) => (event: { type: string }) =>
  event.type === 'process:limit' && (event as EventOf<'process:limit'>).resource === resource;

/** CPU ticks (utime + stime) of one process, from /proc. */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** The CPU a process uses over `ms`, in % of one core (100 ticks a second on Linux). */
async function measureCpu(pid: number, ms: number): Promise<number> {
  const before = cpuTicks(pid);
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const ticks = cpuTicks(pid) - before;
  return (ticks / 100 / ((performance.now() - started) / 1000)) * 100;
}

/** The state letter of a process (R, S, T when stopped…). */
function stateOf(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

describe('memory warning', () => {
  it('warns of a tree growing past memory_warn and lets it run, under its limit', async () => {
    const supervisor = createSupervisor(FAST);
    supervisor.add({
      name: 'grower',
      // Node's own ~50MB and 160MiB more: over 40% of 400MB, well under 400MB.
      command: fixture('memory-hog.mjs', 16, 50, 160),
      limits: { memory: '400MB', memory_warn: '40%' },
    });
    const warned = waitForEvent(supervisor, isLimit('memory'), 10_000);
    await supervisor.up();
    const warning = (await warned) as EventOf<'process:limit'>;
    expect(warning).toMatchObject({
      name: 'grower',
      resource: 'memory',
      limit: Math.floor(400 * 1024 * 1024 * 0.4),
      action: 'warn',
      severity: 'warning',
    });
    expect(warning.reason).toMatch(/^memory \d+(\.\d)?MB over warning 160MB \(40% of 400MB\)$/);
    // A few more samples of the grown tree: it is judged again, and left alone.
    await waitFor(
      () => supervisor.get('grower').resources.history.filter((s) => s.at > warning.at).length >= 5,
      10_000,
      'five samples after the warning',
    );
    const details = supervisor.get('grower');
    expect(details).toMatchObject({ status: 'running', restarts: 0 });
    expect(details.resources.violations).toEqual({});
    expect(details.resources.breaches).toEqual([warning]);
  });
});

describe('memory limit', () => {
  it('restarts a memory hog, and says why in the exit and the backoff reason', async () => {
    const supervisor = createSupervisor(FAST);
    supervisor.add({
      name: 'hog',
      command: fixture('memory-hog.mjs', 16, 100),
      limits: { memory: '150MB', memory_action: 'restart' },
      restart: { delay: '2s', min_uptime: '100ms' },
    });
    const breach = waitForEvent(supervisor, isLimit('memory'), 10_000);
    const backoff = waitForEvent(supervisor, isEvent('process:backoff', 'hog'), 10_000);
    const exit = waitForEvent(supervisor, isEvent('process:exit', 'hog'), 10_000);
    await supervisor.up();

    const limit = (await breach) as EventOf<'process:limit'>;
    expect(limit).toMatchObject({
      name: 'hog',
      resource: 'memory',
      limit: 150 * 1024 * 1024,
      action: 'restart',
      severity: 'critical',
    });
    expect(limit.value).toBeGreaterThan(150 * 1024 * 1024);
    expect(limit.reason).toMatch(/^memory \d+(\.\d)?MB over limit 150MB$/);
    expect((await exit).reason).toBe(limit.reason);
    await backoff;
    const details = supervisor.get('hog');
    expect(details.status).toBe('backoff');
    expect(details.reason).toBe(limit.reason);
    expect(details.resources.violations).toEqual({ memory: 1 });
    expect(details.resources.breaches).toEqual([limit]);
  });

  it('stops a memory hog for good with `memory_action: stop`: failed, with the reason', async () => {
    const supervisor = createSupervisor(FAST);
    supervisor.add({
      name: 'hog',
      command: fixture('memory-hog.mjs', 16, 100),
      limits: { memory: '120MB', memory_action: 'stop' },
    });
    await supervisor.up();
    const [info] = await waitForSettled(supervisor, ['hog']);
    expect(info).toMatchObject({ status: 'failed', restarts: 0 });
    expect(info!.reason).toMatch(/^memory \d+(\.\d)?MB over limit 120MB$/);
    expect(info!.healthScore).toBe(0);
  });

  // Regression: it subscribed once up() had resolved, and the breach, about as early as
  // the end of min_uptime, often came first: the wait then timed out.
  it('only reports with `memory_action: alert`, once per episode, even when the breach comes before up() resolves', async () => {
    const supervisor = createSupervisor(FAST);
    const events = recordEvents(supervisor);
    supervisor.add({
      name: 'hog',
      command: fixture('memory-hog.mjs', 8, 100),
      // Low enough to be crossed well within min_uptime (1s), before up() resolves.
      limits: { memory: '64MB', memory_action: 'alert' },
    });
    const breach = waitForEvent(supervisor, isLimit('memory'), 10_000);
    await supervisor.up();
    await breach;
    // Still growing, still over: no second event for the same episode.
    await waitFor(() => supervisor.get('hog').resources.history.length >= 6, 10_000);
    const limits = events.filter((event) => event.type === 'process:limit');
    expect(limits).toHaveLength(1);
    expect(limits[0]).toMatchObject({ action: 'alert', severity: 'warning' });
    expect(supervisor.get('hog').status).toBe('running');
  });
});

describe('cpu limit', () => {
  it('throttles a spinner near its limit, then lets it go on stop with nothing left paused', async () => {
    const supervisor = createSupervisor(FAST);
    supervisor.add({
      name: 'spin',
      command: fixture('cpu-spinner.mjs'),
      limits: { cpu: '30%', cpu_action: 'throttle', cpu_window: '400ms' },
      stop: { timeout: '3s' },
    });
    const breach = waitForEvent(supervisor, isLimit('cpu'), 10_000);
    const [info] = await supervisor.up();
    const pid = info!.pid!;
    const limit = (await breach) as EventOf<'process:limit'>;
    expect(limit).toMatchObject({ resource: 'cpu', limit: 30, action: 'throttle' });
    expect(limit.value).toBeGreaterThan(30);

    // Let the duty settle for a couple of samples, then measure over a few seconds.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // The duty as the supervisor reports it while the CPU is measured: read throughout, as a
    // machine busy with other work may let the spinner fall under its limit for a while.
    const reported: { duty: number; reasons: string }[] = [];
    const reading = setInterval(() => {
      const { resources, healthReasons } = supervisor.get('spin');
      if (resources.throttleDuty !== null) {
        reported.push({ duty: resources.throttleDuty, reasons: healthReasons.join() });
      }
    }, 50);
    const measured = await measureCpu(pid, 3_000).finally(() => clearInterval(reading));
    expect(measured).toBeGreaterThan(10);
    expect(measured).toBeLessThan(50);
    expect(reported.length).toBeGreaterThan(0);
    for (const { duty, reasons } of reported) {
      expect(duty).toBeGreaterThan(0);
      expect(duty).toBeLessThan(1);
      expect(reasons).toMatch(/throttled to 30% CPU/);
    }

    await supervisor.stop('spin');
    expect(isGone(pid)).toBe(true);
    const run = supervisor.get('spin').runs.at(-1)!;
    // SIGTERM reached a resumed process: it exited on its own, no SIGKILL needed.
    expect(run).toMatchObject({ killedAfterTimeout: false, signal: null, exitCode: 0 });
  });

  it('only reports a spinner with `cpu_action: alert`: it keeps running unthrottled', async () => {
    const supervisor = createSupervisor(FAST);
    supervisor.add({
      name: 'spin',
      command: fixture('cpu-spinner.mjs'),
      limits: { cpu: 20, cpu_action: 'alert', cpu_window: '400ms' },
    });
    const breach = waitForEvent(supervisor, isLimit('cpu'), 10_000);
    const [info] = await supervisor.up();
    const limit = (await breach) as EventOf<'process:limit'>;
    expect(limit).toMatchObject({ resource: 'cpu', limit: 20, action: 'alert' });
    expect(limit.reason).toMatch(/^cpu \d+(\.\d)?% over limit 20% for \d/);
    const details = supervisor.get('spin');
    expect(details.status).toBe('running');
    expect(details.resources.throttleDuty).toBeNull();
    expect(details.resources.violations).toEqual({ cpu: 1 });
    // Never paused: sampled several times, the spinner is never found stopped.
    for (let look = 0; look < 10; look += 1) {
      expect(stateOf(info!.pid!)).not.toBe('T');
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
  });

  it('restarts a spinner with `cpu_action: restart`', async () => {
    const supervisor = createSupervisor(FAST);
    supervisor.add({
      name: 'spin',
      command: fixture('cpu-spinner.mjs'),
      limits: { cpu: 20, cpu_action: 'restart', cpu_window: '400ms' },
      // Running before the breach, so `up()` resolves; then a long backoff to look at.
      restart: { delay: '5s', min_uptime: '100ms' },
    });
    const exit = waitForEvent(supervisor, isEvent('process:exit', 'spin'), 10_000);
    await supervisor.up();
    expect((await exit).reason).toMatch(/^cpu \d+(\.\d)?% over limit 20%/);
    await waitFor(() => supervisor.get('spin').status === 'backoff');
  });
});

describe('max_runtime', () => {
  it('stops a hung job at max_runtime: failed, with the reason', async () => {
    const supervisor = createSupervisor(FAST);
    supervisor.add({
      name: 'stuck',
      kind: 'job',
      command: fixture('sleeper.mjs'),
      limits: { max_runtime: '1s' },
    });
    const breach = waitForEvent(supervisor, isLimit('max_runtime'));
    const exit = waitForEvent(supervisor, isEvent('process:exit', 'stuck'));
    await supervisor.up();
    const [info] = await waitForSettled(supervisor, ['stuck']);
    expect(info!.status).toBe('failed');
    expect(info!.reason).toMatch(/^max_runtime 1s reached/);
    expect(await breach).toMatchObject({ value: expect.any(Number), limit: 1_000, action: 'stop' });
    const ended = await exit;
    expect(ended.reason).toBe('max_runtime 1s reached');
    expect(ended.runMs).toBeGreaterThanOrEqual(1_000);
    expect(ended.runMs).toBeLessThan(5_000);
  });

  it('does not touch a job that ends in time', async () => {
    const supervisor = createSupervisor(FAST);
    supervisor.add({
      name: 'quick',
      kind: 'job',
      command: fixture('exit-with.mjs', 0),
      limits: { max_runtime: '5s' },
    });
    await supervisor.up();
    const [info] = await waitForSettled(supervisor, ['quick']);
    expect(info).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(supervisor.get('quick').resources.violations).toEqual({});
  });
});

describe('open_files', () => {
  it('holds a descriptor leaker to its hard limit, and reports it at the limit', async () => {
    const supervisor = createSupervisor(FAST);
    supervisor.add({
      name: 'leak',
      command: fixture('fd-leaker.mjs', 2),
      limits: { open_files: 64 },
    });
    const breach = waitForEvent(supervisor, isLimit('open_files'), 10_000);
    const [info] = await supervisor.up();
    const refused = await waitFor(
      () => supervisor.logs('leak').find((line) => line.text.startsWith('EMFILE after')),
      10_000,
      'the leaker to be refused',
    );
    expect(supervisor.logs('leak').map((line) => line.text)).toContain('limit 64 64');
    expect(Number(refused.text.split(' ')[2])).toBeLessThan(64);
    const limits = readFileSync(`/proc/${info!.pid}/limits`, 'utf8');
    expect(limits).toMatch(/^Max open files\s+64\s+64\s+files/m);
    expect(await breach).toMatchObject({ resource: 'open_files', limit: 64, action: 'deny' });
    // Every descriptor number below the limit is taken (a descriptor inherited from above it,
    // which the limit does not close, may add to the count).
    expect(supervisor.get('leak').fds).toBeGreaterThanOrEqual(64);
  });

  it('a leaker that gives up on EMFILE ends failed with its exit', async () => {
    const supervisor = createSupervisor(FAST);
    supervisor.add({
      name: 'leak',
      command: fixture('fd-leaker.mjs', 1, 'exit'),
      limits: { open_files: 48 },
      restart: { policy: 'never' },
    });
    await supervisor.up();
    const [info] = await waitForSettled(supervisor, ['leak']);
    expect(info).toMatchObject({ status: 'failed', reason: 'exited with code 1' });
    const refused = supervisor.logs('leak').find((line) => line.text.startsWith('EMFILE after'));
    expect(Number(refused!.text.split(' ')[2])).toBeLessThan(48);
  });

  it('applies to a string command, run by the shell, and to what it starts', async () => {
    const supervisor = createSupervisor(FAST);
    supervisor.add({
      name: 'soft-and-hard',
      kind: 'job',
      command: 'ulimit -Sn; ulimit -Hn; sh -c "ulimit -n"',
      limits: { open_files: 50 },
    });
    await supervisor.up();
    const [info] = await waitForSettled(supervisor, ['soft-and-hard']);
    expect(info!.status).toBe('completed');
    expect(supervisor.logs('soft-and-hard').map((line) => line.text)).toEqual(['50', '50', '50']);
  });

  it('reads the supervisor’s own hard limit from /proc/self/limits', () => {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((row) => row.startsWith('Max open files'))!;
    const hard = line.slice('Max open files'.length).trim().split(/\s+/)[1];
    expect(ownHardFileLimit()).toBe(hard === 'unlimited' ? undefined : Number(hard));
  });

  it('refuses to spawn above the hard limit it could grant', async () => {
    const supervisor = createSupervisor(FAST);
    supervisor.add({
      name: 'greedy',
      command: fixture('sleeper.mjs'),
      // The most the config accepts (the kernel's own ceiling), above what this machine grants.
      limits: { open_files: 1_073_741_816 },
    });
    await supervisor.up();
    const [info] = await waitForSettled(supervisor, ['greedy']);
    expect(info!.status).toBe('failed');
    expect(info!.reason).toMatch(
      /^spawn error: limits\.open_files \d+ is above (the system's fs.nr_open|the supervisor's own hard limit)/,
    );
  });
});
