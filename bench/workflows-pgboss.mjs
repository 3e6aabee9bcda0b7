// pg-boss 10 (the last major that runs on Node 20) doing the throughput work on the same
// PostgreSQL: 20 workers (`work()` called 20 times), each fetching up to `batch` jobs a
// poll, polling at pg-boss's minimum of 0.5 s. Two ways to map a workflow of 5 steps:
// - a job per step: a step's handler sends the run's next step as a job, so each finished
//   step is a durable state change, as a checkpoint is (what the comparison is about);
// - a job per run: one job awaits the 5 no-ops, nothing recorded between them (a crash
//   runs all five again): the queue's own cost per job, for reference.
import PgBoss from 'pg-boss';
import { now, sleep, withTimeout } from './lib.mjs';
import { freshSchema } from './workflows-postgres.mjs';
import { CONCURRENCY, noop } from './workflows-sides.mjs';

export const PGBOSS_VERSION = (await import('pg-boss/package.json', { with: { type: 'json' } }))
  .default.version;
export const POLL_SECONDS = 0.5;

/** One round on a schema of its own: `{ wallMs, stepsPerS }`, from the first poll to the last job completed. */
export async function pgBossRound(url, { runs, steps, batch, perStep }) {
  const boss = new PgBoss({
    connectionString: url,
    schema: freshSchema('pgboss'),
    // No maintenance or cron during a round of a few seconds: only the work is measured.
    supervise: false,
    schedule: false,
  });
  boss.on('error', (error) => console.error(`  pg-boss: ${error.message}`));
  await boss.start();
  try {
    const queue = perStep ? 'step' : 'run';
    await boss.createQueue(queue);
    const first = Array.from({ length: runs }, (_, run) => ({
      name: queue,
      data: { run, index: 0 },
    }));
    await boss.insert(first);
    let executed = 0;
    const handler = perStep
      ? async (jobs) => {
          const next = [];
          for (const { data } of jobs) {
            await noop();
            executed += 1;
            if (data.index + 1 < steps)
              next.push({ name: queue, data: { ...data, index: data.index + 1 } });
          }
          if (next.length > 0) await boss.insert(next);
        }
      : async (jobs) => {
          for (const _job of jobs) {
            for (let index = 0; index < steps; index++) await noop();
            executed += steps;
          }
        };
    const t0 = now();
    for (let worker = 0; worker < CONCURRENCY; worker++) {
      await boss.work(queue, { batchSize: batch, pollingIntervalSeconds: POLL_SECONDS }, handler);
    }
    await withTimeout(
      allCompleted(boss, queue, () => executed === runs * steps),
      600_000,
      'pg-boss',
    );
    const wallMs = now() - t0;
    return { wallMs, stepsPerS: ((runs * steps) / wallMs) * 1000 };
  } finally {
    await boss.stop({ graceful: false, timeout: 1000 });
  }
}

/** Once every step ran, until no job is left created, retrying or active (completions are written after the handler). */
async function allCompleted(boss, queue, ran) {
  for (;;) {
    if (ran() && (await boss.getQueueSize(queue, { before: 'completed' })) === 0) return;
    await sleep(5);
  }
}
