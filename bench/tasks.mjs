// One-off tasks (`BENCH_ONLY=tasks npm run bench`, or `node bench/tasks.mjs` after
// `npm run build`): N tasks of /bin/true, 20 at a time, through `supervisor.run()` (all
// submitted at once), next to a hand-written pool over `child_process.spawn` (the floor)
// and `p-limit` + `execa` (what a user would write instead), and overseer again with
// process-group containment (what a cgroup per task costs), rounds interleaved with the
// order rotating; the supervisor's CPU per task over the floor's; submit → spawn latency
// with free slots; and the memory of 10,000 queued tasks, then all of them cancelled.
//
// BENCH_TASKS_COUNT (1000) tasks a round, BENCH_TASKS_ROUNDS (3) rounds a side,
// BENCH_TASKS_LATENCY (200) tasks for the latency, BENCH_TASKS_QUEUED (10000) for the
// memory. Results in bench/results/tasks.json (every sample) and tasks.md. Never fails on
// a missed target.
import { mkdirSync, writeFileSync } from 'node:fs';
import { ChildGroups, formatMs, machine, now, round, settleCpu, summarize } from './lib.mjs';
import { queuedMemory, queueLatency } from './tasks-probes.mjs';
import { COMMAND, SIDES } from './tasks-sides.mjs';

const COUNT = Math.max(1, Number(process.env.BENCH_TASKS_COUNT ?? 1000));
const ROUNDS = Math.max(3, Number(process.env.BENCH_TASKS_ROUNDS ?? 3));
const LATENCY_TASKS = Math.max(200, Number(process.env.BENCH_TASKS_LATENCY ?? 200));
const QUEUED = Math.max(1, Number(process.env.BENCH_TASKS_QUEUED ?? 10_000));
const CONCURRENCY = 20;
const RESULTS = new URL('./results/', import.meta.url);

const TARGETS = {
  wallOverFloor: 1.25,
  cpuPerTaskMs: 1,
  latencyMedianMs: 2,
  queuedMemoryBytes: 30 * 2 ** 20,
};

const groups = new ChildGroups();

/** SIGKILLs every child group of this benchmark still known; returns how many. */
export function cleanupTasks() {
  return groups.killAll();
}

/** p99, nearest rank. */
function p99(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)]);
}

const describe = (samples) => ({ ...summarize(samples), p99: p99(samples) });
const ratio = (a, b) => (a === null || b === null || b === 0 ? null : round(a / b));
const mib = (bytes) => `${bytes >= 0 ? '+' : ''}${(bytes / 2 ** 20).toFixed(1)} MiB`;
const times = (value) => (value === null ? '—' : `${value.toFixed(2)}×`);
const verdict = (met) => (met ? 'met' : 'missed');

/** Every side `ROUNDS` times; round k starts with side k mod 4, so drift hits all alike. */
async function throughput() {
  const names = Object.keys(SIDES);
  const samples = Object.fromEntries(names.map((name) => [name, { wallMs: [], cpuMs: [] }]));
  let containment;
  for (const name of names) await SIDES[name](groups, { count: 50, concurrency: CONCURRENCY });
  for (let index = 0; index < ROUNDS; index++) {
    const order = names.map((_, k) => names[(k + index) % names.length]);
    const line = [];
    for (const name of order) {
      await settleCpu({ minMs: 300, maxMs: 1500 });
      const result = await SIDES[name](groups, { count: COUNT, concurrency: CONCURRENCY });
      samples[name].wallMs.push(result.wallMs);
      samples[name].cpuMs.push(result.cpuMs);
      containment ??= result.containment;
      line.push(`${name} ${formatMs(result.wallMs)} (cpu ${formatMs(result.cpuMs)})`);
    }
    console.log(`  round ${index + 1}/${ROUNDS}: ${line.join(' | ')}`);
  }
  return { samples, containment };
}

