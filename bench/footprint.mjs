// The memory of an idle daemon, as a user sees it from outside: `overseer up -d` on a stack
// whose only process is a job that completes at once (so the daemon has no child), then
// VmRSS and its parts once the daemon has settled. Each round is a cold start in a new
// folder; the rounds' daemons settle side by side, and the figures are their medians.
//
//   node bench/footprint.mjs                 # 3 rounds, 20 s of settling
//   BENCH_ROUNDS=5 BENCH_SETTLE_SECONDS=30 node bench/footprint.mjs
//
// Extra node flags for the daemons (to weigh a V8 flag, say) go in BENCH_DAEMON_NODE_OPTIONS;
// they reach the daemon through NODE_OPTIONS, so `up -d` runs with them too. BENCH_CLI names
// another build's dist/cli/main.js, to compare two revisions in the same conditions.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep, summarize } from './lib.mjs';
import { readMemory, readMemoryRollup } from './proc.mjs';

const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const SETTLE_MS = Number(process.env.BENCH_SETTLE_SECONDS ?? 20) * 1000;
const NODE_OPTIONS = process.env.BENCH_DAEMON_NODE_OPTIONS ?? '';
const CLI = process.env.BENCH_CLI ?? fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const CONFIG =
  'version: 1\nname: idle\nprocesses:\n  idle:\n    kind: job\n    command: [/bin/true]\n';
const MIB = 1024 * 1024;

function overseer(dir, ...args) {
  const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} ${NODE_OPTIONS}` };
  return execFileSync(process.execPath, [CLI, ...args], { cwd: dir, env, encoding: 'utf8' });
}

const dirs = [];
const readings = [];
try {
  const daemons = [];
  for (let round = 0; round < ROUNDS; round++) {
    const dir = mkdtempSync(join(tmpdir(), 'overseer-footprint-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'overseer.yaml'), CONFIG);
    overseer(dir, 'up', '-d');
    const { pid } = JSON.parse(readFileSync(join(dir, '.overseer', 'overseer.pid'), 'utf8'));
    daemons.push(pid);
  }
  await sleep(SETTLE_MS);
  for (const pid of daemons) readings.push({ ...readMemory(pid), ...readMemoryRollup(pid) });
} finally {
  for (const dir of dirs) {
    try {
      overseer(dir, 'down');
    } catch (error) {
      console.error(`down in ${dir}: ${error.message}`);
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows = ['rss', 'rssAnon', 'rssFile', 'pss', 'privateDirty'];
console.log(
  `idle daemon, ${ROUNDS} rounds, ${SETTLE_MS / 1000} s settled${NODE_OPTIONS ? `, ${NODE_OPTIONS}` : ''}`,
);
for (const row of rows) {
  const { median, min, max } = summarize(readings.map((reading) => reading[row] / MIB));
  console.log(`${row.padEnd(13)} ${median.toFixed(1)} MB (${min.toFixed(1)}–${max.toFixed(1)})`);
}
