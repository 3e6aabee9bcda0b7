// The idle daemon's CPU per minute, from outside: `overseer up -d` of N `sleep 3600`
// (`restart: {min_uptime: 0}`), left alone to settle, then its utime + stime (/proc/PID/stat)
// and its threads' run time (schedstat) over several windows; medians. Builds given as
// arguments (checkout roots, each with `dist/`) are measured interleaved, so a before/after
// shares the machine's load:
//
//   node bench/idle.mjs [root ...]        (default: this checkout)
//   BENCH_IDLE_SIZES=100,500 BENCH_IDLE_SETTLE_MS=30000 BENCH_IDLE_WINDOW_MS=30000
//   BENCH_IDLE_WINDOWS=3 BENCH_IDLE_ROUNDS=1
//
// Prints one JSON line per stack and round. Every daemon is brought down with `overseer
// down` and SIGKILLed if still alive.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('..', import.meta.url));
const roots = process.argv.slice(2).map((root) => resolve(root));
if (roots.length === 0) roots.push(here);
const SIZES = (process.env.BENCH_IDLE_SIZES ?? '100,500').split(',').map(Number);
const SETTLE_MS = Number(process.env.BENCH_IDLE_SETTLE_MS ?? 30_000);
const WINDOW_MS = Number(process.env.BENCH_IDLE_WINDOW_MS ?? 30_000);
const WINDOWS = Number(process.env.BENCH_IDLE_WINDOWS ?? 3);
const ROUNDS = Number(process.env.BENCH_IDLE_ROUNDS ?? 1);

/** utime + stime in ms (10 ms ticks) and the threads' run time in ms (ns resolution). */
function cpu(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const statMs = (Number(fields[11]) + Number(fields[12])) * 10;
  let schedNs = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      schedNs += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'latin1').split(' ')[0]);
    } catch {
      // thread gone
    }
  }
  return { statMs, schedMs: schedNs / 1e6 };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

async function measure(root, size) {
  const cli = join(root, 'dist/cli/main.js');
  const dir = mkdtempSync(join(os.tmpdir(), 'overseer-idle-'));
  writeFileSync(
    join(dir, 'overseer.yaml'),
    `version: 1\nname: idle${size}\nprocesses:\n  sleeper:\n    command: ["sleep", "3600"]\n    instances: ${size}\n    restart: { min_uptime: 0 }\n`,
  );
  const overseer = (...args) =>
    spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8' });
  let pid;
  try {
    const up = overseer('up', '-d');
    if (up.status !== 0) throw new Error(`up -d failed: ${up.stderr}`);
    pid = JSON.parse(readFileSync(join(dir, '.overseer', 'overseer.pid'), 'utf8')).pid;
    await sleep(SETTLE_MS);
    const stat = [];
    const sched = [];
    for (let window = 0; window < WINDOWS; window += 1) {
      const before = cpu(pid);
      await sleep(WINDOW_MS);
      const after = cpu(pid);
      const perMinute = 60_000 / WINDOW_MS;
      stat.push((after.statMs - before.statMs) * perMinute);
      sched.push((after.schedMs - before.schedMs) * perMinute);
    }
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))[1]);
    return {
      root,
      size,
      statMsPerMin: median(stat),
      schedMsPerMin: Math.round(median(sched) * 10) / 10,
      windows: sched.map((ms) => Math.round(ms * 10) / 10),
      rssKb,
      load: os.loadavg()[0],
    };
  } finally {
    overseer('down');
    try {
      if (pid) process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

for (let round = 0; round < ROUNDS; round += 1) {
  for (const size of SIZES) {
    // Alternate which build goes first, round by round.
    const order = round % 2 ? [...roots].reverse() : roots;
    for (const root of order)
      console.log(JSON.stringify({ round, ...(await measure(root, size)) }));
  }
}
