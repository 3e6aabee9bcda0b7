// The application logger's throughput (`BENCH_ONLY=logger npm run bench`, or
// `node bench/logger.mjs` after `npm run build`): lines per second written to a file in a
// temp folder by `createLogger` and by pino used directly on the same destination (a
// sonic-boom, asynchronous, on a descriptor opened for appending), side by side in one run,
// rounds interleaved (who goes first rotates). Medians of the rounds, and the ratio. The
// floor: pino making the same lines for a stream that discards them, no file: what any
// logger on pino pays before a byte is written.
// Also: what a line costs that a disabled category filters out (level info, `debug` of a
// category no rule enables), next to pino's own disabled `debug`.
//
// A side's time runs from its first line to every byte in the file: `flush()` resolved for
// ours; for pino, the destination ended and closed (its own flush returns at once when it
// does not buffer). Results in bench/results/logger.json and logger.md. Never fails on a
// missed target.
//
//   BENCH_LOGGER_LINES=500000 (lines per round)  BENCH_LOGGER_ROUNDS=7
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { createLogger } from '../dist/index.js';
import { machine, now, round, Samples, summarize } from './lib.mjs';

const LINES = Math.max(10_000, Number(process.env.BENCH_LOGGER_LINES ?? 500_000));
const ROUNDS = Math.max(1, Number(process.env.BENCH_LOGGER_ROUNDS ?? 7));
const FILTERED_CALLS = 5_000_000;
const TARGET_LINES_PER_S = 1_000_000;
const RESULTS = new URL('./results/', import.meta.url);

let dir;

function tempDir() {
  dir ??= mkdtempSync(join(os.tmpdir(), 'overseer-bench-logger-'));
  return dir;
}

/** The same line on both sides: a message and two fields, as a request log writes. */
const write = (logger, n) => logger.info({ n, route: '/orders' }, 'request handled');

async function oursRound(file) {
  const logger = createLogger({ name: 'bench', env: {}, file });
  const t0 = now();
  for (let n = 0; n < LINES; n++) write(logger, n);
  await logger.flush();
  return now() - t0;
}

async function pinoRound(file) {
  const stream = pino.destination({ fd: openSync(file, 'a'), sync: false });
  const logger = pino({ name: 'bench' }, stream);
  const t0 = now();
  for (let n = 0; n < LINES; n++) write(logger, n);
  await new Promise((resolve) => {
    stream.once('close', resolve);
    stream.end();
  });
  return now() - t0;
}

/** The floor: pino making the same lines for a stream that discards them, no file at all. */
async function floorRound() {
  const logger = pino({ name: 'bench' }, { write: () => true });
  const t0 = now();
  for (let n = 0; n < LINES; n++) write(logger, n);
  return now() - t0;
}

/** ns per call of `call`, over `FILTERED_CALLS` calls in 10 batches: every batch's figure. */
function nsPerCall(call) {
  const batch = FILTERED_CALLS / 10;
  const batches = [];
  for (let b = 0; b < 10; b++) {
    const t0 = now();
    for (let n = 0; n < batch; n++) call(n);
    batches.push(((now() - t0) / batch) * 1e6);
  }
  return batches;
}

export async function runLoggerBenchmark() {
  const started = now();
  const samples = new Samples();
  const sides = [
    ['ours', oursRound],
    ['pino', pinoRound],
    ['floor', floorRound],
  ];
  // A round of each first, unmeasured, so that both run optimized code.
  for (const [id, run] of sides) {
    await run(join(tempDir(), `warmup-${id}.log`));
    rmSync(join(tempDir(), `warmup-${id}.log`), { force: true });
  }
  for (let index = 0; index < ROUNDS; index++) {
    // Who goes first rotates, so drift on a shared machine hits every side alike.
    const order = [...sides.slice(index % sides.length), ...sides.slice(0, index % sides.length)];
    const line = [];
    for (const [id, run] of order) {
      const file = join(tempDir(), `${id}-${index}.log`);
      const ms = await run(file);
      samples.record(`${id}.linesPerS`, (LINES / ms) * 1000);
      if (id !== 'floor') {
        samples.record(`${id}.bytesPerLine`, statSync(file).size / LINES);
        rmSync(file);
      }
      line.push(`${id} ${Math.round((LINES / ms) * 1000).toLocaleString('en')} lines/s`);
    }
    console.log(`  round ${index + 1}/${ROUNDS}: ${line.join(' | ')}`);
  }

  // A filtered line: nothing reaches a file, so any destination will do.
  const devNull = openSync('/dev/null', 'w');
  const ours = createLogger({ name: 'bench', env: {}, destination: { write: () => true } });
  const noisy = ours.category('noisy');
  const pinoLogger = pino({ name: 'bench', level: 'info' }, pino.destination({ fd: devNull }));
  samples.record('ours.filteredNs', ...nsPerCall((n) => noisy.debug({ n }, 'filtered')));
  samples.record('pino.filteredNs', ...nsPerCall((n) => pinoLogger.debug({ n }, 'filtered')));
  closeSync(devNull);

  const median = (id) => samples.median(id);
  const ratio = median('ours.linesPerS') / median('pino.linesPerS');
  const rate = (id) => `${Math.round(median(id)).toLocaleString('en')} lines/s`;
  const ns = (id) => `${median(id).toFixed(1)} ns`;
  const met = median('ours.linesPerS') >= TARGET_LINES_PER_S;
  const host = machine();
  const date = new Date().toISOString();
  const durationMs = now() - started;
  const markdown = [
    '# Application logger benchmark',
    '',
    `Generated by \`BENCH_ONLY=logger node bench/run.mjs\` (bench/logger.mjs) on ${date}, in ${(durationMs / 1000).toFixed(0)} s.`,
    `Machine: ${host.cpus} × ${host.cpuModel}, ${host.platform}, Node ${host.node}; load average at start ${host.loadavgAtStart.join(' / ')}.`,
    `${LINES.toLocaleString('en')} lines of ${Math.round(median('ours.bytesPerLine'))} bytes per round to a file in ${os.tmpdir()}, ${ROUNDS} rounds per side, interleaved (who goes first rotates). Medians.`,
    '',
    '| measurement | createLogger | pino directly | ratio |',
    '|---|---|---|---|',
    `| lines/s to a file, first line to all on disk | ${rate('ours.linesPerS')} | ${rate('pino.linesPerS')} | ${ratio.toFixed(2)} |`,
    `| floor: pino making the lines for a stream that discards them, no file | — | ${rate('floor.linesPerS')} | — |`,
    `| a debug line filtered out (level info) | ${ns('ours.filteredNs')} | ${ns('pino.filteredNs')} | — |`,
    '',
    `Target: ≥ ${TARGET_LINES_PER_S.toLocaleString('en')} lines/s for createLogger: ${met ? 'met' : 'missed'}.`,
    '',
  ].join('\n');
  mkdirSync(RESULTS, { recursive: true });
  const json = {
    date,
    host,
    durationMs: round(durationMs),
    lines: LINES,
    rounds: ROUNDS,
    ratio: round(ratio),
    summary: Object.fromEntries([...samples.keys()].map((id) => [id, summarize(samples.get(id))])),
    samples: Object.fromEntries(samples),
  };
  writeFileSync(new URL('logger.json', RESULTS), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(new URL('logger.md', RESULTS), markdown);
  console.log(markdown);
  return true;
}

/** Removes the temp folder. */
export function cleanupLogger() {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    await runLoggerBenchmark();
  } finally {
    cleanupLogger();
  }
}
