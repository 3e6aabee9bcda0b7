// The CLI and daemon benchmark: overseer, PM2 and supervisord side by side in one run,
// rounds interleaved (which side goes first alternates), each driven through its command
// line as a user would and watched from outside (/proc), never from inside a daemon. Writes
// bench/results/cli.json (every sample) and bench/results/cli.md (the table the docs quote,
// with how busy the machine was while each row was measured). Never fails on a missed
// target. supervisord's column says "not installed" where /usr/bin/supervisord is absent.
//
// Each round, for each side, from a cold start (new folder, new PM2_HOME, no daemon):
//   0 children   → daemon RSS 10 s after the start and settled (next to a bare idling node)
//   100 children → until all 100 are alive (/proc) and until the start command returns;
//                  daemon RSS at 10 s and settled; `ps --json` / `pm2 jlist` /
//                  `supervisorctl status` next to `node -e 0`; idle CPU over a window; then
//                  `stop all` until every child is gone, and `start all` until all are
//                  alive again (warm: the daemon is up)
//   500 children → until all alive; daemon RSS at 10 s and settled; idle CPU over a window
//   logs         → 1 M lines of 100 B from a child that stays alive (bench/cli-logs.mjs)
// BENCH_CLI_PHASES (default 0,100,500,logs) picks phases; BENCH_ROUNDS, BENCH_IDLE_SECONDS,
// BENCH_SETTLE_SECONDS, BENCH_LIST_CALLS and BENCH_LOG_LINES shrink a run.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { logFloods } from './cli-logs.mjs';
import { markdown, printTable, rows } from './cli-report.mjs';
import { waitForChildren } from './fleet-watch.mjs';
import {
  busyMeter,
  formatMs,
  machine,
  now,
  round,
  Samples,
  settleCpu,
  sleep,
  summarize,
} from './lib.mjs';
import { descendants, ProcessLedger, readCpu, readMemory } from './proc.mjs';
import { OverseerSide, Pm2Side, ReferenceNode, SLEEPER, timedNode } from './stacks.mjs';
import { SupervisordSide } from './stacks-supervisord.mjs';

const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
/** `ps`, `jlist`, `status` and `node -e 0` calls per round, each. */
const LIST_CALLS = Math.max(1, Number(process.env.BENCH_LIST_CALLS ?? 5));
/**
 * The idle window over which CPU is measured, in seconds: long enough to hold several of
 * overseer's resource-sampling passes (every 2–15 s, paced by their cost) and PM2's
 * periodic work, short enough to keep the run affordable.
 */
const IDLE_SECONDS = Math.max(1, Number(process.env.BENCH_IDLE_SECONDS ?? 30));
/** The phases each round runs, in this order (BENCH_CLI_PHASES=100,logs runs two). */
const PHASES = (process.env.BENCH_CLI_PHASES ?? '0,100,500,logs').split(',');
/** Counts of sleeping children at which daemon memory is measured. */
const COUNTS = [0, 100, 500];
/** "10 s after start": the RSS a user sees right after bringing a stack up. */
const EARLY_MS = 10_000;
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
      // supervisord (Python) has no collector that hands memory back: quiet is enough.
      const shrinks = id !== 'node' && id !== 'supervisord';
      return !shrinks || peak.get(id) - rss >= SETTLE.shrunkBytes;
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

/** The daemons `pids()` names and every process below them: the work a row measures. */
const workOf = (pids) => () =>
  pids()
    .filter((pid) => pid !== undefined)
    .flatMap((pid) => [pid, ...descendants(pid).map((entry) => entry.pid)]);

/** Records how busy the machine was over a row (`busy.metric`), and with what else (`others.metric`). */
function recordBusy(metric, { busy, others }) {
  samples.record(`busy.${metric}`, busy);
  samples.record(`others.${metric}`, others);
}

/**
 * Runs `action` (a start or stop command) and times, from just before it, until exactly
 * `count` of the daemon's children are alive running the sleeper as /proc shows them
 * (under `metric`), and until the command has returned (under `metric.command`): a
 * command may return before its children are up (`supervisord -c` daemonizes first) or
 * well after (`supervisorctl start all` reports them one by one). Records the machine's
 * busy share under `busy.metric`; resolves with what `action` resolved with.
 */
async function timedUntilChildren(metric, side, count, action) {
  const busy = busyMeter(workOf(() => [side.pid]));
  const t0 = now();
  const abort = new AbortController();
  const watched = waitForChildren({
    daemonPid: () => side.pid ?? (side.running ? side.readDaemonPid() : undefined),
    program: SLEEPER[0],
    count,
    t0,
    signal: abort.signal,
  });
  watched.catch(() => {});
  let result;
  try {
    result = await action();
  } catch (error) {
    // Stop watching for children that will never come.
    abort.abort();
    throw error;
  }
  const childrenMs = await watched;
  samples.record(`${metric}.${side.id}`, childrenMs);
  samples.record(`${metric}.${side.id}.command`, result.ms);
  recordBusy(metric, busy());
  return result;
}

