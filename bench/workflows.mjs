// Durable workflows (`BENCH_ONLY=workflows npm run bench`, or `node bench/workflows.mjs`
// after `npm run build`), on a SQLite file in a temp dir and on PostgreSQL over loopback
// (bench/workflows-postgres.mjs), side by side in one run, rounds interleaved (who goes
// first rotates):
// 1. a checkpointed step: one run of N no-op steps, ms per step, next to a bare loop
//    awaiting the same no-op;
// 2. throughput: 1,000 runs of 5 no-op steps enqueued, then `worker({ concurrency: 20 })`,
//    steps per second; pg-boss doing the same work on the same server
//    (bench/workflows-pgboss.mjs);
// 3. recovery: 1,000 runs whose worker was SIGKILLed inside their 3rd step, then a fresh
//    engine's `recover()` until all have completed.
// Medians of the rounds. Results in bench/results/workflows.json and workflows.md. Never
// fails on a missed target.
//
//   BENCH_WF_STEPS=500  BENCH_WF_STEP_ROUNDS=5  BENCH_WF_RUNS=1000  BENCH_WF_ROUNDS=3
//   BENCH_WF_PGBOSS_BATCH=50  OVERSEER_BENCH_PG_URL (else a server of its own)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, now, round, Samples, summarize } from './lib.mjs';
import { PGBOSS_VERSION, POLL_SECONDS, pgBossRound } from './workflows-pgboss.mjs';
import {
  benchPostgres,
  freshSchema,
  killBenchPostgres,
  postgresVersion,
  stopBenchPostgres,
  walFlushes,
} from './workflows-postgres.mjs';
import { markdown } from './workflows-report.mjs';
import { bareLoop, openStepCost, recoveryRound, throughputRound } from './workflows-sides.mjs';

const STEPS = Math.max(10, Number(process.env.BENCH_WF_STEPS ?? 500));
const STEP_ROUNDS = Math.max(1, Number(process.env.BENCH_WF_STEP_ROUNDS ?? 5));
const RUNS = Math.max(10, Number(process.env.BENCH_WF_RUNS ?? 1000));
const ROUNDS = Math.max(1, Number(process.env.BENCH_WF_ROUNDS ?? 3));
const PGBOSS_BATCH = Math.max(1, Number(process.env.BENCH_WF_PGBOSS_BATCH ?? 50));
const RUN_STEPS = 5;
/** A pool with room for every run a worker of 20 executes, its claims and its renewals. */
const POOL = 22;
const CRASH_AFTER = 2;
const RESULTS = new URL('./results/', import.meta.url);

let dir;
let files = 0;

function sqlite() {
  dir ??= mkdtempSync(join(os.tmpdir(), 'overseer-bench-workflows-'));
  files += 1;
  return { store: join(dir, `workflows-${files}.db`) };
}

/** Round k runs the sides starting from side k mod n. */
const rotated = (sides, index) => sides.map((_, k) => sides[(k + index) % sides.length]);

async function stepCost(samples, postgres) {
  const engines = {
    sqlite: await openStepCost(sqlite()),
    postgres: await openStepCost(postgres()),
  };
  try {
    const sides = [
      ['bare', bareLoop],
      ['sqlite', (steps) => engines.sqlite.round(steps)],
      ['postgres', (steps) => engines.postgres.round(steps)],
    ];
    for (const [, run] of sides) await run(50);
    for (let index = 0; index < STEP_ROUNDS; index++) {
      const line = [];
      for (const [side, run] of rotated(sides, index)) {
        const ms = await run(STEPS);
        samples.record(`step.${side}.msPerStep`, ms);
        // A bare await is far below the µs the summaries keep: in ns too.
        if (side === 'bare') samples.record('step.bare.nsPerStep', ms * 1e6);
        line.push(`${side} ${ms.toFixed(3)} ms`);
      }
      console.log(`  step cost, round ${index + 1}/${STEP_ROUNDS}: ${line.join(' | ')}`);
    }
  } finally {
    await engines.sqlite.close();
    await engines.postgres.close();
  }
}

/** A PostgreSQL round, with the WAL flushes the server made during it. */
const flushed = (url, run) => async () => {
  const before = await walFlushes(url);
  const result = await run();
  const after = await walFlushes(url);
  return { ...result, walFlushes: before === null || after === null ? null : after - before };
};

