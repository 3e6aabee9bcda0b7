// The engine measurements: each is one round of one side (`overseer` through the library,
// or `raw`: the same work written by hand on child_process.spawn, the floor on this
// machine). A round returns its samples by name; bench/run.mjs interleaves the rounds.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Supervisor } from '../dist/index.js';
import { sendSignal } from '../dist/runtime/process/proc.js';
import { deferred, now, settleCpu, withTimeout } from './lib.mjs';

const fixture = (name) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** The children the benchmarks run. */
export const COMMANDS = {
  /** Node that exits at once. */
  nodeExitNow: [process.execPath, fixture('exit-now.mjs')],
  /** The cheapest program that exits at once: the crash loop child. */
  crash: ['/bin/true'],
  /** Node that prints "ready", idles, and exits 0 on SIGTERM. */
  nodeIdle: [process.execPath, fixture('idle.mjs')],
  /** sh that prints "ready", idles in one `sleep`, and exits 0 on SIGTERM. */
  shIdle: ['/bin/sh', '-c', 'trap "exit 0" TERM; echo ready; while :; do sleep 3600 & wait; done'],
  /** Node that prints "ready" and ignores SIGTERM. */
  nodeIgnoreTerm: [process.execPath, fixture('ignore-term.mjs')],
};

/** What overseer passes to spawn (src/runtime/process/child.ts): own process group, output piped. */
const SUPERVISOR_LIKE = { detached: true, stdio: ['ignore', 'pipe', 'pipe'] };

/** The restart section of measurement 2: no delay, every run short, a budget that lasts. */
export const CRASH_RESTART = { policy: 'always', delay: 0, min_uptime: '1h', max_restarts: 1000 };

/** Signals a child's group (it leads one, spawned detached); a group already gone is fine. */
function signalGroup(pid, signal) {
  sendSignal(-pid, signal);
}

function rawSpawn(command, groups, options = SUPERVISOR_LIKE) {
  const [file, ...args] = command;
  const child = spawn(file, args, options);
  groups.add(child.pid);
  child.once('exit', () => groups.gone(child.pid));
  return child;
}

/**
 * Measurement 1a: how long `spawn(node, [fixture])` takes to return a pid, and to emit
 * 'spawn', with Node's default options and with overseer's (own group, piped output). The
 * child is killed once spawned, so a booting node does not load the next sample.
 */
export async function spawnFloorRound(groups, { perVariant }) {
  const samples = { plainPid: [], plainSpawn: [], groupPid: [], groupSpawn: [] };
  for (let i = 0; i < perVariant; i++) {
    for (const [variant, options] of [
      ['plain', {}],
      ['group', SUPERVISOR_LIKE],
    ]) {
      const t0 = now();
      const child = rawSpawn(COMMANDS.nodeExitNow, groups, options);
      const tPid = now();
      const closed = once(child, 'close');
      await once(child, 'spawn');
      const tSpawn = now();
      if (options.detached) signalGroup(child.pid, 'SIGKILL');
      else child.kill('SIGKILL');
      await closed;
      samples[`${variant}Pid`].push(tPid - t0);
      samples[`${variant}Spawn`].push(tSpawn - t0);
    }
  }
  return samples;
}

/**
 * Measurement 1b: the best any supervisor could do. A hand-written loop that respawns in
 * the child's 'exit' listener; the gap runs from that listener to `spawn()` returning the
 * next pid (`gap`) and to its 'spawn' event (`gapToSpawnEvent`). `cycle` is start to start.
 */