function figures({ samples }, latency, memory) {
  const median = (side, key) => summarize(samples[side][key]).median;
  const wall = {
    floor: median('floor', 'wallMs'),
    overseer: median('overseer', 'wallMs'),
    pLimitExeca: median('p-limit+execa', 'wallMs'),
    processGroup: median('overseer-pgroup', 'wallMs'),
  };
  const cpu = {
    floor: median('floor', 'cpuMs'),
    overseer: median('overseer', 'cpuMs'),
    pLimitExeca: median('p-limit+execa', 'cpuMs'),
    processGroup: median('overseer-pgroup', 'cpuMs'),
  };
  const cpuPerTaskMs = round((cpu.overseer - cpu.floor) / COUNT);
  const latencyListener = describe(latency.listenerMs);
  // The heap after a full GC (always available: see `collector`); RSS is reported beside it.
  const memoryBytes = memory.heapDeltaBytes;
  const allCancelled = memory.statuses.cancelled === memory.count;
  return {
    wall,
    cpu,
    overFloor: ratio(wall.overseer, wall.floor),
    overPLimitExeca: ratio(wall.overseer, wall.pLimitExeca),
    pLimitExecaOverFloor: ratio(wall.pLimitExeca, wall.floor),
    processGroupOverFloor: ratio(wall.processGroup, wall.floor),
    cpuPerTaskMs,
    cpuPerTaskProcessGroupMs: round((cpu.processGroup - cpu.floor) / COUNT),
    latencyOverSpawnMs: round(latencyListener.median - summarize(latency.spawnMs).median),
    cpuPerTaskPLimitExecaMs: round((cpu.pLimitExeca - cpu.floor) / COUNT),
    latency: {
      listenerMs: latencyListener,
      eventMs: describe(latency.eventMs),
      spawnFloorMs: describe(latency.spawnMs),
    },
    memory: { ...memory, perTaskBytes: Math.round(memoryBytes / memory.count) },
    met: {
      wall: ratio(wall.overseer, wall.floor) <= TARGETS.wallOverFloor,
      aheadOfPLimitExeca: wall.overseer < wall.pLimitExeca,
      cpuPerTask: cpuPerTaskMs <= TARGETS.cpuPerTaskMs,
      latency: latencyListener.median <= TARGETS.latencyMedianMs,
      memory: memoryBytes <= TARGETS.queuedMemoryBytes,
      allCancelled,
    },
  };
}

