// `npm run bench`: the engine benchmark, then the CLI benchmark (bench/cli.mjs: overseer,
// PM2 and supervisord through their command lines, watched from /proc), then log throughput
// (bench/logs.mjs), then the cost of resource sampling (bench/sampling.mjs), then the
// rolling reload (bench/reload.mjs), then `ps` of 200 namespaced processes and the
// resolver (bench/namespaces.mjs), then watches and live reload (bench/watch.mjs), then
// cron fire lateness (bench/cron.mjs), then one-off tasks (bench/tasks.mjs), then the
// dashboard of `top` in a pseudo-terminal (bench/tui.mjs), then the resilience policies'
// overhead (bench/resilience.mjs), then the application logger's throughput
// (bench/logger.mjs), then durable workflows on SQLite and PostgreSQL (bench/workflows.mjs),
// then `GET /metrics` of 500 processes (bench/metrics.mjs), then restart decisions under an
// alert storm (bench/alerts.mjs); set BENCH_ONLY=engine, cli, logs, sampling, reload,
// namespaces, resilience, watch, cron, tasks, tui, logger, workflows, metrics or alerts to
// run one. The engine
// benchmark, from inside the process: overseer next to the raw cost of
// child_process.spawn on this machine, in one run, rounds interleaved.
// Writes bench/results/engine.json (every sample) and bench/results/engine.md (the table
// the docs quote). Never fails on a missed target.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cleanupAlerts, runAlertsBenchmark } from './alerts.mjs';
import { cleanupCli, runCliBenchmark } from './cli.mjs';
import { cleanupCron, runCronBenchmark } from './cron.mjs';
import {
  COMMANDS,
  CRASH_RESTART,
  overseerFleetRound,
  overseerRestartRound,
  rawFleetRound,
  rawRestartRound,
  spawnFloorRound,
} from './engine.mjs';
import {
  ChildGroups,
  formatMs,
  machine,
  now,
  round,
  Samples,
  SETTLE,
  settleCpu,
  summarize,
} from './lib.mjs';
import { cleanupLogger, runLoggerBenchmark } from './logger.mjs';
import { cleanupLogs, runLogsBenchmark } from './logs.mjs';
import { cleanupMetrics, runMetricsBenchmark } from './metrics.mjs';
import { cleanupNamespaces, runNamespacesBenchmark } from './namespaces.mjs';
import { cleanupReload, runReloadBenchmark } from './reload.mjs';
import { runResilienceBenchmark } from './resilience.mjs';
import { cleanupSampling, runSamplingBenchmark } from './sampling.mjs';
import { cleanupTasks, runTasksBenchmark } from './tasks.mjs';
import { cleanupTui, runTuiBenchmark } from './tui.mjs';
import { cleanupWatch, runWatchBenchmark } from './watch.mjs';
import { cleanupWorkflows, runWorkflowsBenchmark } from './workflows.mjs';

const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));
const RESULTS = new URL('./results/', import.meta.url);

const SUITES = [
  {
    id: 'spawn',
    title: '1a. spawn floor (node child)',
    sides: { raw: spawnFloorRound },
    rounds: ROUNDS * 2,
    warmup: { perVariant: 2 },
    params: { perVariant: 5 },
  },
  {
    id: 'restart',
    title: '1b/2. crash → restart (/bin/true)',
    sides: { overseer: overseerRestartRound, raw: rawRestartRound },
    // Short rounds, many of them: drift on a shared machine then hits both sides alike.
    rounds: ROUNDS * 2,
    warmup: { gaps: 10, command: COMMANDS.crash },
    params: { gaps: 12, command: COMMANDS.crash },
  },
  {
    id: 'fleet-sh',
    title: '3/4. 100 idle sh children',
    sides: { overseer: overseerFleetRound, raw: rawFleetRound },
    params: { count: 100, command: COMMANDS.shIdle },
  },
  {
    id: 'fleet-node',
    title: '3/4. 100 idle node children',
    sides: { overseer: overseerFleetRound, raw: rawFleetRound },
    params: { count: 100, command: COMMANDS.nodeIdle },
  },
  {
    id: 'stubborn',
    title: '5. 10 node children ignoring SIGTERM',
    sides: { overseer: overseerFleetRound, raw: rawFleetRound },
    params: {
      count: 10,
      command: COMMANDS.nodeIgnoreTerm,
      stop: { timeout: '1s' },
      killAfterMs: 1000,
    },
  },
];

