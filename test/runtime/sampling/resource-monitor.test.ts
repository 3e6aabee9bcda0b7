/**
 * How the resource loop paces itself over real trees: the delay widens while every tree
 * sits still and none has limits, and falls back to the paced delay when one changes or
 * is judged on fresh samples. Passes are run by hand; the timer is never waited on.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE_PACING } from '../../../src/core/limits/resources.js';
import { PACED, ResourceMonitor } from '../../../src/runtime/sampling/resource-monitor.js';
import { ManagedProcess } from '../../../src/runtime/supervisor/managed-process.js';
import { makeSpec } from '../../core/helpers.js';
import { cleanup, fixture, trackPid, waitFor } from '../helpers.js';

const monitors: ResourceMonitor[] = [];

afterEach(async () => {
  for (const monitor of monitors.splice(0)) monitor.close();
  await cleanup();
});

const hooks = { onLines: () => {}, onProbe: () => {} };

/** A process group leader that runs `command` until killed. */
function spawnLeader(command: readonly string[]): number {
  const child = spawn(command[0]!, command.slice(1), { detached: true, stdio: 'ignore' });
  child.unref();
  return trackPid(child.pid!);
}

/**
 * A `sleep 60` group leader, once it is `sleep`: just spawned, it is still node's fork on its
 * way to exec, and the tree changing under the first passes is not a tree that sits still.
 */
async function spawnSleeper(): Promise<number> {
  const pid = spawnLeader(['sleep', '60']);
  await waitFor(() => commOf(pid) === 'sleep', undefined, `pid ${pid} to be sleep`);
  return pid;
}

function commOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function paced(): ResourceMonitor {
  const monitor = new ResourceMonitor(PACED, () => {});
  monitors.push(monitor);
  return monitor;
}

/** Runs `count` passes a second apart after `start`; returns the clock after them. */
function passes(monitor: ResourceMonitor, start: number, count: number): number {
  let now = start;
  for (let pass = 0; pass < count; pass += 1) {
    now += 1_000;
    monitor.pass(now);
  }
  return now;
}

describe('ResourceMonitor pacing', () => {
  it('widens its delay to the maximum over trees that sit still, and starts over for a new one', async () => {
    const monitor = paced();
    monitor.watch(
      new ManagedProcess(makeSpec({ name: 'still' }), 0, 10, hooks),
      await spawnSleeper(),
    );
    const now = passes(monitor, 0, 5);
    expect(monitor.nextDelay).toBe(SAMPLE_PACING.maxMs);
    monitor.watch(
      new ManagedProcess(makeSpec({ name: 'new' }), now, 10, hooks),
      await spawnSleeper(),
    );
    expect(monitor.nextDelay).toBeLessThan(SAMPLE_PACING.maxMs);
  });

  it('keeps the paced delay while a tree uses CPU', () => {
    const monitor = paced();
    monitor.watch(
      new ManagedProcess(makeSpec({ name: 'busy' }), 0, 10, hooks),
      spawnLeader(fixture('cpu-spinner.mjs')),
    );
    let now = Date.now();
    for (let pass = 0; pass < 5; pass += 1) {
      // Real time between passes, so the spinner's ticks show.
      const until = Date.now() + 300;
      while (Date.now() < until) {
        // wait
      }
      now += 300;
      monitor.pass(now);
    }
    expect(monitor.nextDelay).toBeLessThan(SAMPLE_PACING.maxMs);
  });

  it('keeps the paced delay while a still tree has limits, judged on fresh samples', async () => {
    const monitor = paced();
    const limited = makeSpec({ name: 'limited', limits: { memory: '1GB' } });
    monitor.watch(new ManagedProcess(limited, 0, 10, hooks), await spawnSleeper());
    passes(monitor, 0, 5);
    expect(monitor.nextDelay).toBeLessThan(SAMPLE_PACING.maxMs);
  });
});
