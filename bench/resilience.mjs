// The cost of the resilience policies (`BENCH_ONLY=resilience npm run bench`, or
// `node bench/resilience.mjs` after `npm run build`): ns per call of `execute` for work that
// succeeds, awaited one call at a time, for each policy, `wrap`, the executor and a
// production executor of `createExecutors`, next to the bare async function and to
// cockatiel 3 used directly with the same settings, in one run with the rounds interleaved
// (who goes first rotates). Medians of the rounds. Writes bench/results/resilience.json
// (every sample) and resilience.md. Never fails on a missed target.
//
//   BENCH_RES_CALLS=100000 (calls per variant per round)  BENCH_RES_ROUNDS=10
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  ConsecutiveBreaker,
  circuitBreaker as cockatielBreaker,
  bulkhead as cockatielBulkhead,
  fallback as cockatielFallback,
  retry as cockatielRetry,
  timeout as cockatielTimeout,
  wrap as cockatielWrap,
  ExponentialBackoff,
  handleAll,
  SamplingBreaker,
  TimeoutStrategy,
} from 'cockatiel';
import {
  bulkhead,
  circuitBreaker,
  createExecutors,
  presets,
  resilientExecutor,
  retry,
  timeout,
  wrap,
} from '../dist/index.js';
import { machine, now, round, Samples, summarize } from './lib.mjs';

const CALLS = Math.max(1000, Number(process.env.BENCH_RES_CALLS ?? 100_000));
const ROUNDS = Math.max(1, Number(process.env.BENCH_RES_ROUNDS ?? 10));
const WARMUP = { rounds: 2, calls: Math.ceil(CALLS / 5) };
const TARGET_NS = 2000;
const RESULTS = new URL('./results/', import.meta.url);

const VALUE = 42;
const work = async () => VALUE;

// The same settings on both sides: 3 attempts in all (cockatiel counts the retries only),
// a breaker opening after 5 failures in a row and half-open 10 s later, a cooperative
// 10 s deadline, a bulkhead of 10 running and 100 queued.
const SETTINGS = {
  retry: { attempts: 3 },
  breaker: { opensAfter: { consecutive: 5 }, halfOpenAfter: '10s' },
  timeout: '10s',
};

const ours = {
  retry: () => retry(SETTINGS.retry),
  breaker: () => circuitBreaker({ name: 'bench', ...SETTINGS.breaker }),
  timeout: () => timeout(SETTINGS.timeout),
};

const theirs = {
  retry: () => cockatielRetry(handleAll, { maxAttempts: 2, backoff: new ExponentialBackoff() }),
  breaker: () =>
    cockatielBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) }),
  timeout: () => cockatielTimeout(10_000, TimeoutStrategy.Cooperative),
  // Ours leaves the work's signal as the deadline left it; cockatiel by default aborts it
  // when the work returns, which costs an abort event per call.
  timeoutKeepSignal: () =>
    cockatielTimeout(10_000, { strategy: TimeoutStrategy.Cooperative, abortOnReturn: false }),
};

/** cockatiel's nearest to `presets.production.api`: its SamplingBreaker counts calls per second. */
function theirProductionApi() {
  const { api } = presets.production;
  return cockatielWrap(
    cockatielRetry(handleAll, {
      maxAttempts: api.retry.attempts - 1,
      backoff: new ExponentialBackoff({ initialDelay: 200, maxDelay: 5_000 }),
    }),
    cockatielBreaker(handleAll, {
      halfOpenAfter: new ExponentialBackoff({ initialDelay: 5_000, maxDelay: 60_000 }),
      breaker: new SamplingBreaker({ threshold: 0.5, duration: 30_000, minimumRps: 10 / 30 }),
    }),
    cockatielTimeout(10_000, TimeoutStrategy.Cooperative),
  );
}

const through = (policy) => () => policy.execute(work);

/**
 * Each variant: one call, made once per iteration, and what it resolves to when the work
 * succeeded (checked before timing, so a side that fails is never the one measured).
 */
