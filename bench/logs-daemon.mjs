// The log path as users meet it: the daemon `overseer up -d` starts, of one or more
// checkouts (built), alternating between them round by round. Not part of `npm run bench`:
//   node bench/logs-daemon.mjs [CHECKOUT…]   (default: this one; BENCH_ROUNDS, BENCH_LOG_LINES)
// Each round, per checkout: `up -d` of a child (bench/fixtures/flood-on-go.mjs) that prints
// LINES lines of 100 B once a file appears and then stays alive, rotation 10 MB × 50 files.
// 1.5 s after `up -d`, the go file is made; then:
//   cpu   the daemon's utime + stime (/proc/PID/stat) until the last line is in the file
//   wall  from the go file to the last line in the file (checked every 5 ms)
//   kept  the daemon's RSS 3 s later minus its RSS just before the go file
//   lost  lines not in the files afterwards
// Prints every sample and the medians; writes nothing.
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  fstatSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep } from './lib.mjs';
import { readCpu, readMemory } from './proc.mjs';

const CHILD = fileURLToPath(new URL('./fixtures/flood-on-go.mjs', import.meta.url));
const HERE = fileURLToPath(new URL('..', import.meta.url));
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));
const LINES = Math.max(1000, Number(process.env.BENCH_LOG_LINES ?? 1_000_000));
const MIB = 1024 * 1024;
const checkouts =
  process.argv.length > 2 ? process.argv.slice(2).map((path) => resolve(path)) : [HERE];

/** True once the last line is at the end of the current log file. */
function lastLineWritten(file) {
  let fd;
  try {
    fd = openSync(file, 'r');
  } catch {
    return false;
  }
  try {
    const tail = Buffer.alloc(200);
    const read = readSync(fd, tail, 0, tail.length, Math.max(0, fstatSync(fd).size - tail.length));
    return tail.toString('latin1', 0, read).includes(`line ${LINES} `);
  } finally {
    closeSync(fd);
  }
}

function countLines(logDir) {
  let lines = 0;
  for (const name of readdirSync(logDir)) {
    const data = readFileSync(join(logDir, name));
    for (let at = data.indexOf(10); at >= 0; at = data.indexOf(10, at + 1)) lines++;
  }
  return lines;
}

async function round(checkout) {
  const dir = mkdtempSync(join(os.tmpdir(), 'overseer-logs-daemon-'));
  const go = join(dir, 'go');
  const cli = join(checkout, 'dist/cli/main.js');
  writeFileSync(
    join(dir, 'overseer.yaml'),
    [
      'version: 1',
      'name: flood',
      'settings:',
      '  state_dir: state',
      '  logs: { max_size: 10MB, max_files: 50 }',
      'processes:',
      '  flood:',
      `    command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(CHILD)}, "${LINES}", ${JSON.stringify(go)}]`,
      '',
    ].join('\n'),
  );
  const overseer = (...args) => spawnSync(process.execPath, [cli, ...args], { cwd: dir });
  try {
    const up = overseer('up', '-d');
    if (up.status !== 0) throw new Error(`up -d exited ${up.status}: ${up.stderr}`);
    const { pid } = JSON.parse(readFileSync(join(dir, 'state/overseer.pid'), 'utf8'));
    await sleep(1500);
    const rssBefore = readMemory(pid).rss;
    const cpuBefore = readCpu(pid).statMs;
    const start = Date.now();
    writeFileSync(go, '');
    const logDir = join(dir, 'state/logs');
    while (!lastLineWritten(join(logDir, 'flood.log'))) await sleep(5);
    const wallMs = Date.now() - start;
    const cpuMs = readCpu(pid).statMs - cpuBefore;
    await sleep(3000);
    const keptMiB = (readMemory(pid).rss - rssBefore) / MIB;
    return {
      cpuMs,
      wallMs,
      keptMiB: Math.round(keptMiB * 10) / 10,
      lost: LINES - countLines(logDir),
    };
  } finally {
    overseer('down');
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const samples = new Map(checkouts.map((checkout) => [checkout, []]));
for (let index = 0; index < ROUNDS; index++) {
  for (const checkout of index % 2 ? [...checkouts].reverse() : checkouts) {
    const sample = await round(checkout);
    samples.get(checkout).push(sample);
    console.log(checkout, JSON.stringify(sample));
  }
}
for (const [checkout, runs] of samples) {
  const of = (key) => median(runs.map((run) => run[key]));
  console.log(
    `${checkout}: medians of ${runs.length}: cpu ${of('cpuMs')} ms, wall ${of('wallMs')} ms, ` +
      `kept +${of('keptMiB')} MB, lost ${of('lost')}`,
  );
}