/**
 * Cold-starts `count` children on every side, timed until all are alive (/proc) and until
 * the start command has returned; reads each daemon's RSS as soon as it has returned
 * ("fresh") and EARLY_MS after it was run; checks they all run, runs `beforeSettle`, waits
 * for the daemons to settle and reads their RSS again. Returns the watched `[id, pid]` and
 * id → settled RSS; the stacks are left running.
 */
async function startAndSettle(sides, count, reference, beforeSettle = async () => {}) {
  const fresh = new Map();
  const early = [];
  const busyEarly = busyMeter(workOf(() => sides.map((side) => side.pid)));
  for (const side of sides) {
    const t0 = now();
    // The start command alone (`pm2 start`, not the `jlist` calls until all are online).
    const start = () => side.start(count).then((result) => ({ ...result, ms: result.startMs }));
    if (count > 0) {
      await timedUntilChildren(`alive${count}`, side, count, start);
    } else {
      await side.start(count);
    }
    fresh.set(side.id, (await recordRss(`rssFresh${count}`, [[side.id, side.pid]]))[side.id]);
    // Read while the next side starts: each at its own EARLY_MS.
    const pid = side.pid;
    early.push(
      sleep(Math.max(0, t0 + EARLY_MS - now())).then(() =>
        recordRss(`rssEarly${count}`, [[side.id, pid]]),
      ),
    );
  }
  await Promise.all(early);
  recordBusy(`rssEarly${count}`, busyEarly());
  for (const side of sides) {
    const children = side.children().length;
    if (children !== count) throw new Error(`${side.id}: ${children} children, expected ${count}`);
    ledger.track(side.pid);
  }
  if (reference) await reference.start();
  const watched = sides.map((side) => [side.id, side.pid]);
  if (reference) watched.push([reference.id, reference.pid]);
  await beforeSettle();
  const busySettled = busyMeter(workOf(() => watched.map(([, pid]) => pid)));
  await settleDaemons(count, watched, fresh);
  const rss = await recordRss(`rss${count}`, watched);
  recordBusy(`rss${count}`, busySettled());
  return { watched, rss };
}

/** CPU used by every watched daemon over the same idle window, per minute, as `cpu<count>`. */
async function idleCpu(count, watched) {
  const busy = busyMeter(workOf(() => watched.map(([, pid]) => pid)));
  const before = watched.map(([id, pid]) => [id, pid, readCpu(pid)]);
  const t0 = now();
  await sleep(IDLE_SECONDS * 1000);
  const minutes = (now() - t0) / 60_000;
  for (const [id, pid, start] of before) {
    const end = readCpu(pid);
    if (!start || !end) throw new Error(`${id}: gone during the idle window`);
    samples.record(`cpu${count}.${id}`, (end.statMs - start.statMs) / minutes);
    samples.record(`cpu${count}.${id}.sched`, (end.schedMs - start.schedMs) / minutes);
  }
  recordBusy(`cpu${count}`, busy());
}

/** Phase 0: each daemon alone, with no child, next to a bare node. */
async function idleDaemons(sides, reference) {
  const { rss } = await startAndSettle(sides, 0, reference);
  await reference.teardown();
  await teardownAll(sides);
  return rss;
}

/**
 * Phase 100: cold start of 100 children, list them many times next to `node -e 0`, settle,
 * idle CPU; then per side, `stop all` until every child is gone and `start all` until all
 * are alive again.
 */
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
    const busy = busyMeter(workOf(() => sides.map((side) => side.pid)));
    for (let call = 0; call < LIST_CALLS; call++) {
      // Rotate who goes first, so drift hits every command alike.
      const shift = (call + index) % calls.length;
      for (const [id, run] of [...calls.slice(shift), ...calls.slice(0, shift)]) {
        samples.record(`list.${id}`, (await run()).ms);
      }
    }
    recordBusy('list', busy());
  };
  const { watched, rss } = await startAndSettle(sides, 100, undefined, listAll);
  await idleCpu(100, watched);
  for (const side of sides) {
    await timedUntilChildren('stop100', side, 0, () => side.stopAll());
    await timedUntilChildren('warm100', side, 100, () => side.startAll());
    ledger.track(side.pid);
  }
  await teardownAll(sides);
  return rss;
}

/** Phase 500: cold start of 500 children; memory, then CPU over an idle window. */
async function fiveHundred(sides, reference) {
  const { watched, rss } = await startAndSettle(sides, 500, reference);
  await idleCpu(500, watched);
  await recordRss('rss500after', watched);
  await reference.teardown();
  await teardownAll(sides);
  return rss;
}

/** Phase logs: 1 M lines under each daemon, one side at a time. */
async function logs(sides) {
  await logFloods(sides, samples);
  for (const side of sides) ledger.track(side.pid);
  await teardownAll(sides);
}

