// Small helpers for the benchmarks: a monotonic clock, statistics, waiting for the CPU to
// settle, and bookkeeping of every child process group so none outlives the run.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { sendSignal } from '../dist/runtime/process/proc.js';
import { lifetimeTicks } from './proc.mjs';

export { sleep };

/** Milliseconds on the monotonic high-resolution clock (µs precision, unlike Date.now). */
export const now = () => performance.now();

/** Median, p90 (nearest rank), min, max and mean of a list of samples. */
export function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { n, median: null, p90: null, min: null, max: null, mean: null };
  const median = n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  const rank = (q) => sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))];
  const mean = sorted.reduce((total, value) => total + value, 0) / n;
  return {
    n,
    median: round(median),
    p90: round(rank(0.9)),
    min: round(sorted[0]),
    max: round(sorted[n - 1]),
    mean: round(mean),
  };
}

/** Every reading of a benchmark, by id, in the order taken (a Map of id → values). */
export class Samples extends Map {
  /** Keeps `values` under `id`, leaving out missing ones (null, undefined, NaN). */
  record(id, ...values) {
    const kept = values.filter((value) => value != null && !Number.isNaN(value));
    if (kept.length === 0) return;
    if (!this.has(id)) this.set(id, []);
    this.get(id).push(...kept);
  }

  /** The median of the readings under `id`; null when there are none. */
  median(id) {
    return this.has(id) ? summarize(this.get(id)).median : null;
  }
}

/** The machine the benchmark ran on, for the results. */
export function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    totalMemoryBytes: os.totalmem(),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadavgAtStart: os.loadavg().map((load) => Math.round(load * 100) / 100),
  };
}

/** Rounds to the microsecond: more digits than that are noise. */
export function round(ms) {
  return Math.round(ms * 1000) / 1000;
}

/** `0.41 ms`, `12.3 ms`, `1.06 s`. */
export function formatMs(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  const size = Math.abs(ms);
  if (size >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (size >= 100) return `${ms.toFixed(0)} ms`;
  if (size >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/**
 * A promise with its resolve and reject functions outside. A rejection before anyone
 * awaits it is not an unhandled rejection (which would end the run, children and all).
 */
export function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((yes, no) => {
    resolve = yes;
    reject = no;
  });
  promise.catch(() => {});
  return { promise, resolve, reject };
}

/** Rejects with `what timed out` if `promise` has not settled within `ms`. */
export async function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function cpuTicks() {
  let idle = 0;
  let total = 0;
  for (const { times } of os.cpus()) {
    idle += times.idle;
    total += times.user + times.nice + times.sys + times.idle + times.irq;
  }
  return { idle, total };
}

/** How `settleCpu` waits by default: at least 1 s, until 85 % idle, at most 2 s. */
export const SETTLE = { minMs: 1000, maxMs: 2000, windowMs: 200, idle: 0.85 };

/**
 * Waits until the machine is quiet: at least `minMs`, then until one `windowMs` window has
 * the CPUs at least `idle` idle (all cores together), giving up after `maxMs` (on a shared
 * machine other work may never let it). Children that have just booted keep compiling and
 * collecting for a while after their first line. Returns how long it waited and the idle
 * share of the last window.
 */
export async function settleCpu(options = {}) {
  const { minMs, maxMs, windowMs, idle } = { ...SETTLE, ...options };
  const start = now();
  let share = 0;
  for (;;) {
    const before = cpuTicks();
    await sleep(windowMs);
    const after = cpuTicks();
    const total = after.total - before.total;
    share = total > 0 ? (after.idle - before.idle) / total : 1;
    const waited = now() - start;
    if ((waited >= minMs && share >= idle) || waited >= maxMs) {
      return { waitedMs: round(waited), idle: Math.round(share * 1000) / 1000 };
    }
  }
}

/**
 * Every child process group the benchmark started and has not yet seen gone. Each child
 * leads its own group (spawned `detached`), so a group kill also ends its descendants.
 */
export class ChildGroups {
  #live = new Set();

  add(pid) {
    if (pid !== undefined) this.#live.add(pid);
  }

  gone(pid) {
    this.#live.delete(pid);
  }

  get size() {
    return this.#live.size;
  }

  /** SIGKILL to every group still known; returns how many there were. */
  killAll() {
    const count = this.#live.size;
    for (const pid of this.#live) {
      // The group, then the leader in case it left it; a failure means already gone.
      sendSignal(-pid, 'SIGKILL');
      sendSignal(pid, 'SIGKILL');
    }
    this.#live.clear();
    return count;
  }
}

/** The machine's CPU time so far, busy and total, in ticks, from the first line of /proc/stat. */
function machineTicks() {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/);
  // cpu user nice system idle iowait irq softirq steal (guest time is already in user).
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields.slice(1, 9).map(Number);
  const waiting = idle + (iowait || 0);
  const total = user + nice + system + waiting + (irq || 0) + (softirq || 0) + (steal || 0);
  return { busy: total - waiting, total };
}

/**
 * Starts measuring how busy the whole machine is (every core, every process); the function
 * returned gives, since then, `busy`: the busy share from 0 to 1, and `others`: the share
 * busy with anything but the work measured, which is this process with the commands it ran
 * and waited for, and the processes `measuredPids()` names (a daemon and its children), read
 * at the start and at the end. A row measured while `others` was high was slowed by work
 * that is not its own.
 */
export function busyMeter(measuredPids = () => []) {
  const start = machineTicks();
  const before = new Map(measuredPids().map((pid) => [pid, lifetimeTicks(pid) ?? 0]));
  const self = lifetimeTicks(process.pid);
  return () => {
    const end = machineTicks();
    // A process new since the start (a daemon started cold, its children) counts whole.
    let measured = lifetimeTicks(process.pid) - self;
    for (const pid of new Set(measuredPids())) {
      const ticks = lifetimeTicks(pid);
      if (ticks !== undefined) measured += ticks - (before.get(pid) ?? 0);
    }
    const total = end.total - start.total;
    const busy = end.busy - start.busy;
    const share = (ticks) =>
      total > 0 ? Math.round((Math.max(0, ticks) / total) * 1000) / 1000 : 0;
    return { busy: share(busy), others: share(busy - measured) };
  };
}

/** `7 %` for a busy share of 0.07; `—` when unknown. */
export function formatBusy(share) {
  return share === null || share === undefined ? '—' : `${Math.round(share * 100)} %`;
}
