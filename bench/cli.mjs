// The CLI and daemon benchmark: overseer and PM2 side by side in one run, rounds
// interleaved (which side goes first alternates), each driven through its command line as a
// user would. Writes bench/results/cli.json (every sample) and bench/results/cli.md (the
// table the docs quote). Never fails on a missed target.
//
// Each round, for each side, from a cold start (new folder, new PM2_HOME, no daemon):
//   0 children   → daemon RSS (next to a bare idling node)
//   100 children → `up -d` / `pm2 start` wall time; daemon RSS; `ps --json` / `pm2 jlist`
//                  wall time next to `node -e 0`
//   500 children → daemon RSS, then CPU used over an idle window by both daemons at once
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { formatMs, machine, now, round, Samples, settleCpu, sleep, summarize } from './lib.mjs';
import { ProcessLedger, readCpu, readMemory } from './proc.mjs';
import { OverseerSide, Pm2Side, ReferenceNode, SLEEPER, timedNode } from './stacks.mjs';

const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
/** `ps`, `jlist` and `node -e 0` calls per round, each. */
const LIST_CALLS = Math.max(1, Number(process.env.BENCH_LIST_CALLS ?? 5));
/** The idle window over which CPU is measured, in seconds. */
const IDLE_SECONDS = Math.max(1, Number(process.env.BENCH_IDLE_SECONDS ?? 30));
/** Counts of sleeping children at which daemon memory is measured. */
const COUNTS = [0, 100, 500];
/**
 * Waiting for the daemons to settle before reading their memory or CPU. A node daemon that
 * has just allocated a lot (loading its code, spawning children, answering `ps`) keeps
 * that heap until V8's memory reducer collects it, from about 10 s to over a minute after
 * the allocation stops, shrinking its RSS by tens of MB. So: at least `minMs`, then until
 * every daemon's RSS is `shrunkBytes` below its peak since the start (that collection has
 * happened) and none has used more than `quietCpuMs` of CPU over the last `quietMs` (its
 * start-up work is over); at most `maxMs`. Nothing is done to hurry it (no GC forced).
 */
const SETTLE = {
  minMs: Number(process.env.BENCH_SETTLE_SECONDS ?? 15) * 1000,
  shrunkBytes: 1024 * 1024,
  quietMs: 10_000,
  // Well above periodic work at rest (overseer's resource sampling, PM2's worker), well
  // below a start-up burst.
  quietCpuMs: 200,
  maxMs: 90_000,
};
/** RSS samples per reading, `RSS_GAP_MS` apart; the reading is their median. */
const RSS_SAMPLES = 5;
const RSS_GAP_MS = 200;
const MIB = 1024 * 1024;
const KIB = 1024;

const RESULTS = new URL('./results/', import.meta.url);
const PM2_PACKAGE = new URL('../node_modules/pm2/package.json', import.meta.url);

const samples = new Samples();
const errors = [];
const ledger = new ProcessLedger();
let root;

/** The median of a few VmRSS readings (and of its anonymous / file-backed parts). */
async function readRss(pid) {
  const readings = [];
  for (let i = 0; i < RSS_SAMPLES; i++) {
    if (i > 0) await sleep(RSS_GAP_MS);
    const memory = readMemory(pid);
    if (memory) readings.push(memory);
  }
  if (readings.length === 0) throw new Error(`pid ${pid} is gone: no RSS to read`);
  const mid = (key) => summarize(readings.map((reading) => reading[key])).median;
  return { rss: mid('rss'), rssAnon: mid('rssAnon'), rssFile: mid('rssFile') };
}

/** Records the RSS of each `[id, pid]` under `metric`; returns id → RSS in bytes. */
async function recordRss(metric, processes) {
  const rss = {};
  for (const [id, pid] of processes) {
    const memory = await readRss(pid);
    samples.record(`${metric}.${id}`, memory.rss);
    samples.record(`${metric}.${id}.anon`, memory.rssAnon);
    samples.record(`${metric}.${id}.file`, memory.rssFile);
    rss[id] = memory.rss;
  }
  return rss;
}