async function runRound(index, sides, reference) {
  const order = ordered(sides, index);
  const started = now();
  const rss = {};
  const phases = [
    [0, () => idleDaemons(order, reference)],
    [100, () => hundred(order, index)],
    [500, () => fiveHundred(order, reference)],
    ['logs', () => logs(order)],
  ];
  for (const [count, phase] of phases) {
    if (!PHASES.includes(String(count))) continue;
    try {
      rss[count] = await phase();
    } catch (error) {
      errors.push({ round: index + 1, phase: count, message: String(error?.stack ?? error) });
      console.error(`  round ${index + 1}, phase ${count} failed: ${error?.message ?? error}`);
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
    const early = (count) => samples.get(`rssEarly${count}.${id}`)?.at(-1);
    if (rss[0] !== undefined && rss[500] !== undefined) {
      samples.record(`perChildEarly.${id}`, (early(500) - early(0)) / 500);
    }
  }
  const last = (metric) => samples.get(metric)?.at(-1);
  const line = (id) =>
    `${id}: alive ${formatMs(last(`alive100.${id}`))} stop ${formatMs(last(`stop100.${id}`))}` +
    ` rss ${[0, 100, 500].map((count) => formatMiB(rss[count]?.[id])).join(' / ')}` +
    ` cpu ${[100, 500].map((count) => formatCpu(last(`cpu${count}.${id}`))).join(' / ')}` +
    ` logs ${formatMs(last(`logWall.${id}`))}`;
  console.log(
    `  round ${index + 1}/${ROUNDS} (${((now() - started) / 1000).toFixed(0)} s):\n    ${sides.map((side) => line(side.id)).join('\n    ')}`,
  );
}

const formatMiB = (bytes) => (bytes == null ? '—' : `${(bytes / 1024 / 1024).toFixed(1)} MB`);
const formatCpu = (perMinute) => (perMinute == null ? '—' : `${perMinute.toFixed(0)} ms/min`);

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

/** The versions of the peers measured; supervisord's `null` when it is not installed. */
function peerVersions() {
  let pm2 = 'unknown';
  try {
    pm2 = JSON.parse(readFileSync(PM2_PACKAGE, 'utf8')).version;
  } catch {}
  let supervisord = null;
  if (SupervisordSide.installed) {
    try {
      supervisord = execFileSync('/usr/bin/supervisord', ['--version'], {
        encoding: 'utf8',
      }).trim();
    } catch {
      supervisord = 'unknown';
    }
  }
  return { pm2, supervisord };
}

/** Short: Unix socket paths (overseer's, PM2's rpc.sock, supervisord's) must stay under 108 bytes. */
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
  const versions = peerVersions();
  const started = now();
  console.log(
    `\noverseer CLI benchmark: overseer vs PM2 ${versions.pm2} and supervisord ${versions.supervisord ?? '(not installed)'}, ${ROUNDS} rounds, ${IDLE_SECONDS} s idle windows`,
  );
  root = makeRoot();
  const sides = [new OverseerSide(root, ledger), new Pm2Side(root, ledger)];
  if (SupervisordSide.installed) sides.push(new SupervisordSide(root, ledger));
  const reference = new ReferenceNode(ledger);
  try {
    await settleCpu({ minMs: 200 });
    for (let index = 0; index < ROUNDS; index++) await runRound(index, sides, reference);
  } finally {
    await reference.teardown();
    await teardownAll(sides);
  }
  const durationMs = now() - started;
  const context = {
    samples,
    errors,
    versions,
    sides: ['overseer', 'pm2', 'supervisord'],
    rounds: ROUNDS,
    listCalls: LIST_CALLS,
    idleSeconds: IDLE_SECONDS,
    earlyMs: EARLY_MS,
    settle: SETTLE,
    rssReading: { samples: RSS_SAMPLES, gapMs: RSS_GAP_MS },
  };
  const table = rows(context);
  printTable(table, context);
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
    pm2: versions.pm2,
    supervisord: versions.supervisord ?? 'not installed',
    revision: measured,
    durationMs: round(durationMs),
    rounds: ROUNDS,
    listCalls: LIST_CALLS,
    idleSeconds: IDLE_SECONDS,
    earlyMs: EARLY_MS,
    counts: COUNTS,
    settle: SETTLE,
    child: SLEEPER,
    units: {
      'alive*.*, warm*.*, stop*.*, up*.*, list.*, down.*, logWall.*, logCpu.*, settle*.waited':
        'ms',
      'settle*.cpu.*': 'ms of CPU while settling',
      'rss*.*, perChild*.*, logKept.*': 'bytes',
      'cpu100.*, cpu500.*': 'ms of CPU per minute',
      'busy.*': 'share of the machine busy (all cores, /proc/stat) while measured, 0 to 1',
      'others.*': 'the part of busy.* not spent by the benchmark and the supervisor measured',
    },
    rows: table.map(({ display, ...row }) => row),
    metrics,
    errors,
  };
  writeFileSync(new URL('cli.json', RESULTS), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(
    new URL('cli.md', RESULTS),
    markdown({ ...context, date, host, table, durationMs, measured }),
  );
  console.log(`\nbench/results/cli.json and cli.md written (${(durationMs / 1000).toFixed(0)} s)`);
  cleanupCli();
  return errors.length === 0;
}