/** The table: what each line compares, and its target. `floor` is the raw side. */
const ROWS = [
  { label: 'spawn() returns a pid (node child, default options)', floor: 'spawn.raw.plainPid' },
  { label: 'spawn() returns a pid (node child, overseer options)', floor: 'spawn.raw.groupPid' },
  {
    label: "spawn() → 'spawn' event (node child, overseer options)",
    floor: 'spawn.raw.groupSpawn',
  },
  {
    label: 'crash → restart gap (exit → next pid)',
    overseer: 'restart.overseer.gap',
    floor: 'restart.raw.gap',
    target: (floor) => ({ ms: floor + 3, text: `≤ floor + 3 ms (${formatMs(floor + 3)})` }),
    pm2: '≈ 10 ms',
    supervisord: '≈ 1 s',
  },
  {
    label: 'crash loop cycle (start → next start)',
    overseer: 'restart.overseer.cycle',
    floor: 'restart.raw.cycle',
  },
  {
    label: 'bring up 100 node: all have a pid',
    overseer: 'fleet-node.overseer.started',
    floor: 'fleet-node.raw.spawned',
    target: () => ({ ms: 300, text: '≤ 0.3 s' }),
  },
  {
    label: 'bring up 100 node: up() resolves',
    overseer: 'fleet-node.overseer.up',
    floor: 'fleet-node.raw.spawned',
    target: () => ({ ms: 300, text: '≤ 0.3 s' }),
    pm2: '≈ 0.96 s',
    supervisord: '≈ 0.76 s',
  },
  {
    label: 'bring up 100 node: all printed "ready"',
    overseer: 'fleet-node.overseer.ready',
    floor: 'fleet-node.raw.ready',
  },
  {
    label: 'bring up 100 sh: all have a pid',
    overseer: 'fleet-sh.overseer.started',
    floor: 'fleet-sh.raw.spawned',
    target: () => ({ ms: 300, text: '≤ 0.3 s' }),
  },
  {
    label: 'bring up 100 sh: up() resolves',
    overseer: 'fleet-sh.overseer.up',
    floor: 'fleet-sh.raw.spawned',
    target: () => ({ ms: 300, text: '≤ 0.3 s' }),
  },
  {
    label: 'stop 100 node (exit on SIGTERM)',
    overseer: 'fleet-node.overseer.stop',
    floor: 'fleet-node.raw.stop',
    target: () => ({ ms: 200, text: '≤ 0.2 s' }),
    pm2: '≈ 6.3 s',
    supervisord: '≈ 0.25 s',
  },
  {
    label: 'stop 100 sh (exit on SIGTERM)',
    overseer: 'fleet-sh.overseer.stop',
    floor: 'fleet-sh.raw.stop',
    target: () => ({ ms: 200, text: '≤ 0.2 s' }),
  },
  {
    label: 'stop 10 node ignoring SIGTERM (stop.timeout 1s)',
    overseer: 'stubborn.overseer.stop',
    floor: 'stubborn.raw.stop',
    target: () => ({ ms: 1150, text: '≤ 1.15 s' }),
    pm2: '≈ 5.7 s',
  },
];

const samples = new Samples();
const errors = [];
const warnings = [];
const groups = new ChildGroups();

function record(suite, side, result) {
  for (const [name, values] of Object.entries(result)) {
    samples.record(`${suite}.${side}.${name}`, ...values);
  }
}

async function runSuite(suite) {
  const sides = Object.entries(suite.sides);
  const started = now();
  console.log(`\n${suite.title}`);
  if (suite.warmup) {
    for (const [, run] of sides) await run(groups, suite.warmup);
  }
  const rounds = suite.rounds ?? ROUNDS;
  for (let index = 0; index < rounds; index++) {
    // Alternate which side goes first, so drift on a noisy machine hits both alike.
    const order = index % 2 === 0 ? sides : [...sides].reverse();
    const line = [];
    for (const [side, run] of order) {
      const result = await run(groups, suite.params);
      record(suite.id, side, result);
      const headline = result.gap ?? result.up ?? result.spawned ?? result.groupPid;
      const stop = result.stop ? ` stop ${formatMs(result.stop[0])}` : '';
      line.push(`${side} ${formatMs(summarize(headline).median)}${stop}`);
    }
    console.log(`  round ${index + 1}/${rounds}: ${line.join(' | ')}`);
  }
  console.log(`  (${((now() - started) / 1000).toFixed(1)} s)`);
}