function markdown({ date, host, durationMs, containment, result }) {
  const { wall, cpu, latency, memory, met } = result;
  const lat = (label, m) =>
    `| ${label} | ${formatMs(m.median)} | ${formatMs(m.p90)} | ${formatMs(m.p99)} | ${formatMs(m.max)} |`;
  return [
    `# One-off tasks (${date})`,
    '',
    `${host.cpus} × ${host.cpuModel}, ${host.platform}, Node ${host.node}, load at start ${host.loadavgAtStart.join(' ')}; ${(durationMs / 1000).toFixed(0)} s; containment: ${containment}.`,
    `${COUNT} tasks of \`${COMMAND}\` a round, ${CONCURRENCY} at a time, ${ROUNDS} rounds a side, sides interleaved (order rotating). Medians.`,
    '',
    '| side | wall | × floor | this process’s CPU | CPU per task |',
    '|---|---|---|---|---|',
    `| floor: hand-written pool over \`child_process.spawn\` | ${formatMs(wall.floor)} | 1.00× | ${formatMs(cpu.floor)} | ${formatMs(cpu.floor / COUNT)} |`,
    `| overseer: \`supervisor.run()\`, all submitted at once | ${formatMs(wall.overseer)} | ${times(result.overFloor)} | ${formatMs(cpu.overseer)} | ${formatMs(cpu.overseer / COUNT)} |`,
    `| overseer, \`containment: 'process-group'\` (no cgroup) | ${formatMs(wall.processGroup)} | ${times(result.processGroupOverFloor)} | ${formatMs(cpu.processGroup)} | ${formatMs(cpu.processGroup / COUNT)} |`,
    `| \`p-limit\` + \`execa\` | ${formatMs(wall.pLimitExeca)} | ${times(result.pLimitExecaOverFloor)} | ${formatMs(cpu.pLimitExeca)} | ${formatMs(cpu.pLimitExeca / COUNT)} |`,
    '',
    `- Wall ≤ ${TARGETS.wallOverFloor}× the floor: ${verdict(met.wall)} (${times(result.overFloor)}).`,
    `- Ahead of p-limit + execa: ${verdict(met.aheadOfPLimitExeca)} (overseer at ${times(result.overPLimitExeca)} of its wall time).`,
    `- Supervisor CPU per task over the floor's ≤ ${TARGETS.cpuPerTaskMs} ms: ${verdict(met.cpuPerTask)} (${formatMs(result.cpuPerTaskMs)}; with process-group containment: ${formatMs(result.cpuPerTaskProcessGroupMs)}; p-limit + execa: ${formatMs(result.cpuPerTaskPLimitExecaMs)}).`,
    '',
    `Submit → spawn with free slots, ${LATENCY_TASKS} tasks submitted one at a time:`,
    '',
    '| measure | median | p90 | p99 | max |',
    '|---|---|---|---|---|',
    lat('`task:queued` → `task:started` listeners (performance.now())', latency.listenerMs),
    lat('the same from the events’ `at` (whole ms)', latency.eventMs),
    lat('floor: `spawn()` returns a pid (same options)', latency.spawnFloorMs),
    '',
    `- Median ≤ ${TARGETS.latencyMedianMs} ms: ${verdict(met.latency)}; ${formatMs(result.latencyOverSpawnMs)} over the median \`spawn()\` of the same run${latency.spawnFloorMs.median > TARGETS.latencyMedianMs ? ', which is itself above the target on this machine now' : ''}.`,
    '',
    `${memory.count} tasks queued behind one slot held by a sleeping task (${memory.queuedWhileHeld} counted queued):`,
    '',
    `- heap used after a full GC: ${mib(memory.heapDeltaBytes)} (${memory.perTaskBytes} bytes a task); RSS ${mib(memory.rssDeltaBytes)}; target ≤ 30 MiB: ${verdict(met.memory)}.`,
    `- submitting them took ${formatMs(memory.submitMs)}; cancelling them all and every result in ${formatMs(memory.cancelMs)}: ${JSON.stringify(memory.statuses)} (${met.allCancelled ? 'all cancelled' : 'NOT all cancelled'}); the holder ended ${memory.holderStatus}.`,
    '',
  ].join('\n');
}

export async function runTasksBenchmark() {
  const date = new Date().toISOString();
  const host = machine();
  const started = now();
  console.log(
    `tasks: ${COUNT} × ${COMMAND}, ${CONCURRENCY} at a time, ${ROUNDS} rounds of ${Object.keys(SIDES).join(', ')}`,
  );
  const rounds = await throughput();
  console.log(`  latency: ${LATENCY_TASKS} tasks one at a time`);
  const latency = await queueLatency(groups, { count: LATENCY_TASKS, concurrency: CONCURRENCY });
  console.log(`  memory: ${QUEUED} tasks queued behind one`);
  const memory = await queuedMemory(groups, { count: QUEUED });
  const result = figures(rounds, latency, memory);
  const durationMs = now() - started;
  const json = {
    date,
    host,
    durationMs: round(durationMs),
    count: COUNT,
    concurrency: CONCURRENCY,
    rounds: ROUNDS,
    command: COMMAND,
    containment: rounds.containment,
    targets: TARGETS,
    result,
    samples: { rounds: rounds.samples, latency },
  };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(new URL('tasks.json', RESULTS), `${JSON.stringify(json, null, 2)}\n`);
  const md = markdown({ date, host, durationMs, containment: rounds.containment, result });
  writeFileSync(new URL('tasks.md', RESULTS), md);
  console.log(`\n${md}`);
  return result.met.allCancelled;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    if (!(await runTasksBenchmark())) process.exitCode = 1;
  } finally {
    cleanupTasks();
  }
}
