// Two probes of the task runner that the throughput rounds do not show: how long a task
// waits between its submission and its spawn when a slot is free, and what 10,000 queued
// tasks hold in memory (and that cancelling them all ends every one `cancelled`).
import { spawn } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Supervisor } from '../dist/index.js';
import { deferred, now, round } from './lib.mjs';
import { COMMAND } from './tasks-sides.mjs';

/**
 * A full garbage collection: `gc` when node runs with --expose-gc, else one obtained by
 * turning the flag on now (a fresh context then sees `gc`). Heap figures after it hold
 * only what is still referenced.
 */
function collector() {
  if (typeof globalThis.gc === 'function') return { gc: globalThis.gc, exposed: true };
  setFlagsFromString('--expose-gc');
  return { gc: runInNewContext('gc'), exposed: false };
}

function memoryAfterGc(gc) {
  gc();
  gc();
  const { heapUsed, rss } = process.memoryUsage();
  return { heapUsed, rss };
}

/**
 * Submit → spawn with free slots: `count` tasks submitted one at a time (the next once the
 * previous ended) to a supervisor of `concurrency` slots. Measured twice: from the
 * `task:queued` event's `at` to the `task:started` one's (Date.now(), whole ms), and with
 * performance.now() in the listeners of the same two events (delivered synchronously),
 * which has µs precision. Beside it, the floor: how long `spawn()` of the same command takes
 * to return a pid with overseer's options, interleaved.
 */
export async function queueLatency(groups, { count, concurrency }) {
  const supervisor = new Supervisor({ maxProcesses: concurrency });
  const eventMs = [];
  const listenerMs = [];
  const spawnMs = [];
  const queued = new Map();
  const offQueued = supervisor.on('task:queued', (event) => {
    queued.set(event.id, { at: event.at, stamp: now() });
  });
  const offStarted = supervisor.on('task:started', (event) => {
    groups.add(event.pid);
    const submitted = queued.get(event.id);
    if (!submitted) return;
    listenerMs.push(round(now() - submitted.stamp));
    eventMs.push(event.at - submitted.at);
  });
  try {
    // A few first, untimed: the first spawns load code paths the rest reuse.
    for (let i = 0; i < 5; i++) await supervisor.run({ command: [COMMAND] });
    listenerMs.length = 0;
    eventMs.length = 0;
    for (let i = 0; i < count; i++) {
      const result = await supervisor.run({ command: [COMMAND] });
      if (result.status !== 'succeeded') throw new Error(`task ended ${result.status}`);
      spawnMs.push(await spawnOnce(groups));
    }
  } finally {
    offQueued();
    offStarted();
    await supervisor.shutdown();
  }
  return { eventMs, listenerMs, spawnMs };
}

/** The floor of one start: `spawn()` until it returns the pid; then waits for the child's end. */
async function spawnOnce(groups) {
  const closed = deferred();
  const start = now();
  const child = spawn(COMMAND, [], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = round(now() - start);
  groups.add(child.pid);
  child.stdout.resume();
  child.stderr.resume();
  child.once('error', closed.reject);
  child.once('close', () => {
    groups.gone(child.pid);
    closed.resolve();
  });
  await closed.promise;
  return ms;
}

/**
 * `count` tasks queued behind one slot held by a sleeping task: the heap (after a full
 * GC) and RSS before and after submitting them, how long the submissions took, then each
 * cancelled and how every one ended.
 */
export async function queuedMemory(groups, { count }) {
  const { gc, exposed } = collector();
  const supervisor = new Supervisor({ maxProcesses: 1 });
  const started = deferred();
  const off = supervisor.on('task:started', (event) => {
    groups.add(event.pid);
    started.resolve(event.id);
  });
  try {
    const holder = supervisor.submitTask({ command: ['sleep', '3600'], name: 'holder' });
    await started.promise;
    const before = memoryAfterGc(gc);
    const submitStart = now();
    const ids = [];
    for (let i = 0; i < count; i++) ids.push(supervisor.submitTask({ command: [COMMAND] }));
    const submitMs = now() - submitStart;
    const after = memoryAfterGc(gc);
    const counts = supervisor.stats().tasks;
    // Asked for before cancelling: only the last `settings.tasks.history` ended ones are kept.
    const ending = ids.map((id) => supervisor.taskResult(id));
    const cancelStart = now();
    for (const id of ids) supervisor.cancelTask(id);
    const results = await Promise.all(ending);
    const cancelMs = now() - cancelStart;
    const statuses = {};
    for (const { status } of results) statuses[status] = (statuses[status] ?? 0) + 1;
    supervisor.cancelTask(holder);
    const holderResult = await supervisor.taskResult(holder);
    return {
      count,
      gcExposed: exposed,
      queuedWhileHeld: counts.queued,
      heapDeltaBytes: after.heapUsed - before.heapUsed,
      rssDeltaBytes: after.rss - before.rss,
      submitMs: round(submitMs),
      cancelMs: round(cancelMs),
      statuses,
      holderStatus: holderResult.status,
    };
  } finally {
    off();
    await supervisor.shutdown();
  }
}