/**
 * Waits as SETTLE says for every `[id, pid]`, the peaks starting from the `fresh` RSS of
 * each (the bare node reference only has to be quiet); records how long it took, whether it settled before `maxMs`, and the CPU each
 * used meanwhile.
 */
async function settleDaemons(metric, watched, fresh) {
  const start = now();
  const first = new Map(watched.map(([id, pid]) => [id, readCpu(pid)?.schedMs]));
  const peak = new Map(fresh);
  const history = [];
  for (;;) {
    const t = now();
    const cpu = new Map(watched.map(([id, pid]) => [id, readCpu(pid)?.schedMs]));
    const shrunk = watched.every(([id, pid]) => {
      const rss = readMemory(pid)?.rss ?? 0;
      peak.set(id, Math.max(peak.get(id) ?? 0, rss));
      return id === 'node' || peak.get(id) - rss >= SETTLE.shrunkBytes;
    });
    history.push({ t, cpu });
    const past = history.findLast((entry) => t - entry.t >= SETTLE.quietMs);
    const quiet =
      past !== undefined &&
      watched.every(([id]) => cpu.get(id) - past.cpu.get(id) <= SETTLE.quietCpuMs);
    const waited = t - start;
    const settled = waited >= SETTLE.minMs && shrunk && quiet;
    if (settled || waited >= SETTLE.maxMs) {
      samples.record(`settle${metric}.waited`, waited);
      samples.record(`settle${metric}.settled`, settled ? 1 : 0);
      for (const [id] of watched)
        samples.record(`settle${metric}.cpu.${id}`, cpu.get(id) - first.get(id));
      return;
    }
    await sleep(500);
  }
}

/** The sides in this round's order: who goes first alternates. */
function ordered(sides, index) {
  return index % 2 === 0 ? sides : [...sides].reverse();
}

async function teardownAll(sides) {
  for (const side of sides) {
    const { ms, leftovers } = await side.teardown();
    if (ms !== null) samples.record(`down.${side.id}`, ms);
    if (leftovers > 0) {
      errors.push({ side: side.id, message: `${leftovers} process(es) outlived the stop` });
      console.error(`  ${side.id}: killed ${leftovers} leftover process(es) by pid`);
    }
  }
}

/**
 * Cold-starts `count` children on every side (timed) and reads each daemon's RSS as soon
 * as its start command has returned ("fresh"); checks they all run, runs `beforeSettle`,
 * waits for the daemons to settle and reads their RSS again. Returns id → settled RSS;
 * the stacks are left running.
 */
async function startAndSettle(sides, count, reference, beforeSettle = async () => {}) {
  const fresh = new Map();
  for (const side of sides) {
    const { ms, startMs } = await side.start(count);
    fresh.set(side.id, (await recordRss(`rssFresh${count}`, [[side.id, side.pid]]))[side.id]);
    if (count > 0) {
      samples.record(`up${count}.${side.id}`, ms);
      samples.record(`up${count}.${side.id}.command`, startMs);
    }
  }
  for (const side of sides) {
    const children = side.children().length;
    if (children !== count) throw new Error(`${side.id}: ${children} children, expected ${count}`);
    ledger.track(side.pid);
  }
  if (reference) await reference.start();
  const watched = sides.map((side) => [side.id, side.pid]);
  if (reference) watched.push([reference.id, reference.pid]);
  await beforeSettle();
  await settleDaemons(count, watched, fresh);
  return { watched, rss: await recordRss(`rss${count}`, watched) };
}

/** Phase 0: each daemon alone, with no child, next to a bare node. */
async function idleDaemons(sides, reference) {
  const { rss } = await startAndSettle(sides, 0, reference);
  await reference.teardown();
  await teardownAll(sides);
  return rss;
}