function evaluate(row) {
  const overseer = row.overseer ? samples.median(row.overseer) : null;
  const floor = row.floor ? samples.median(row.floor) : null;
  const target = row.target && floor !== null ? row.target(floor) : undefined;
  let verdict = '—';
  if (target && overseer !== null) verdict = overseer <= target.ms ? 'PASS' : 'MISS';
  const p90 =
    row.overseer && samples.has(row.overseer) ? summarize(samples.get(row.overseer)).p90 : null;
  return {
    label: row.label,
    overseer: row.overseer ?? null,
    floor: row.floor ?? null,
    overseerMedian: overseer,
    overseerP90: p90,
    floorMedian: floor,
    overFloor: overseer !== null && floor !== null ? round(overseer - floor) : null,
    target: target?.text ?? null,
    targetMs: target ? round(target.ms) : null,
    floorMeetsTarget: target && floor !== null ? floor <= target.ms : null,
    pm2: row.pm2 ?? null,
    supervisord: row.supervisord ?? null,
    verdict,
  };
}

function printTable(rows) {
  const header = ['measurement', 'overseer', 'p90', 'raw floor', 'over floor', 'target', 'result'];
  const lines = rows.map((row) => [
    row.label,
    formatMs(row.overseerMedian),
    formatMs(row.overseerP90),
    formatMs(row.floorMedian),
    signed(row.overFloor),
    row.target ?? '—',
    row.verdict,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => line[column].length)),
  );
  const format = (cells) => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ');
  console.log(`\n${format(header)}`);
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const line of lines) console.log(format(line));
}

/** `+1.20 ms`, `-3.00 ms`, or `—`. */
function signed(ms) {
  return ms === null ? '—' : `${ms >= 0 ? '+' : ''}${formatMs(ms)}`;
}

/** One sentence per line with a target: how far from it, and whether the floor allows it. */
function observations(rows) {
  return rows
    .filter((row) => row.verdict !== '—')
    .map((row) => {
      const over = signed(row.overFloor);
      if (row.verdict === 'PASS') {
        return `- ${row.label}: PASS, ${formatMs(row.overseerMedian)} (${over} over the raw floor).`;
      }
      const floor = row.floorMeetsTarget
        ? `the raw floor (${formatMs(row.floorMedian)}) meets the target, so the miss is overseer's own cost`
        : `the raw floor itself (${formatMs(row.floorMedian)}) is above the target on this machine: no supervisor built on child_process.spawn meets it here`;
      return `- ${row.label}: MISS, ${formatMs(row.overseerMedian)} (${over} over the floor); ${floor}.`;
    })
    .join('\n');
}

