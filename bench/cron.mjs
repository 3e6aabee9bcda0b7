// Cron fire lateness (`BENCH_ONLY=cron npm run bench`, or `node bench/cron.mjs` after
// `npm run build`): how late a scheduled run's child is spawned after its fire time, for a
// `* * * * * *` job in the library's Supervisor, over at least 100 fires; next to the floor
// in the same run: a bare `setTimeout` to the next whole second (shifted by half a second,
// so the two sides never share an instant) and a `spawn()` of the same command.
//
// Lateness is wall-clock time when `spawn()` has returned a pid (overseer: its
// `process:started` event, emitted right after) minus the fire time. Also reported: when the
// fire was taken (`process:fired`), which is the clock's own lateness. Results in
// bench/results/cron.json and cron.md. Never fails on a missed target.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Supervisor } from '../dist/index.js';
import { ChildGroups, deferred, formatMs, machine, round, summarize } from './lib.mjs';

const FIRES = Math.max(100, Number(process.env.BENCH_CRON_FIRES ?? 120));
const COMMAND = ['/bin/true'];
const TARGET_MS = 20;
const RESULTS = new URL('./results/', import.meta.url);

/** Wall-clock epoch ms with µs precision. */
const wallNow = () => performance.timeOrigin + performance.now();

const groups = new ChildGroups();

/** p99, nearest rank. */
function p99(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)]);
}

/** The floor: at each whole second + 500 ms, a bare timer, then spawn(); `FIRES` times. */
async function floorSide() {
  const timer = [];
  const spawned = [];
  for (let i = 0; i < FIRES; i++) {
    const fireAt = Math.floor(Date.now() / 1000) * 1000 + 1500;
    await new Promise((resolve) => setTimeout(resolve, fireAt - Date.now()));
    timer.push(wallNow() - fireAt);
    const child = spawn(COMMAND[0], COMMAND.slice(1), { stdio: 'ignore', detached: true });
    spawned.push(wallNow() - fireAt);
    groups.add(child.pid);
    child.once('exit', () => groups.gone(child.pid));
  }
  return { timer, spawned };
}

/** overseer: a `* * * * * *` job until it has been spawned `FIRES` times. */
async function overseerSide() {
  const supervisor = new Supervisor({ logLines: 16 });
  supervisor.add({
    name: 'tick',
    command: COMMAND,
    schedule: '* * * * * *',
    restart: { min_uptime: 0 },
  });
  const timer = [];
  const spawned = [];
  const done = deferred();
  let fireAt;
  let pid;
  supervisor.on('process:fired', (event) => {
    timer.push(wallNow() - event.fireAt);
    fireAt = event.action === 'run' ? event.fireAt : undefined;
  });
  supervisor.on('process:started', (event) => {
    if (fireAt !== undefined) spawned.push(wallNow() - fireAt);
    fireAt = undefined;
    pid = event.pid;
    groups.add(pid);
    if (spawned.length >= FIRES) done.resolve();
  });
  supervisor.on('process:exit', () => groups.gone(pid));
  await supervisor.up();
  await done.promise;
  await supervisor.shutdown();
  return { timer, spawned };
}

function describe(samples) {
  const summary = summarize(samples);
  return { ...summary, p99: p99(samples) };
}

export async function runCronBenchmark() {
  const date = new Date().toISOString();
  const host = machine();
  const started = Date.now();
  console.log(`cron: ${FIRES} fires a side, both sides at once (about ${FIRES + 2} s)`);
  const [floor, overseer] = await Promise.all([floorSide(), overseerSide()]);
  const metrics = {
    floorTimer: describe(floor.timer),
    floorSpawn: describe(floor.spawned),
    overseerFired: describe(overseer.timer),
    overseerSpawn: describe(overseer.spawned),
  };
  const met = metrics.overseerSpawn.median <= TARGET_MS && metrics.overseerSpawn.p99 <= TARGET_MS;
  const json = {
    date,
    host,
    durationMs: Date.now() - started,
    fires: FIRES,
    command: COMMAND,
    targetMs: TARGET_MS,
    metrics,
    samples: { floor, overseer },
  };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(new URL('cron.json', RESULTS), `${JSON.stringify(json, null, 2)}\n`);
  const line = (label, m) =>
    `| ${label} | ${formatMs(m.median)} | ${formatMs(m.p90)} | ${formatMs(m.p99)} | ${formatMs(m.max)} |`;
  const md = [
    `# Cron fire lateness (${date})`,
    '',
    `${host.cpus} × ${host.cpuModel}, ${host.platform}, Node ${host.node}, load at start ${host.loadavgAtStart.join(' ')}.`,
    `${FIRES} fires a side of \`* * * * * *\` running \`${COMMAND.join(' ')}\`; both sides in one process, half a second apart.`,
    '',
    '| lateness after the fire time | median | p90 | p99 | max |',
    '|---|---|---|---|---|',
    line('floor: bare setTimeout fires', metrics.floorTimer),
    line('floor: setTimeout + spawn() returned a pid', metrics.floorSpawn),
    line('overseer: fire taken (`process:fired`)', metrics.overseerFired),
    line('overseer: child spawned (`process:started`)', metrics.overseerSpawn),
    '',
    `Target: spawned ≤ ${TARGET_MS} ms late (median and p99): ${met ? 'met' : 'missed'}.`,
    '',
  ].join('\n');
  writeFileSync(new URL('cron.md', RESULTS), md);
  console.log(md);
  return true;
}

export function cleanupCron() {
  return groups.killAll();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    await runCronBenchmark();
  } finally {
    cleanupCron();
  }
}
