// The log row of the CLI benchmark: one child printing 1,000,000 lines of 100 bytes under
// each supervisor's daemon, started through its command line, with stdout going to a file
// the way that supervisor writes logs (overseer: its log folder, lines stamped; PM2:
// `out_file`; supervisord: `stdout_logfile`). The child stays alive afterwards.
//
// For each side in turn (the order alternates by round), from a cold start: the stack
// starts with the child waiting; once the daemon has been quiet for QUIET_MS, the child is
// let go, and measured are
//   wall  from the child's own start (it writes Date.now() first) until its last line is
//         in the file
//   cpu   the daemon's CPU time (utime + stime, every thread) over that run
// Then, all floods done, every daemon waits at least KEPT_AFTER_MS and until quiet, and
//   kept  its RSS then minus its RSS just before the flood.
// Lines lost or reordered are counted by bench/logs.mjs; this row is about the daemon.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { busyMeter, now, sleep } from './lib.mjs';
import { descendants, readCpu, readMemory } from './proc.mjs';

const PRINTER = fileURLToPath(new URL('./fixtures/print-lines-then-stay.mjs', import.meta.url));
export const LOG_LINES = Math.max(1000, Number(process.env.BENCH_LOG_LINES ?? 1_000_000));
const WIDTH = 100;
/** A daemon is quiet when it has used at most QUIET_CPU_MS of CPU over the last QUIET_MS. */
const QUIET_MS = 2000;
const QUIET_CPU_MS = 30;
/** Before reading what RSS a flood left: at least this long after the last flood. */
const KEPT_AFTER_MS = 15_000;
const MAX_WAIT_MS = 60_000;
const FLOOD_TIMEOUT_MS = 120_000;

/** The stack every side runs for this row. */
function printer(dir) {
  const argv = [
    process.execPath,
    PRINTER,
    String(LOG_LINES),
    String(WIDTH),
    join(dir, 't0'),
    join(dir, 'go'),
  ];
  return { name: 'printer', argv, count: 1, logFile: true };
}

/** Resolves once the daemon `pid` has used ≤ QUIET_CPU_MS over QUIET_MS (at most MAX_WAIT_MS). */
async function quiet(pid, minMs = 0) {
  const start = now();
  const history = [];
  for (;;) {
    const t = now();
    const cpu = readCpu(pid)?.schedMs ?? 0;
    history.push({ t, cpu });
    const past = history.findLast((entry) => t - entry.t >= QUIET_MS);
    const isQuiet = past !== undefined && cpu - past.cpu <= QUIET_CPU_MS;
    if ((isQuiet && t - start >= minMs) || t - start >= MAX_WAIT_MS) return;
    await sleep(250);
  }
}

/** True once `path` ends with line `count`. */
async function endsWith(path, count) {
  let handle;
  try {
    handle = await open(path, 'r');
    const { size } = await handle.stat();
    const length = Math.min(size, 4 * WIDTH);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').trimEnd().split('\n');
    return lines.at(-1)?.includes(`line ${count} `) ?? false;
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}

/**
 * Runs the flood on every side in `sides` (already ordered) and records `logWall`,
 * `logCpu` and `logKept` per side, and the busy share of the machine during each flood.
 * Leaves the stacks running; the caller tears them down.
 */
export async function logFloods(sides, samples) {
  const scratch = [];
  try {
    await floodEach(sides, samples, scratch);
  } finally {
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  }
}

async function floodEach(sides, samples, scratch) {
  const before = new Map();
  for (const side of sides) {
    // The child's start-time and go files, outside the stack's folder (made by start()).
    const dir = mkdtempSync(join(side.root, 'f-'));
    scratch.push(dir);
    await side.start(printer(dir));
    await quiet(side.pid);
    const memory = readMemory(side.pid);
    const cpu0 = readCpu(side.pid);
    const busy = busyMeter(() => [side.pid, ...descendants(side.pid).map((entry) => entry.pid)]);
    writeFileSync(join(dir, 'go'), '');
    for (const deadline = now() + FLOOD_TIMEOUT_MS; !(await endsWith(side.logFile, LOG_LINES)); ) {
      if (now() > deadline) throw new Error(`${side.id}: the last line never reached the log`);
      await sleep(5);
    }
    const doneAt = Date.now();
    const cpu1 = readCpu(side.pid);
    const t0 = Number(readFileSync(join(dir, 't0'), 'utf8'));
    samples.record(`logWall.${side.id}`, doneAt - t0);
    samples.record(`logCpu.${side.id}`, cpu1.statMs - cpu0.statMs);
    samples.record(`logCpu.${side.id}.sched`, cpu1.schedMs - cpu0.schedMs);
    const { busy: busyShare, others } = busy();
    samples.record('busy.logWall', busyShare);
    samples.record('others.logWall', others);
    before.set(side, { rss: memory.rss, at: now() });
  }
  const busy = busyMeter(() =>
    sides.flatMap((side) => [side.pid, ...descendants(side.pid).map((entry) => entry.pid)]),
  );
  for (const side of sides) {
    const { rss, at } = before.get(side);
    await quiet(side.pid, Math.max(0, at + KEPT_AFTER_MS - now()));
    samples.record(`logKept.${side.id}`, readMemory(side.pid).rss - rss);
  }
  const { busy: busyShare, others } = busy();
  samples.record('busy.logKept', busyShare);
  samples.record('others.logKept', others);
}