/** Phase 100: cold start of 100 children, then list them many times, next to `node -e 0`. */
async function hundred(sides, index) {
  const listAll = async () => {
    for (const side of sides) {
      const { listed, running } = await side.list();
      if (listed !== 100 || running !== 100) {
        throw new Error(`${side.id}: ${running}/${listed} running after the start`);
      }
    }
    const calls = [
      ['node0', () => timedNode(['-e', '0'])],
      ...sides.map((side) => [side.id, () => side.list()]),
    ];
    for (let call = 0; call < LIST_CALLS; call++) {
      // Rotate who goes first, so drift hits every command alike.
      const shift = (call + index) % calls.length;
      for (const [id, run] of [...calls.slice(shift), ...calls.slice(0, shift)]) {
        samples.record(`list.${id}`, (await run()).ms);
      }
    }
  };
  const { rss } = await startAndSettle(sides, 100, undefined, listAll);
  await teardownAll(sides);
  return rss;
}

/** Phase 500: cold start of 500 children; memory, then CPU over an idle window. */
async function fiveHundred(sides, reference) {
  const { watched, rss } = await startAndSettle(sides, 500, reference);
  // Every daemon over the same window, so what else runs on the machine hits all alike.
  const before = watched.map(([id, pid]) => [id, pid, readCpu(pid)]);
  const t0 = now();
  await sleep(IDLE_SECONDS * 1000);
  const minutes = (now() - t0) / 60_000;
  for (const [id, pid, start] of before) {
    const end = readCpu(pid);
    if (!start || !end) throw new Error(`${id}: gone during the idle window`);
    samples.record(`cpu500.${id}`, (end.statMs - start.statMs) / minutes);
    samples.record(`cpu500.${id}.sched`, (end.schedMs - start.schedMs) / minutes);
  }
  await recordRss('rss500after', watched);
  await reference.teardown();
  await teardownAll(sides);
  return rss;
}

async function runRound(index, sides, reference) {
  const order = ordered(sides, index);
  const started = now();
  const rss = {};
  const phases = [
    [0, () => idleDaemons(order, reference)],
    [100, () => hundred(order, index)],
    [500, () => fiveHundred(order, reference)],
  ];
  for (const [count, phase] of phases) {
    try {
      rss[count] = await phase();
    } catch (error) {
      errors.push({ round: index + 1, children: count, message: String(error?.stack ?? error) });
      console.error(`  round ${index + 1}, ${count} children failed: ${error?.message ?? error}`);
      await reference.teardown();
      await teardownAll(sides);
    }
  }
  // Growth per child, from readings of the same round.
  for (const { id } of sides) {
    const [rss0, rss100, rss500] = [0, 100, 500].map((count) => rss[count]?.[id]);
    if (rss0 !== undefined && rss500 !== undefined)
      samples.record(`perChild.${id}`, (rss500 - rss0) / 500);
    if (rss100 !== undefined && rss500 !== undefined) {
      samples.record(`perChild100to500.${id}`, (rss500 - rss100) / 400);
    }
  }
  const last = (metric) => samples.get(metric)?.at(-1);
  const line = (id) =>
    `${id}: ps ${formatMs(summarize(samples.get(`list.${id}`)?.slice(-LIST_CALLS) ?? []).median)}` +
    ` up100 ${formatMs(last(`up100.${id}`))}` +
    ` rss ${[0, 100, 500].map((count) => formatMiB(rss[count]?.[id])).join(' / ')}` +
    ` cpu ${formatCpu(last(`cpu500.${id}`))}`;
  console.log(
    `  round ${index + 1}/${ROUNDS} (${((now() - started) / 1000).toFixed(0)} s): ${sides.map((side) => line(side.id)).join(' | ')}`,
  );
}

function formatMiB(bytes) {
  return bytes === null || bytes === undefined ? '—' : `${(bytes / MIB).toFixed(1)} MB`;
}