export async function rawRestartRound(groups, { gaps: wanted, command }) {
  const gap = [];
  const gapToSpawnEvent = [];
  const cycle = [];
  const done = deferred();
  let exitAt;
  let lastStart;
  let lastClosed;
  const launch = () => {
    const child = rawSpawn(command, groups);
    const startedAt = now();
    const previousExit = exitAt;
    if (previousExit !== undefined) gap.push(startedAt - previousExit);
    if (lastStart !== undefined) cycle.push(startedAt - lastStart);
    lastStart = startedAt;
    lastClosed = once(child, 'close');
    child.stdout.resume();
    child.stderr.resume();
    child.once('error', done.reject);
    child.once('spawn', () => {
      if (previousExit !== undefined) gapToSpawnEvent.push(now() - previousExit);
    });
    child.once('exit', () => {
      exitAt = now();
      if (gap.length < wanted) launch();
      else done.resolve();
    });
  };
  launch();
  await withTimeout(done.promise, 60_000, 'raw restart loop');
  await lastClosed;
  return { gap, gapToSpawnEvent, cycle };
}

/**
 * Measurement 2: a child that exits at once under `restart: CRASH_RESTART`. The gap runs
 * from the `process:exit` listener to the `process:started` listener of the next run (both
 * stamped with performance.now()); `cycle` is started to started.
 */
export async function overseerRestartRound(groups, { gaps: wanted, command }) {
  const supervisor = new Supervisor({ logLines: 16 });
  supervisor.add({ name: 'crasher', command, restart: CRASH_RESTART });
  const gap = [];
  const cycle = [];
  const backoffDelays = new Set();
  const enough = deferred();
  let collecting = true;
  let exitAt;
  let lastStart;
  let pid;
  supervisor.on('process:exit', () => {
    exitAt = now();
    groups.gone(pid);
  });
  supervisor.on('process:backoff', (event) => backoffDelays.add(event.delayMs));
  supervisor.on('process:failed', (event) => enough.reject(new Error(event.reason)));
  supervisor.on('process:started', (event) => {
    const startedAt = now();
    pid = event.pid;
    groups.add(pid);
    if (!collecting) return;
    if (exitAt !== undefined) gap.push(startedAt - exitAt);
    if (lastStart !== undefined) cycle.push(startedAt - lastStart);
    lastStart = startedAt;
    if (gap.length >= wanted) {
      collecting = false;
      enough.resolve();
    }
  });
  // With min_uptime 1h the process never reaches `running`: up() resolves at shutdown.
  const up = supervisor.up().catch(enough.reject);
  try {
    await withTimeout(enough.promise, 60_000, 'overseer restart loop');
  } finally {
    await withTimeout(supervisor.shutdown(), 15_000, 'shutdown');
    await up;
  }
  return { gap, cycle, backoffDelayMs: [...backoffDelays] };
}

/**
 * Measurements 3 and 4 (and 5 with `stop`): brings up `count` idle children with
 * `min_uptime: 0`, waits for every "ready" line and a quiet CPU, then shuts down.
 * - `started`: up() called → the last `process:started` (every child has a pid)
 * - `up`: up() called → up() resolved (every process `running`)
 * - `upSync`: how long the up() call itself blocked the caller
 * - `ready`: up() called → the last "ready" line (dominated by the children's own boot)
 * - `stop`: shutdown() called → resolved (every process tree gone, pipes drained)
 */
export async function overseerFleetRound(groups, { command, count, stop }) {
  const supervisor = new Supervisor({ logLines: 16 });
  supervisor.add({
    name: 'fleet',
    command,
    instances: count,
    restart: { min_uptime: 0 },
    ...(stop ? { stop } : {}),
  });
  const pids = new Map();
  const allReady = deferred();
  let started = 0;
  let ready = 0;
  let startedAt;
  let readyAt;
  supervisor.on('process:started', (event) => {
    pids.set(event.name, event.pid);
    groups.add(event.pid);
    started += 1;
    if (started === count) startedAt = now();
  });
  supervisor.on('process:exit', (event) => groups.gone(pids.get(event.name)));
  supervisor.on('process:failed', (event) => allReady.reject(new Error(event.reason)));
  supervisor.onLog(({ text }) => {
    if (text !== 'ready') return;
    ready += 1;
    if (ready === count) {
      readyAt = now();
      allReady.resolve();
    }
  });
  try {
    const t0 = now();
    const up = supervisor.up();
    const returnedAt = now();
    await withTimeout(up, 120_000, 'up()');
    const upAt = now();
    await withTimeout(allReady.promise, 120_000, 'ready lines');
    const settle = await settleCpu();
    const t1 = now();
    await withTimeout(supervisor.shutdown(), 30_000, 'shutdown()');
    const stoppedAt = now();
    return {
      started: [startedAt - t0],
      up: [upAt - t0],
      upSync: [returnedAt - t0],
      ready: [readyAt - t0],
      stop: [stoppedAt - t1],
      settleIdle: [settle.idle],
    };
  } finally {
    await withTimeout(supervisor.shutdown(), 30_000, 'shutdown()').catch(() => {});
  }
}

