// What the workflows benchmark measures on one store, through the package's `Workflows`:
// the cost of a checkpointed step, the throughput of a worker, and a fresh engine's
// recovery after a worker was SIGKILLed (bench/workflows-crash.mjs). `options` are the
// `Workflows` options naming the store: a SQLite file or a PostgreSQL URL and schema.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Workflows } from '../dist/index.js';
import { deferred, now, withTimeout } from './lib.mjs';

export const CONCURRENCY = 20;
/** The no-op every step runs, and the bare loop awaits. */
export const noop = async () => {};
const CRASHING_WORKER = fileURLToPath(new URL('./workflows-crash.mjs', import.meta.url));

/** ms per `await noop()`, `steps` in a row: the floor a checkpointed step is read against. */
export async function bareLoop(steps) {
  const t0 = now();
  for (let index = 0; index < steps; index++) await noop();
  return (now() - t0) / steps;
}

/**
 * One engine on the store, kept open across rounds; each round one run of `steps` no-op
 * steps, timed inside the workflow from before its first step to after its last: ms per step.
 */
export async function openStepCost(options) {
  const workflows = new Workflows({ ...options, workerId: 'bench-steps' });
  let perStepMs;
  const workflow = workflows.define('steps', async (ctx, { steps }) => {
    const t0 = now();
    for (let index = 0; index < steps; index++) await ctx.step(`step-${index}`, noop);
    perStepMs = (now() - t0) / steps;
    return null;
  });
  return {
    async round(steps) {
      const run = await workflow.start({ steps });
      await run.result();
      return perStepMs;
    },
    close: () => workflows.close(),
  };
}

/** `runs` runs of `steps` no-op steps, enqueued; `enqueueMs` is the time to create them. */
async function enqueue(workflow, runs) {
  const t0 = now();
  for (let first = 0; first < runs; first += CONCURRENCY) {
    const batch = Math.min(CONCURRENCY, runs - first);
    await Promise.all(Array.from({ length: batch }, () => workflow.start(null, { enqueue: true })));
  }
  return now() - t0;
}

/**
 * On a store of its own: `runs` runs of `steps` no-op steps enqueued, then executed by
 * `worker({ concurrency: 20 })`, from its start to the last run completed.
 */
export async function throughputRound(options, { runs, steps }) {
  const workflows = new Workflows({ ...options, workerId: 'bench-worker' });
  try {
    let executed = 0;
    const workflow = workflows.define('five', async (ctx) => {
      for (let index = 0; index < steps; index++) {
        await ctx.step(`step-${index}`, () => {
          executed += 1;
        });
      }
      return null;
    });
    const enqueueMs = await enqueue(workflow, runs);
    let completed = 0;
    const all = deferred();
    workflows.onEvent((event) => {
      if (event.type === 'workflow:completed' && ++completed === runs) all.resolve();
    });
    const t0 = now();
    const worker = workflows.worker({ concurrency: CONCURRENCY });
    await withTimeout(all.promise, 300_000, 'the worker');
    const wallMs = now() - t0;
    await worker.stop();
    await expectCompleted(workflows, runs);
    if (executed !== runs * steps) throw new Error(`${executed} steps ran, not ${runs * steps}`);
    return { wallMs, stepsPerS: ((runs * steps) / wallMs) * 1000, enqueueMs };
  } finally {
    await workflows.close();
  }
}

async function expectCompleted(workflows, runs) {
  const done = await workflows.runs({ statuses: ['completed'], limit: runs * 2 });
  if (done.length !== runs) throw new Error(`${done.length} runs completed, not ${runs}`);
}

/**
 * On a store of its own: a worker process starts `runs` runs of `steps` steps; once every
 * run has recorded `crashAfter` steps and is inside the next, it is SIGKILLed. A fresh
 * engine under the same worker name (a supervised worker restarted: its leftovers are let
 * go of at once, no lease to wait out) then `recover()`s them all: the time it takes, the
 * store already open.
 */
export async function recoveryRound(options, { runs, steps, crashAfter }) {
  const workerId = 'bench-crashing-worker';
  await crashWorker({ ...options, workerId, runs, crashAfter });
  const workflows = new Workflows({ ...options, workerId });
  try {
    let executed = 0;
    workflows.define('interrupted', async (ctx) => {
      for (let index = 0; index < steps; index++) {
        await ctx.step(`step-${index}`, () => {
          executed += 1;
        });
      }
      return null;
    });
    const held = await workflows.runs({ statuses: ['running'], limit: runs * 2 });
    if (held.length !== runs) throw new Error(`${held.length} runs left running, not ${runs}`);
    const t0 = now();
    const taken = await workflows.recover({ concurrency: CONCURRENCY });
    const recoverMs = now() - t0;
    await expectCompleted(workflows, runs);
    // The steps recorded before the crash must not run again; the one in flight does.
    const expected = runs * (steps - crashAfter);
    if (taken !== runs || executed !== expected) {
      throw new Error(`recover() took ${taken} runs and ran ${executed} steps, not ${expected}`);
    }
    return { recoverMs };
  } finally {
    await workflows.close();
  }
}

/** Runs bench/workflows-crash.mjs until every run hangs in its step, then SIGKILLs it. */
async function crashWorker(settings) {
  const child = spawn(process.execPath, [CRASHING_WORKER, JSON.stringify(settings)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const lines = createInterface({ input: child.stdout });
    const ready = new Promise((resolve, reject) => {
      lines.on('line', (line) => line === 'ready' && resolve());
      child.once('exit', (code) => reject(new Error(`the crashing worker exited (${code})`)));
    });
    await withTimeout(ready, 300_000, 'the crashing worker');
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}