function formatKiB(bytes) {
  return bytes === null || bytes === undefined ? '—' : `${(bytes / KIB).toFixed(1)} KB`;
}

function formatCpu(msPerMinute) {
  return msPerMinute === null || msPerMinute === undefined
    ? '—'
    : `${msPerMinute.toFixed(msPerMinute < 10 ? 1 : 0)} ms/min`;
}

function formatRatio(value) {
  return value === null || value === undefined ? '—' : `${value.toFixed(2)}×`;
}

const ratio = (a, b) => (a === null || b === null || b === 0 ? null : a / b);

/** The table: one line per target, plus lines for information. */
function rows() {
  const node0 = samples.median('list.node0');
  const line = ({
    label,
    metric,
    suffix = '',
    format,
    reference,
    referenceLabel,
    target,
    targetText,
  }) => {
    const ids = { overseer: `${metric}.overseer${suffix}`, pm2: `${metric}.pm2${suffix}` };
    const overseer = samples.median(ids.overseer);
    const pm2 = samples.median(ids.pm2);
    const limit = target?.(reference);
    let verdict = '—';
    if (limit !== undefined && overseer !== null) verdict = overseer <= limit ? 'PASS' : 'MISS';
    return {
      label,
      metrics: ids,
      overseer,
      overseerP90: summarize(samples.get(ids.overseer) ?? []).p90,
      pm2,
      pm2OverOverseer: ratio(pm2, overseer),
      reference: reference ?? null,
      referenceText: reference === undefined ? '—' : `${referenceLabel} ${format(reference)}`,
      overseerOverReference: reference === undefined ? null : ratio(overseer, reference),
      target: targetText ?? null,
      limit: limit ?? null,
      verdict,
      display: { overseer: format(overseer), pm2: format(pm2) },
    };
  };
  return [
    line({
      label: '`ps --json` / `pm2 jlist`, 100 running',
      metric: 'list',
      format: formatMs,
      reference: node0,
      referenceLabel: '`node -e 0`',
      target: (floor) => (floor === null ? undefined : floor * 1.5),
      targetText: `≤ 1.5 × \`node -e 0\` (${formatMs(node0 === null ? null : node0 * 1.5)})`,
    }),
    line({
      label: 'daemon RSS, no children',
      metric: 'rss0',
      format: formatMiB,
      reference: samples.median('rss0.node'),
      referenceLabel: 'bare node',
      target: () => 50 * MIB,
      targetText: '≤ 50 MB',
    }),
    line({ label: 'daemon RSS, 100 sleeping children', metric: 'rss100', format: formatMiB }),
    line({ label: 'daemon RSS, 500 sleeping children', metric: 'rss500', format: formatMiB }),
    line({
      label: 'RSS growth per child, 0 → 500',
      metric: 'perChild',
      format: formatKiB,
      target: () => 15 * KIB,
      targetText: '≤ 15 KB',
    }),
    line({
      label: 'RSS growth per child, 100 → 500',
      metric: 'perChild100to500',
      format: formatKiB,
    }),
    line({
      label: `daemon CPU idle, 500 children (${IDLE_SECONDS} s window)`,
      metric: 'cpu500',
      format: formatCpu,
      reference: samples.median('cpu500.node'),
      referenceLabel: 'bare node',
      target: () => 50,
      targetText: '≤ 50 ms/min',
    }),
    line({
      label: '`up -d` / `pm2 start` + `jlist`, 100 from cold, until all running',
      metric: 'up100',
      format: formatMs,
      target: () => 600,
      targetText: '≤ 0.6 s',
    }),
    line({
      label: 'the start command alone, 100',
      metric: 'up100',
      suffix: '.command',
      format: formatMs,
    }),
    line({ label: 'cold start of 500, until all running', metric: 'up500', format: formatMs }),
    line({ label: '`down` / `pm2 kill` (every stack size)', metric: 'down', format: formatMs }),
  ];
}