/**
 * The floor of measurements 3–5, by hand with overseer's spawn options: spawn `count`
 * children in a loop, wait for every "ready" line and a quiet CPU, then SIGTERM every group
 * (and SIGKILL those left after `killAfterMs`).
 * - `spawned`: first spawn() called → the last 'spawn' event (every child has a pid)
 * - `spawnLoop`: how long the loop of spawn() calls blocked
 * - `ready`: → the last "ready" line
 * - `stopExit`: first SIGTERM sent → the last 'exit'; `stop`: → the last 'close' (pipes too)
 */
export async function rawFleetRound(groups, { command, count, killAfterMs }) {
  const children = [];
  const allSpawned = deferred();
  const allReady = deferred();
  const allExited = deferred();
  const allClosed = deferred();
  let spawned = 0;
  let ready = 0;
  let exited = 0;
  let closed = 0;
  let spawnedAt;
  let readyAt;
  let exitedAt;
  let closedAt;
  const fail = (error) => {
    for (const waiting of [allSpawned, allReady, allExited, allClosed]) waiting.reject(error);
  };
  let killTimer;
  try {
    const t0 = now();
    for (let i = 0; i < count; i++) {
      const child = rawSpawn(command, groups);
      children.push(child);
      let sawReady = false;
      child.once('error', fail);
      child.once('spawn', () => {
        spawned += 1;
        if (spawned === count) {
          spawnedAt = now();
          allSpawned.resolve();
        }
      });
      child.stdout.on('data', (chunk) => {
        if (sawReady || !chunk.includes('ready')) return;
        sawReady = true;
        ready += 1;
        if (ready === count) {
          readyAt = now();
          allReady.resolve();
        }
      });
      child.stderr.resume();
      child.once('exit', () => {
        exited += 1;
        if (exited === count) {
          exitedAt = now();
          allExited.resolve();
        }
      });
      child.once('close', () => {
        closed += 1;
        if (closed === count) {
          closedAt = now();
          allClosed.resolve();
        }
      });
    }
    const loopAt = now();
    await withTimeout(allSpawned.promise, 120_000, 'spawn events');
    await withTimeout(allReady.promise, 120_000, 'ready lines');
    const settle = await settleCpu();
    const t1 = now();
    for (const child of children) signalGroup(child.pid, 'SIGTERM');
    if (killAfterMs !== undefined) {
      killTimer = setTimeout(() => {
        for (const child of children) {
          if (child.exitCode === null && child.signalCode === null) {
            signalGroup(child.pid, 'SIGKILL');
          }
        }
      }, killAfterMs);
    }
    await withTimeout(allExited.promise, 30_000, 'exits');
    await withTimeout(allClosed.promise, 30_000, 'pipes closing');
    return {
      spawned: [spawnedAt - t0],
      spawnLoop: [loopAt - t0],
      ready: [readyAt - t0],
      stopExit: [exitedAt - t1],
      stop: [closedAt - t1],
      settleIdle: [settle.idle],
    };
  } finally {
    clearTimeout(killTimer);
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) signalGroup(child.pid, 'SIGKILL');
    }
  }
}
