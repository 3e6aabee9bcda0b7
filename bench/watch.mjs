// Watches and live reload, against a real daemon (`overseer up -d`, after `npm run build`),
// written to bench/results/watch.json and watch.md (run alone with `node bench/watch.mjs`,
// or `BENCH_ONLY=watch npm run bench`):
//
// 1. Watch to restart: a file written in a watched folder → the new child's pid
//    (`process:started` on /events). Target: ≤ debounce + 50 ms.
// 2. Live reload: the config rewritten (`settings.reload: true`) → `config:applied` on
//    /events. Target: ≤ 300 ms.
//
// Each next to its floor in the same run, tries interleaved: a bare `fs.watch` on the same
// folder seeing the same kind of write. Medians and p95 over BENCH_WATCH_TRIES tries (20).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatMs, machine, now, round, sleep } from './lib.mjs';
import { ProcessLedger } from './proc.mjs';

const fromRoot = (path) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const OVERSEER_CLI = fromRoot('dist/cli/main.js');
const IDLE = fromRoot('bench/fixtures/idle.mjs');
const RESULTS = new URL('./results/', import.meta.url);

const TRIES = Math.max(1, Number(process.env.BENCH_WATCH_TRIES ?? 20));
const DEBOUNCE_MS = 100;
/** What the daemon waits after a change of the config before applying it (CONFIG_DEBOUNCE_MS). */
const CONFIG_DEBOUNCE_MS = 100;
const TARGETS = { restartOverDebounceMs: 50, reloadMs: 300 };

const ledger = new ProcessLedger();

/** SIGKILLs whatever this benchmark started that is still alive; returns how many. */
export function cleanupWatch() {
  return ledger.killAll();
}

function cli(args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [OVERSEER_CLI, ...args], { cwd, stdio: 'ignore' });
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`overseer ${args.join(' ')} exited ${code}`)),
    );
  });
}

/** The daemon's /events, read as they come; `next(predicate)` resolves with the next match. */
function openEvents(socketPath) {
  const waiting = new Set();
  let buffer = '';
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path: '/events', agent: false }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        const at = now();
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const data = JSON.parse(buffer.slice(0, end).split('\ndata: ')[1]);
          buffer = buffer.slice(end + 2);
          for (const waiter of [...waiting]) {
            if (!waiter.predicate(data)) continue;
            waiting.delete(waiter);
            waiter.resolve(at);
          }
        }
      });
      resolve({
        /** The time (now()) the next event matching `predicate` arrived. */
        next: (predicate) =>
          new Promise((resolveNext) => waiting.add({ predicate, resolve: resolveNext })),
        close: () => req.destroy(),
      });
    });
    req.once('error', reject);
    req.end();
  });
}

/** How long a bare fs.watch on `dir` takes to see `write()`. */
async function timeFloor(dir, write) {
  let start = 0;
  const seen = new Promise((resolve) => {
    const watcher = watch(dir, () => {
      watcher.close();
      resolve(now());
    });
    start = now();
    write();
  });
  return (await seen) - start;
}

function configYaml(comment) {
  return `version: 1
name: watch-bench
settings: { reload: true }
# ${comment}
processes:
  web:
    command: ${JSON.stringify([process.execPath, IDLE])}
    watch: { paths: [src], debounce: ${DEBOUNCE_MS}ms }
    restart: { min_uptime: 0 }
`;
}

/** `p95` by nearest rank, with the median, min and max. */
function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  const rank = (q) => sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))];
  const median = n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return {
    n,
    median: round(median),
    p95: round(rank(0.95)),
    min: round(sorted[0]),
    max: round(sorted[n - 1]),
  };
}

export async function runWatchBenchmark() {
  const root = mkdtempSync(join(os.tmpdir(), 'ovw-'));
  const dir = join(root, 'p');
  mkdirSync(join(dir, 'src'), { recursive: true });
  mkdirSync(join(root, 'floor'));
  writeFileSync(join(dir, 'overseer.yaml'), configYaml(0));
  const samples = { restart: [], restartFloor: [], reload: [], reloadFloor: [] };
  let events;
  const started = performance.now();
  try {
    await cli(['up', '-d'], dir);
    const { pid } = JSON.parse(readFileSync(join(dir, '.overseer', 'overseer.pid'), 'utf8'));
    ledger.add(pid);
    events = await openEvents(join(dir, '.overseer', 'overseer.sock'));
    // The process's and the config's watches are in place once the daemon's log says so.
    const log = join(dir, '.overseer', 'overseer.log');
    const inPlace = (text) =>
      text.includes('"msg":"watching"') && text.includes('"msg":"watching the config"');
    while (!inPlace(readFileSync(log, 'utf8'))) await sleep(20);
    for (let index = 0; index < TRIES; index++) {
      samples.restartFloor.push(
        await timeFloor(join(root, 'floor'), () =>
          writeFileSync(join(root, 'floor', 'a.js'), `${index}`),
        ),
      );
      const spawned = events.next(
        (event) => event.type === 'process:started' && event.name === 'web',
      );
      const start = now();
      writeFileSync(join(dir, 'src', 'app.js'), `${index}`);
      samples.restart.push((await spawned) - start);
      ledger.track(pid);

      samples.reloadFloor.push(
        await timeFloor(root, () => writeFileSync(join(root, 'floor.yaml'), configYaml(index))),
      );
      const applied = events.next((event) => event.type === 'config:applied');
      const reloadStart = now();
      writeFileSync(join(dir, 'overseer.yaml'), configYaml(index + 1));
      samples.reload.push((await applied) - reloadStart);
    }
  } finally {
    events?.close();
    await cli(['down'], dir).catch(() => {});
    cleanupWatch();
    rmSync(root, { recursive: true, force: true });
  }
  const result = {
    date: new Date().toISOString(),
    host: machine(),
    durationMs: round(performance.now() - started),
    tries: TRIES,
    debounceMs: DEBOUNCE_MS,
    configDebounceMs: CONFIG_DEBOUNCE_MS,
    targets: TARGETS,
    restart: stats(samples.restart),
    restartFloor: stats(samples.restartFloor),
    reload: stats(samples.reload),
    reloadFloor: stats(samples.reloadFloor),
    samples,
  };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(new URL('watch.json', RESULTS), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(new URL('watch.md', RESULTS), markdown(result));
  console.log(markdown(result));
  const overhead = result.restart.median - DEBOUNCE_MS;
  return overhead <= TARGETS.restartOverDebounceMs && result.reload.median <= TARGETS.reloadMs;
}

function markdown(result) {
  const row = (what, s, target) =>
    `| ${what} | ${formatMs(s.median)} | ${formatMs(s.p95)} | ${formatMs(s.min)} – ${formatMs(s.max)} | ${target} |`;
  return `# Watch and live reload (${result.date.slice(0, 10)}, ${result.host.cpus} cores, Node ${result.host.node.slice(1)}, ${result.tries} tries)

| what | median | p95 | min – max | target |
|---|---|---|---|---|
${row(`floor: a bare fs.watch sees a write`, result.restartFloor, '')}
${row(`file written → new pid (debounce ${result.debounceMs} ms)`, result.restart, `≤ ${result.debounceMs + TARGETS.restartOverDebounceMs} ms`)}
${row(`floor: a bare fs.watch sees the config rewritten`, result.reloadFloor, '')}
${row(`config written → config:applied (its debounce ${result.configDebounceMs} ms)`, result.reload, `≤ ${TARGETS.reloadMs} ms`)}
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.on('exit', cleanupWatch);
  if (!(await runWatchBenchmark())) process.exitCode = 1;
}