function variants() {
  const executor = resilientExecutor({ name: 'bench-executor', ...SETTINGS });
  const withFallback = executor.withFallback(0);
  const forApi = createExecutors({ preset: presets.production }).forApi('bench-api');
  const executed = (e) => () => e.execute(work);
  const data = (result) => result.data;
  return {
    bare: { call: work },
    'retry.overseer': { call: through(ours.retry()) },
    'retry.cockatiel': { call: through(theirs.retry()) },
    'breaker.overseer': { call: through(ours.breaker()) },
    'breaker.cockatiel': { call: through(theirs.breaker()) },
    'timeout.overseer': { call: through(ours.timeout()) },
    'timeout.cockatiel': { call: through(theirs.timeout()) },
    'timeoutKeepSignal.cockatiel': { call: through(theirs.timeoutKeepSignal()) },
    'bulkhead.overseer': { call: through(bulkhead({ limit: 10, queue: 100 })) },
    'bulkhead.cockatiel': { call: through(cockatielBulkhead(10, 100)) },
    'wrap.overseer': { call: through(wrap(ours.retry(), ours.breaker(), ours.timeout())) },
    'wrap.cockatiel': {
      call: through(cockatielWrap(theirs.retry(), theirs.breaker(), theirs.timeout())),
    },
    'wrapKeepSignal.cockatiel': {
      call: through(cockatielWrap(theirs.retry(), theirs.breaker(), theirs.timeoutKeepSignal())),
    },
    'executor.overseer': { call: executed(executor), value: data },
    'executorFallback.overseer': { call: executed(withFallback), value: data },
    'wrapFallback.cockatiel': {
      call: through(
        cockatielWrap(
          cockatielFallback(handleAll, 0),
          theirs.retry(),
          theirs.breaker(),
          theirs.timeout(),
        ),
      ),
    },
    'forApi.overseer': { call: executed(forApi), value: data },
    'productionApi.cockatiel': { call: through(theirProductionApi()) },
  };
}

/** The table: each line is ours next to cockatiel's same thing; `target` where one is set. */
const ROWS = [
  { label: 'bare async function (the floor)', ours: 'bare' },
  { label: 'retry (3 attempts; cockatiel: handleAll)', ours: 'retry', theirs: 'retry' },
  { label: 'circuitBreaker (5 in a row)', ours: 'breaker', theirs: 'breaker' },
  { label: 'timeout 10 s, cooperative', ours: 'timeout', theirs: 'timeout' },
  {
    label: 'timeout, cockatiel with `abortOnReturn: false` (as ours)',
    ours: 'timeout',
    theirs: 'timeoutKeepSignal',
  },
  { label: 'bulkhead (10 running, 100 queued)', ours: 'bulkhead', theirs: 'bulkhead' },
  { label: 'wrap(retry, breaker, timeout)', ours: 'wrap', theirs: 'wrap' },
  {
    label: 'resilientExecutor (retry, breaker, timeout) vs cockatiel wrap',
    ours: 'executor',
    theirs: 'wrap',
    target: true,
  },
  {
    label: 'resilientExecutor vs cockatiel wrap, its timeout `abortOnReturn: false`',
    ours: 'executor',
    theirs: 'wrapKeepSignal',
    target: true,
  },
  {
    label: 'resilientExecutor + fallback vs cockatiel wrap(fallback, …)',
    ours: 'executorFallback',
    theirs: 'wrapFallback',
    target: true,
  },
  {
    label: 'createExecutors(production).forApi vs cockatiel equivalent',
    ours: 'forApi',
    theirs: 'productionApi',
    target: true,
  },
];

/** ns per call of `call`, awaited `calls` times one after the other. */
async function nsPerCall(call, calls) {
  const started = now();
  for (let i = 0; i < calls; i++) await call();
  return ((now() - started) / calls) * 1e6;
}

async function check(id, { call, value = (result) => result }) {
  const got = value(await call());
  if (got !== VALUE) throw new Error(`${id}: expected the work's ${VALUE}, got ${got}`);
}

