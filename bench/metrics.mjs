// The cost of a scrape: `GET /metrics` of a daemon supervising 500 processes (`sleep 3600`,
// brought up with `up -d` through the built CLI), over its Unix socket as a scraper on the
// same machine would, next to the floor: prom-client rendering the very same series (every
// family, label set and value of a scrape of that daemon) from a registry in this process,
// with no supervisor, no HTTP, no rows to read. Scrapes and floor renders interleaved, one
// after the other. Median and p95 of each, and their ratio. Writes bench/results/metrics.json
// (every sample) and metrics.md. Never fails on a missed target.
//
//   BENCH_ONLY=metrics node bench/run.mjs     (or: node bench/metrics.mjs)
//   BENCH_METRICS_SCRAPES=60 (scrapes, and floor renders)  BENCH_METRICS_PROCESSES=500
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Gauge, Registry } from 'prom-client';
import { formatMs, machine, now, round, Samples, sleep, summarize } from './lib.mjs';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const RESULTS = new URL('./results/', import.meta.url);
const PROCESSES = Math.max(1, Number(process.env.BENCH_METRICS_PROCESSES ?? 500));
const SCRAPES = Math.max(5, Number(process.env.BENCH_METRICS_SCRAPES ?? 60));
/** The daemon's median scrape this benchmark is held to. */
const TARGET_MS = 50;

const stacks = [];

/** A stack of `sleep 3600` entries brought up with `up -d`, sampled every 2 s. */
function startStack() {
  const dir = mkdtempSync(join(os.tmpdir(), 'overseer-metrics-'));
  const entries = Array.from(
    { length: PROCESSES },
    (_, index) =>
      `  p${index}:\n    namespace: ns${index % 4}\n    command: ["sleep", "3600"]\n    restart: { min_uptime: 0 }\n`,
  );
  writeFileSync(
    join(dir, 'overseer.yaml'),
    `version: 1\nname: metrics\nsettings:\n  sample_interval: 2s\nprocesses:\n${entries.join('')}`,
  );
  const stack = { dir, socketPath: join(dir, '.overseer', 'overseer.sock') };
  stacks.push(stack);
  const up = spawnSync(process.execPath, [CLI, 'up', '-d'], { cwd: dir, encoding: 'utf8' });
  if (up.status !== 0) throw new Error(`up -d failed: ${up.stderr}`);
  stack.pid = JSON.parse(readFileSync(join(dir, '.overseer', 'overseer.pid'), 'utf8')).pid;
  return stack;
}