async function throughput(samples, postgres, url, errors) {
  const work = { runs: RUNS, steps: RUN_STEPS };
  const sides = [
    ['sqlite', () => throughputRound(sqlite(), work)],
    ['postgres', flushed(url, () => throughputRound(postgres(), work))],
    ['postgresPool', flushed(url, () => throughputRound(postgres(POOL), work))],
    ['pgbossPerStep', () => pgBossRound(url, { ...work, batch: PGBOSS_BATCH, perStep: true })],
    ['pgbossPerRun', () => pgBossRound(url, { ...work, batch: PGBOSS_BATCH, perStep: false })],
  ];
  for (let index = 0; index < ROUNDS; index++) {
    const line = [];
    for (const [side, run] of rotated(sides, index)) {
      if (side.startsWith('pgboss') && errors.pgboss) continue;
      try {
        const result = await run();
        samples.record(`throughput.${side}.stepsPerS`, result.stepsPerS);
        samples.record(`throughput.${side}.wallMs`, result.wallMs);
        samples.record(`throughput.${side}.enqueueMs`, result.enqueueMs);
        samples.record(`throughput.${side}.walFlushes`, result.walFlushes);
        line.push(`${side} ${Math.round(result.stepsPerS)} steps/s`);
      } catch (error) {
        if (!side.startsWith('pgboss')) throw error;
        errors.pgboss = String(error?.stack ?? error);
        console.error(`  pg-boss failed: ${error?.message ?? error}`);
      }
    }
    console.log(`  throughput, round ${index + 1}/${ROUNDS}: ${line.join(' | ')}`);
  }
}

async function recovery(samples, postgres) {
  const work = { runs: RUNS, steps: RUN_STEPS, crashAfter: CRASH_AFTER };
  const sides = [
    ['sqlite', () => recoveryRound(sqlite(), work)],
    ['postgres', () => recoveryRound(postgres(), work)],
    ['postgresPool', () => recoveryRound(postgres(POOL), work)],
  ];
  for (let index = 0; index < ROUNDS; index++) {
    const line = [];
    for (const [side, run] of rotated(sides, index)) {
      const { recoverMs } = await run();
      samples.record(`recovery.${side}.recoverMs`, recoverMs);
      line.push(`${side} ${Math.round(recoverMs)} ms`);
    }
    console.log(`  recovery, round ${index + 1}/${ROUNDS}: ${line.join(' | ')}`);
  }
}

export async function runWorkflowsBenchmark() {
  const date = new Date().toISOString();
  const host = machine();
  const started = now();
  const samples = new Samples();
  const errors = {};
  const server = await benchPostgres();
  try {
    const postgres = (maxConnections) => ({
      store: server.url,
      schema: freshSchema('workflows'),
      ...(maxConnections && { maxConnections }),
    });
    const version = await postgresVersion(server.url);
    console.log(`workflows: SQLite in ${os.tmpdir()}, PostgreSQL ${version} (${server.where})`);
    await stepCost(samples, postgres);
    await throughput(samples, postgres, server.url, errors);
    await recovery(samples, postgres);
    const durationMs = now() - started;
    const settings = {
      steps: STEPS,
      stepRounds: STEP_ROUNDS,
      runs: RUNS,
      runSteps: RUN_STEPS,
      crashAfter: CRASH_AFTER,
      rounds: ROUNDS,
      pool: POOL,
      pgBoss: { version: PGBOSS_VERSION, batch: PGBOSS_BATCH, pollSeconds: POLL_SECONDS },
      postgres: { version, where: server.where },
    };
    const md = markdown({ date, host, durationMs, samples, settings, errors });
    const json = {
      date,
      host,
      durationMs: round(durationMs),
      settings,
      errors,
      summary: Object.fromEntries(
        [...samples.keys()].map((id) => [id, summarize(samples.get(id))]),
      ),
      samples: Object.fromEntries([...samples].map(([id, values]) => [id, values.map(round)])),
    };
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(new URL('workflows.json', RESULTS), `${JSON.stringify(json, null, 2)}\n`);
    writeFileSync(new URL('workflows.md', RESULTS), md);
    console.log(md);
    return true;
  } finally {
    await stopBenchPostgres(server.url);
    cleanupWorkflows();
  }
}

/** Removes the temp folder, and stops the PostgreSQL server if one of ours is still up. */
export function cleanupWorkflows() {
  killBenchPostgres();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    await runWorkflowsBenchmark();
  } finally {
    cleanupWorkflows();
  }
}