function printTable(table) {
  const header = [
    'measurement',
    'overseer',
    'PM2',
    'PM2/overseer',
    'reference',
    'target',
    'result',
  ];
  const lines = table.map((row) => [
    row.label.replaceAll('`', ''),
    row.display.overseer,
    row.display.pm2,
    formatRatio(row.pm2OverOverseer),
    row.referenceText.replaceAll('`', ''),
    (row.target ?? '—').replaceAll('`', ''),
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

function markdown({ date, host, table, durationMs, measured }) {
  const lines = table.map((row) => {
    const overReference =
      row.overseerOverReference === null ? '' : ` (${formatRatio(row.overseerOverReference)})`;
    return `| ${row.label} | ${row.display.overseer}${overReference} | ${row.display.pm2} | ${formatRatio(row.pm2OverOverseer)} | ${row.referenceText} | ${row.target ?? '—'} | ${row.verdict} |`;
  });
  const unitOf = (id) => {
    if (id.startsWith('rss') || id.startsWith('perChild')) return 'bytes';
    if (id.startsWith('cpu')) return 'ms/min';
    return 'ms';
  };
  const formatOf = (id) => {
    const unit = unitOf(id);
    if (unit === 'bytes') return id.startsWith('perChild') ? formatKiB : formatMiB;
    if (unit === 'ms/min') return formatCpu;
    return formatMs;
  };
  const details = [...samples.entries()].map(([id, values]) => {
    const stats = summarize(values);
    const f = formatOf(id);
    return `| \`${id}\` | ${stats.n} | ${f(stats.median)} | ${f(stats.min)} | ${f(stats.max)} |`;
  });
  const memoryRows = [
    ...['overseer', 'pm2'].flatMap((id) =>
      COUNTS.map((count) => {
        const after = count === 500 ? formatMiB(samples.median(`rss500after.${id}`)) : '—';
        return `| ${id === 'pm2' ? 'PM2' : id} | ${count} | ${formatMiB(samples.median(`rssFresh${count}.${id}`))} | ${formatMiB(samples.median(`rss${count}.${id}`))} | ${formatMiB(samples.median(`rss${count}.${id}.anon`))} | ${formatMiB(samples.median(`rss${count}.${id}.file`))} | ${after} |`;
      }),
    ),
    `| bare node | — | — | ${formatMiB(samples.median('rss0.node'))} | ${formatMiB(samples.median('rss0.node.anon'))} | ${formatMiB(samples.median('rss0.node.file'))} | — |`,
  ];
  return `# CLI and daemon benchmark

Generated by \`npm run bench\` (bench/cli.mjs) on ${date}, in ${(durationMs / 1000).toFixed(0)} s.
Machine: ${host.cpus} × ${host.cpuModel}, ${(host.totalMemoryBytes / 1024 ** 3).toFixed(0)} GiB,
${host.platform}, Node ${host.node}, PM2 ${pm2Version()}; load average at start
${host.loadavgAtStart.join(' / ')}. overseer at ${measured}. ${ROUNDS} rounds; every sample
is in \`cli.json\`.

overseer and PM2 run side by side in the same rounds, each through its command line, each
round from a cold start (new folder, new \`PM2_HOME\`, no daemon running); which side goes
first alternates. Medians; "(n×)" after an overseer figure is its ratio to the reference.
The children are \`${SLEEPER.join(' ')}\`, exec'd directly by both (no shell, no node).

| measurement | overseer | PM2 | PM2/overseer | reference | target | result |
|---|---|---|---|---|---|---|
${lines.join('\n')}

Memory of the daemon process (medians): "fresh" as soon as the start command has returned,
"settled" once V8's memory reducer has run (see below), split into anonymous memory (heap,
malloc) and file-backed pages (mostly the node binary's own code); "after" at the end of
the idle window.

| daemon | children | fresh | settled | anonymous | file-backed | after |
|---|---|---|---|---|---|---|
${memoryRows.join('\n')}

Settling took ${formatMs(samples.median('settle0.waited'))} / ${formatMs(samples.median('settle100.waited'))} / ${formatMs(samples.median('settle500.waited'))}
with 0 / 100 / 500 children; with 500, the daemons used ${formatMs(samples.median('settle500.cpu.overseer'))} (overseer) and
${formatMs(samples.median('settle500.cpu.pm2'))} (PM2) of CPU meanwhile. CPU over the idle window from per-thread run
times (\`schedstat\`, ns precision) rather than 10 ms ticks: overseer
${formatCpu(samples.median('cpu500.overseer.sched'))}, PM2 ${formatCpu(samples.median('cpu500.pm2.sched'))}, bare node
${formatCpu(samples.median('cpu500.node.sched'))}.

## What each number measures

- **\`ps --json\` / \`pm2 jlist\`**: wall time of \`node dist/cli/main.js ps --json\` (in the
  stack's folder, config found there) and \`node node_modules/pm2/bin/pm2 jlist\` with 100
  processes running, from just before \`spawn()\` until the command has exited and its whole
  output is read. \`node -e 0\` timed the same way in the same loop is the reference: the cost
  of starting any Node program here. ${LIST_CALLS} calls of each per round, the order rotated.
- **daemon RSS**: VmRSS of the daemon's pid from \`/proc/<pid>/status\` (the supervisor
  alone, not its children), the median of ${RSS_SAMPLES} readings ${RSS_GAP_MS} ms apart, once
  the daemons have settled: at least ${SETTLE.minMs / 1000} s after the start, then until each
  daemon's RSS is ${SETTLE.shrunkBytes / MIB} MB below its peak since the start and none has used more than
  ${SETTLE.quietCpuMs} ms of CPU over ${SETTLE.quietMs / 1000} s, at most ${SETTLE.maxMs / 1000} s (${settledShare()} waits ended settled rather than
  at that limit). A node daemon that has just allocated a lot (loading
  its code, spawning children, answering \`ps\`) keeps that heap until V8's memory reducer
  collects it, from about 10 s to over a minute after the allocation stops; nothing is done
  to hurry that (no GC forced), and the "fresh" readings below the table show the
  difference. A fresh daemon for each count. "No children": overseer runs a one-job stack (\`/bin/true\`, completed
  before \`up -d\` returns), since a config declares at least one process; PM2 is started by
  \`pm2 ping\`. Bare node: \`node -e "setInterval(() => {}, 1e9)"\`.
- **RSS growth per child**: (RSS with 500 − RSS with none) / 500, within each round; the
  100 → 500 line is (RSS with 500 − RSS with 100) / 400, which leaves out the one-time cost
  of the first spawns (child_process, stream machinery).
- **daemon CPU idle**: utime + stime of the daemon from \`/proc/<pid>/stat\` (all threads),
  over a ${IDLE_SECONDS} s window, scaled to one minute (10 ms ticks: one tick in the window
  is ${formatCpu(600 / IDLE_SECONDS)}); both daemons (each with 500 children) and a bare idling node
  measured over the same window, after the settle above.
- **cold start of 100**: overseer: wall time of \`overseer up -d\` (it returns once every
  process is \`running\`; the stack sets \`restart: { min_uptime: 0 }\`, so a process is
  \`running\` once spawned, as PM2's \`online\` is; the default, 1 s, would hold \`up -d\` for
  that second by design). PM2: \`pm2 start ecosystem.config.cjs\` (one fork-mode app,
  \`instances: 100\`, \`interpreter: none\`), then \`pm2 jlist\` until all 100 are
  \`online\`; "the start command alone" leaves out that \`jlist\`. Both include starting the
  daemon.
- **\`down\` / \`pm2 kill\`**: stopping the stack and its daemon, every size pooled.

## All samples, summarized

| metric | n | median | min | max |
|---|---|---|---|---|
${details.join('\n')}
${errors.length > 0 ? `\n## Errors\n\n${errors.map((e) => `- ${JSON.stringify(e)}`).join('\n')}\n` : ''}`;
}

let cachedPm2Version;
function pm2Version() {
  return cachedPm2Version ?? 'unknown';
}

/** How many of the settle waits ended settled rather than at the limit: `9 of the 9`. */
function settledShare() {
  const flags = [...samples.entries()]
    .filter(([id]) => id.endsWith('.settled'))
    .flatMap(([, values]) => values);
  return `${flags.filter((flag) => flag === 1).length} of the ${flags.length}`;
}

/** The commit measured, and whether src/ had changes on top of it; or BENCH_REVISION. */
function revision() {
  if (process.env.BENCH_REVISION) return process.env.BENCH_REVISION;
  const git = (...args) =>
    execFileSync('git', args, { cwd: new URL('..', import.meta.url), encoding: 'utf8' }).trim();
  try {
    const dirty = git('status', '--porcelain', '--untracked-files=no', '--', 'src') !== '';
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' with uncommitted changes in src/' : ''}`;
  } catch {
    return 'unknown';
  }
}

/** Short: Unix socket paths (overseer's, PM2's rpc.sock) must stay under 108 bytes. */
function makeRoot() {
  const base = os.tmpdir().length <= 32 ? os.tmpdir() : '/tmp';
  return mkdtempSync(join(base, 'ob-'));
}

/** Last resort, synchronous (safe in an 'exit' handler): SIGKILL whatever is left by pid. */
export function cleanupCli() {
  const left = ledger.killAll();
  if (left > 0) console.error(`killed ${left} leftover process(es) of the CLI benchmark`);
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
}

export async function runCliBenchmark() {
  const date = new Date().toISOString();
  const host = machine();
  const measured = revision();
  const started = now();
  try {
    cachedPm2Version = JSON.parse(readFileSync(PM2_PACKAGE, 'utf8')).version;
  } catch {
    cachedPm2Version = 'unknown';
  }
  console.log(
    `\noverseer CLI benchmark: overseer vs PM2 ${cachedPm2Version}, ${ROUNDS} rounds, ${IDLE_SECONDS} s idle windows`,
  );
  root = makeRoot();
  const sides = [new OverseerSide(root, ledger), new Pm2Side(root, ledger)];
  const reference = new ReferenceNode(ledger);
  await settleCpu({ minMs: 200 });
  for (let index = 0; index < ROUNDS; index++) await runRound(index, sides, reference);
  const durationMs = now() - started;
  const table = rows();
  printTable(table);
  mkdirSync(RESULTS, { recursive: true });
  const metrics = Object.fromEntries(
    [...samples.entries()].map(([id, values]) => [
      id,
      { ...summarize(values), samples: values.map(round) },
    ]),
  );
  const json = {
    date,
    machine: host,
    pm2: cachedPm2Version,
    revision: measured,
    durationMs: round(durationMs),
    rounds: ROUNDS,
    listCalls: LIST_CALLS,
    idleSeconds: IDLE_SECONDS,
    counts: COUNTS,
    settle: SETTLE,
    child: SLEEPER,
    units: {
      'list.*, up*.*, down.*, settle*.waited': 'ms',
      'settle*.cpu.*': 'ms of CPU while settling',
      'rss*.*, perChild*.*': 'bytes',
      'cpu500.*': 'ms of CPU per minute',
    },
    rows: table.map(({ display, ...row }) => row),
    metrics,
    errors,
  };
  writeFileSync(new URL('cli.json', RESULTS), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(new URL('cli.md', RESULTS), markdown({ date, host, table, durationMs, measured }));
  console.log(`\nbench/results/cli.json and cli.md written (${(durationMs / 1000).toFixed(0)} s)`);
  cleanupCli();
  return errors.length === 0;
}