/** Tears every stack down (`down`, then SIGKILL of a daemon still alive) and removes its folder. */
export function cleanupMetrics() {
  for (const stack of stacks.splice(0)) {
    spawnSync(process.execPath, [CLI, 'down'], { cwd: stack.dir, encoding: 'utf8' });
    try {
      if (stack.pid) process.kill(stack.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    rmSync(stack.dir, { recursive: true, force: true });
  }
}

/** One `GET /metrics` over the socket: the whole body read. */
function scrape(socketPath) {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const req = request({ socketPath, path: '/metrics', method: 'GET' }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`/metrics answered ${res.statusCode}`));
        else resolve({ ms: now() - t0, text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The families of a scrape, each with its help, and its samples' names, labels and values. */
function familiesOf(text) {
  const families = new Map();
  const help = new Map();
  for (const line of text.split('\n')) {
    const meta = /^# HELP (\S+) (.*)$/.exec(line);
    if (meta) {
      help.set(meta[1], meta[2]);
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) throw new Error(`cannot read ${line}`);
    const [, name, rawLabels = '', value] = sample;
    const labels = Object.fromEntries(
      [...rawLabels.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((pair) => [
        pair[1],
        pair[2],
      ]),
    );
    if (!families.has(name)) families.set(name, { help: help.get(name) ?? name, samples: [] });
    families.get(name).samples.push({ labels, value: Number(value) });
  }
  return families;
}

/** A registry holding every series of `families`, as gauges: what prom-client alone renders. */
function floorRegistry(families) {
  const registry = new Registry();
  for (const [name, family] of families) {
    const labelNames = [...new Set(family.samples.flatMap((sample) => Object.keys(sample.labels)))];
    const gauge = new Gauge({ name, help: family.help, labelNames, registers: [registry] });
    for (const sample of family.samples) {
      if (Number.isFinite(sample.value)) gauge.set(sample.labels, sample.value);
    }
  }
  return registry;
}

export async function runMetricsBenchmark() {
  const started = now();
  const samples = new Samples();
  const stack = startStack();
  // Every process running and sampled (a CPU figure needs two samples) before anything is timed.
  let first;
  for (const deadline = Date.now() + 120_000; ; ) {
    first = await scrape(stack.socketPath);
    const up = first.text.match(/^overseer_process_up\{.*\} 1$/gm)?.length ?? 0;
    const cpu = first.text.match(/^overseer_process_cpu_percent\{/gm)?.length ?? 0;
    if (up === PROCESSES && cpu === PROCESSES) break;
    if (Date.now() > deadline) throw new Error(`${up} up and ${cpu} sampled of ${PROCESSES}`);
    await sleep(500);
  }
  const families = familiesOf(first.text);
  const series = [...families.values()].reduce((total, family) => total + family.samples.length, 0);
  const bytes = Buffer.byteLength(first.text);
  const floor = floorRegistry(families);
  for (let warm = 0; warm < 5; warm++) {
    await scrape(stack.socketPath);
    await floor.metrics();
  }
  for (let call = 0; call < SCRAPES; call++) {
    const sides = [
      ['scrape', async () => (await scrape(stack.socketPath)).ms],
      [
        'floor',
        async () => {
          const t0 = now();
          await floor.metrics();
          return now() - t0;
        },
      ],
    ];
    if (call % 2 === 1) sides.reverse();
    for (const [id, run] of sides) samples.record(id, await run());
  }
  cleanupMetrics();

  const scrapeStats = summarize(samples.get('scrape'));
  const floorStats = summarize(samples.get('floor'));
  const p95 = (id) => {
    const sorted = [...samples.get(id)].sort((a, b) => a - b);
    return round(sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]);
  };
  const ratio = scrapeStats.median / floorStats.median;
  const met = scrapeStats.median <= TARGET_MS;
  const host = machine();
  const date = new Date().toISOString();
  const durationMs = now() - started;
  const markdown = [
    '# Metrics benchmark',
    '',
    `Generated by \`BENCH_ONLY=metrics node bench/run.mjs\` (bench/metrics.mjs) on ${date}, in ${(durationMs / 1000).toFixed(0)} s.`,
    `Machine: ${host.cpus} × ${host.cpuModel}, ${host.platform}, Node ${host.node}; load average at start ${host.loadavgAtStart.join(' / ')}.`,
    `A daemon supervising ${PROCESSES} processes (\`sleep 3600\` in 4 namespaces, sampled every 2 s); ${SCRAPES} scrapes of \`GET /metrics\` over its socket, each next to one render of the floor, interleaved (who goes first alternates), after 5 of each to warm up.`,
    `A scrape: ${series} series in ${families.size} families, ${(bytes / 1024).toFixed(0)} KiB. The floor: prom-client rendering those same series (every label set and value) from one registry in the benchmark's process: no supervisor, no HTTP.`,
    '',
    '| measurement | median | p95 |',
    '|---|---|---|',
    `| \`GET /metrics\`, ${PROCESSES} processes | ${formatMs(scrapeStats.median)} | ${formatMs(p95('scrape'))} |`,
    `| floor: prom-client rendering the same ${series} series | ${formatMs(floorStats.median)} | ${formatMs(p95('floor'))} |`,
    `| ratio (scrape ÷ floor), medians | ${ratio.toFixed(1)}× | |`,
    '',
    `Target: a median scrape of ${TARGET_MS} ms at most: ${met ? 'met' : 'missed'}.`,
    '',
  ].join('\n');
  mkdirSync(RESULTS, { recursive: true });
  const json = {
    date,
    host,
    durationMs: round(durationMs),
    processes: PROCESSES,
    scrapes: SCRAPES,
    series,
    families: families.size,
    bytes,
    targetMs: TARGET_MS,
    summary: {
      scrape: { ...scrapeStats, p95: p95('scrape') },
      floor: { ...floorStats, p95: p95('floor') },
      ratio: round(ratio),
    },
    samples: Object.fromEntries(samples),
  };
  writeFileSync(new URL('metrics.json', RESULTS), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(new URL('metrics.md', RESULTS), markdown);
  console.log(markdown);
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    await runMetricsBenchmark();
  } finally {
    cleanupMetrics();
  }
}