/** `812 ns`, `1.54 µs`; `—` when unknown. */
function formatNs(ns) {
  if (ns === null || ns === undefined || Number.isNaN(ns)) return '—';
  return Math.abs(ns) >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(0)} ns`;
}

function signedNs(ns) {
  return ns === null ? '—' : `${ns >= 0 ? '+' : '−'}${formatNs(Math.abs(ns))}`;
}

function evaluate(row, samples) {
  const median = (side) => samples.median(side);
  const bare = median('bare');
  const oursId = row.ours === 'bare' ? 'bare' : `${row.ours}.overseer`;
  const theirsId = row.theirs ? `${row.theirs}.cockatiel` : null;
  const oursNs = median(oursId);
  const theirsNs = theirsId ? median(theirsId) : null;
  const over = theirsNs === null ? null : round(oursNs - theirsNs);
  let verdict = '—';
  if (row.target && over !== null) verdict = over <= TARGET_NS ? 'PASS' : 'MISS';
  return {
    label: row.label,
    overseer: oursId,
    cockatiel: theirsId,
    overseerNs: oursNs,
    overseerP90Ns: summarize(samples.get(oursId)).p90,
    cockatielNs: theirsNs,
    ratio: theirsNs ? Math.round((oursNs / theirsNs) * 100) / 100 : null,
    overCockatielNs: over,
    overseerOverBareNs: oursId === 'bare' ? null : round(oursNs - bare),
    cockatielOverBareNs: theirsNs === null ? null : round(theirsNs - bare),
    target: row.target ? `≤ cockatiel + ${formatNs(TARGET_NS)}` : null,
    verdict,
  };
}

function markdown({ date, host, rows, durationMs }) {
  const table = rows.map((row) =>
    [
      row.label,
      formatNs(row.overseerNs),
      formatNs(row.overseerP90Ns),
      formatNs(row.cockatielNs),
      row.ratio === null ? '—' : `${row.ratio.toFixed(2)}×`,
      signedNs(row.overCockatielNs),
      signedNs(row.overseerOverBareNs),
      signedNs(row.cockatielOverBareNs),
      row.target ?? '—',
      row.verdict,
    ].join(' | '),
  );
  return [
    '# Resilience benchmark',
    '',
    `Generated by \`BENCH_ONLY=resilience npm run bench\` (bench/resilience.mjs) on ${date}, in ${(durationMs / 1000).toFixed(0)} s.`,
    `Machine: ${host.cpus} × ${host.cpuModel}, ${host.platform}, Node ${host.node}; load average at start ${host.loadavgAtStart.join(' / ')}.`,
    `Work that succeeds (\`async () => 42\`), awaited one call at a time: ${CALLS} calls per variant per round, ${ROUNDS} rounds after ${WARMUP.rounds} of warm-up, every variant in every round (who goes first rotates). Medians of the rounds, ns per call; p90 over the rounds.`,
    "Same settings on both sides: 3 attempts, a breaker opening after 5 failures in a row, a cooperative 10 s deadline; cockatiel 3 with `handleAll`. cockatiel's timeout aborts the work's signal when the work returns unless given `abortOnReturn: false`, which is how ours is built: both are shown. The production row: `presets.production.api` (a rate breaker over 30 s) next to cockatiel with a `SamplingBreaker` of the same threshold and window.",
    '',
    '| per call | overseer | p90 | cockatiel | ratio | over cockatiel | overseer over bare | cockatiel over bare | target | result |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...table.map((line) => `| ${line} |`),
    '',
  ].join('\n');
}

export async function runResilienceBenchmark() {
  const date = new Date().toISOString();
  const host = machine();
  const started = now();
  const sides = Object.entries(variants());
  console.log(
    `resilience: ${sides.length} variants × ${CALLS} calls × ${ROUNDS} rounds (+${WARMUP.rounds} warm-up)`,
  );
  for (const [id, side] of sides) await check(id, side);
  for (let index = 0; index < WARMUP.rounds; index++) {
    for (const [, { call }] of sides) await nsPerCall(call, WARMUP.calls);
  }
  const samples = new Samples();
  for (let index = 0; index < ROUNDS; index++) {
    // Rotate who goes first, so drift on a noisy machine is spread over every variant.
    const shift = (index * 5) % sides.length;
    const order = [...sides.slice(shift), ...sides.slice(0, shift)];
    for (const [id, { call }] of order) samples.record(id, await nsPerCall(call, CALLS));
    const line = ['bare', 'executor.overseer', 'wrap.cockatiel']
      .map((id) => `${id} ${formatNs(samples.get(id).at(-1))}`)
      .join(' | ');
    console.log(`  round ${index + 1}/${ROUNDS}: ${line}`);
  }
  const durationMs = now() - started;
  const rows = ROWS.map((row) => evaluate(row, samples));
  const md = markdown({ date, host, rows, durationMs });
  const json = {
    date,
    host,
    durationMs: round(durationMs),
    calls: CALLS,
    rounds: ROUNDS,
    warmup: WARMUP,
    unit: 'ns per call',
    targetNs: TARGET_NS,
    rows,
    summary: Object.fromEntries([...samples.keys()].map((id) => [id, summarize(samples.get(id))])),
    samples: Object.fromEntries([...samples].map(([id, values]) => [id, values.map(round)])),
  };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(new URL('resilience.json', RESULTS), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(new URL('resilience.md', RESULTS), md);
  console.log(md);
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runResilienceBenchmark();
}