function markdown({ date, host, rows, durationMs, backoffDelays }) {
  const cell = (ms) => formatMs(ms);
  const table = rows.map(
    (row) =>
      `| ${row.label} | ${cell(row.overseerMedian)} | ${cell(row.overseerP90)} | ${cell(row.floorMedian)} | ${signed(row.overFloor)} | ${row.target ?? '—'} | ${row.pm2 ?? '—'} | ${row.supervisord ?? '—'} | ${row.verdict} |`,
  );
  const details = [...samples.entries()]
    .filter(([id]) => !id.endsWith('settleIdle') && !id.endsWith('backoffDelayMs'))
    .map(([id, values]) => {
      const stats = summarize(values);
      return `| \`${id}\` | ${stats.n} | ${cell(stats.median)} | ${cell(stats.p90)} | ${cell(stats.min)} | ${cell(stats.max)} |`;
    });
  const idle = (suite) => {
    const values = [
      ...(samples.get(`${suite}.overseer.settleIdle`) ?? []),
      ...(samples.get(`${suite}.raw.settleIdle`) ?? []),
    ];
    const { median } = summarize(values);
    return median === null ? '—' : `${Math.round(median * 100)} %`;
  };
  const rounds = Object.fromEntries(SUITES.map((suite) => [suite.id, suite.rounds ?? ROUNDS]));
  const spawnSamples = rounds.spawn * SUITES[0].params.perVariant;
  const gapSamples = rounds.restart * SUITES[1].params.gaps;
  return `# Engine benchmark (figures from inside the process)

A \`Supervisor\` in the benchmark's own process, timed with \`performance.now()\` at its
events: where the time goes, not what a user waits for (that is \`cli.md\`, measured from
outside through the command line and \`/proc\`).

Generated by \`npm run bench\` (bench/run.mjs) on ${date}, in ${(durationMs / 1000).toFixed(0)} s.
Machine: ${host.cpus} × ${host.cpuModel}, ${(host.totalMemoryBytes / 1024 ** 3).toFixed(0)} GiB,
${host.platform}, Node ${host.node}; load average at start ${host.loadavgAtStart.join(' / ')}.
Every sample is in \`engine.json\`.

Medians, overseer rounds and raw rounds interleaved (alternating which goes first, so drift
on a noisy machine hits both alike). "raw floor" is the same work written by hand on
\`child_process.spawn\` with the options overseer uses (\`detached: true\`, stdout and stderr
piped): what any supervisor built on Node pays on this machine. "over floor" is the
difference of the medians. PM2 and supervisord figures are reference numbers for the docs,
not measured here.

| measurement | overseer median | overseer p90 | raw floor median | over floor | target | PM2 | supervisord | result |
|---|---|---|---|---|---|---|---|---|
${table.join('\n')}

${observations(rows)}

## What each number measures

- **spawn floor** (1a): \`spawn(process.execPath, [fixtures/exit-now.mjs])\` until it returns
  (the pid is known then: libuv has forked and waited for the child's exec) and until the
  'spawn' event (a tick later); with Node's default options and with overseer's. The child
  is SIGKILLed once spawned so a booting node does not load the next sample.
  ${spawnSamples} samples per variant in ${rounds.spawn} rounds.
- **crash → restart gap** (1b, 2): the child is \`/bin/true\`, which exits at once, under
  \`restart: ${JSON.stringify(CRASH_RESTART)}\`. With \`delay: 0\` the backoff
  (\`delay × factor^(n-1)\`, capped at \`max_delay\`) is 0 for every n; the
  \`process:backoff\` events of this run reported delays of ${JSON.stringify(backoffDelays)} ms.
  overseer: from the \`process:exit\` listener to the next \`process:started\` listener, both
  stamped with \`performance.now()\`. Raw floor: a hand-written loop that respawns inside the
  child's 'exit' listener, from that listener to \`spawn()\` returning the new pid.
  ${gapSamples} gaps per side in ${rounds.restart} rounds. Most of either gap is \`spawn()\`
  itself. The gap leaves out what happens before \`process:exit\` (overseer reports an exit
  once the process group is gone and the output pipes are drained); the **cycle** line (one
  \`process:started\` to the next, vs. one spawn to the next in the raw loop) includes it.
- **bring up 100** (3): \`add({ instances: 100, restart: { min_uptime: 0 } })\`, then
  \`up()\`. "all have a pid": from calling \`up()\` to the 100th \`process:started\`; "up()
  resolves": to \`up()\` resolving with every process \`running\`. The raw floor runs from the
  first of 100 \`spawn()\` calls in a loop to the 100th 'spawn' event. Node children:
  \`fixtures/idle.mjs\`; sh children: \`sh -c 'trap "exit 0" TERM; echo ready; while :; do
  sleep 3600 & wait; done'\`. \`spawn()\` returns only once the child has exec'd, so while
  earlier children boot, each later \`spawn()\` waits for a CPU. A node child costs this
  machine about 0.2 s of CPU to boot, so with node children both numbers mostly measure
  node's boot on ${host.cpus} cores; the sh lines show the supervisor's own cost. "all
  printed ready" is the children's boot, for information. ${rounds['fleet-node']} rounds per side.
- **stop 100** (4): after every child has printed "ready" and the CPU has settled (at least
  ${SETTLE.minMs} ms, then until a ${SETTLE.windowMs} ms window is ≥ ${SETTLE.idle * 100} % idle, at most
  ${SETTLE.maxMs} ms; median idle share reached: ${idle('fleet-node')} before the node
  stops, ${idle('fleet-sh')} before the sh stops, less than 100 % when other work shares
  the machine), the time for \`shutdown()\` to resolve: SIGTERM to every process group, and
  every tree gone with its pipes drained. Raw floor: SIGTERM to every group by hand, until
  the last child's 'close'. A node child also spends CPU on its own exit: 100 of them
  exiting at once on ${host.cpus} cores is most of the node floor.
- **stop 10 ignoring SIGTERM** (5): \`fixtures/ignore-term.mjs\` with \`stop: { timeout: '1s' }\`:
  SIGTERM, 1 s, SIGKILL, all ten in parallel. Raw floor: the same by hand with one timer.

## All samples, summarized

| metric | n | median | p90 | min | max |
|---|---|---|---|---|---|
${details.join('\n')}
`;
}

async function runEngine() {
  const date = new Date().toISOString();
  const host = machine();
  const started = now();
  console.log(
    `overseer engine benchmark: ${host.cpus} × ${host.cpuModel}, Node ${host.node}, ${ROUNDS} rounds`,
  );
  process.on('warning', (warning) => warnings.push(`${warning.name}: ${warning.message}`));
  await settleCpu({ minMs: 200 });
  for (const suite of SUITES) {
    try {
      await runSuite(suite);
    } catch (error) {
      errors.push({ suite: suite.id, message: String(error?.stack ?? error) });
      console.error(`  ${suite.id} failed: ${error?.message ?? error}`);
      groups.killAll();
    }
  }
  const durationMs = now() - started;
  const rows = ROWS.map(evaluate);
  printTable(rows);
  const backoffDelays = [...new Set(samples.get('restart.overseer.backoffDelayMs') ?? [])];
  const metrics = Object.fromEntries(
    [...samples.entries()].map(([id, values]) => [
      id,
      {
        unit: id.endsWith('settleIdle') ? 'idle share' : 'ms',
        ...summarize(values),
        samples: values.map(round),
      },
    ]),
  );
  mkdirSync(RESULTS, { recursive: true });
  const json = {
    date,
    machine: host,
    durationMs: round(durationMs),
    rounds: ROUNDS,
    settle: SETTLE,
    suites: SUITES.map(({ id, title, params, rounds }) => ({
      id,
      title,
      rounds: rounds ?? ROUNDS,
      params,
    })),
    rows,
    metrics,
    warnings,
    errors,
  };
  writeFileSync(new URL('engine.json', RESULTS), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(
    new URL('engine.md', RESULTS),
    markdown({ date, host, rows, durationMs, backoffDelays }),
  );
  console.log(
    `\nbench/results/engine.json and engine.md written (${(durationMs / 1000).toFixed(0)} s)`,
  );
  for (const warning of new Set(warnings)) console.log(`warning during the run: ${warning}`);
  if (errors.length > 0) process.exitCode = 1;
}

const cleanup = () => {
  const left = groups.killAll();
  if (left > 0) console.error(`killed ${left} leftover process group(s)`);
  cleanupCli();
  cleanupLogs();
  cleanupSampling();
  cleanupReload();
  cleanupNamespaces();
  cleanupWatch();
  cleanupCron();
  cleanupTasks();
  cleanupTui();
  cleanupLogger();
  cleanupWorkflows();
  cleanupMetrics();
  cleanupAlerts();
};
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    cleanup();
    process.exit(130);
  });
}

const BENCHMARKS = {
  engine: runEngine,
  cli: async () => {
    if (!(await runCliBenchmark())) process.exitCode = 1;
  },
  logs: async () => {
    if (!(await runLogsBenchmark())) process.exitCode = 1;
  },
  sampling: async () => {
    if (!(await runSamplingBenchmark())) process.exitCode = 1;
  },
  reload: async () => {
    if (!(await runReloadBenchmark())) process.exitCode = 1;
  },
  namespaces: async () => {
    if (!(await runNamespacesBenchmark())) process.exitCode = 1;
  },
  resilience: async () => {
    if (!(await runResilienceBenchmark())) process.exitCode = 1;
  },
  watch: async () => {
    if (!(await runWatchBenchmark())) process.exitCode = 1;
  },
  cron: async () => {
    if (!(await runCronBenchmark())) process.exitCode = 1;
  },
  tasks: async () => {
    if (!(await runTasksBenchmark())) process.exitCode = 1;
  },
  tui: async () => {
    if (!(await runTuiBenchmark())) process.exitCode = 1;
  },
  logger: async () => {
    if (!(await runLoggerBenchmark())) process.exitCode = 1;
  },
  workflows: async () => {
    if (!(await runWorkflowsBenchmark())) process.exitCode = 1;
  },
  metrics: async () => {
    if (!(await runMetricsBenchmark())) process.exitCode = 1;
  },
  alerts: async () => {
    if (!(await runAlertsBenchmark())) process.exitCode = 1;
  },
};
const only = process.env.BENCH_ONLY;
if (only && !(only in BENCHMARKS)) {
  console.error(`BENCH_ONLY=${only}: expected one of ${Object.keys(BENCHMARKS).join(', ')}`);
  process.exit(2);
}

try {
  for (const [name, run] of Object.entries(BENCHMARKS)) {
    if (!only || only === name) await run();
  }
} finally {
  cleanup();
}
