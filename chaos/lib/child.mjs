// Runs one scenario in its own process (under the reaper), then ends what it started:
// `down` in each of its projects, then SIGKILL to any process still carrying the run's mark
// (counted as a failure: after `down`, nothing may be left). Writes
// chaos/results/<scenario>.json and exits 1 when an invariant broke.
// Usage (from run.mjs): node child.mjs NAME, with CHAOS_RUN, CHAOS_SEED, CHAOS_MODE set.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { ScenarioContext, STACK_FRAME } from './context.mjs';
import { MARK, signal } from './procs.mjs';
import { SCENARIOS } from './scenarios.mjs';

const RESULTS = fileURLToPath(new URL('../results/', import.meta.url));

const name = process.argv[2];
const scenario = SCENARIOS.find((s) => s.name === name);
if (!scenario) {
  process.stderr.write(`unknown scenario ${name}\n`);
  process.exit(2);
}
const mode = process.env.CHAOS_MODE === 'full' ? 'full' : 'quick';
const ctx = new ScenarioContext({
  name,
  seed: Number(process.env.CHAOS_SEED),
  mode,
  params: scenario.params[mode],
  budgetMs: scenario.budgetMs[mode],
  runId: process.env[MARK],
});

let crashed = null;
try {
  await scenario.run(ctx);
} catch (error) {
  crashed = error;
  ctx.fail('the scenario ran to its end', { error: String(error?.stack ?? error) });
}
await cleanUp();
const failures = [...ctx.failures.values()];
const result = {
  scenario: name,
  seed: ctx.seed,
  mode,
  passed: failures.length === 0,
  durationMs: Date.now() - ctx.startedAt,
  figures: ctx.figures,
  failures,
  projects: failures.length > 0 ? ctx.projects.map((p) => p.dir) : [],
};
mkdirSync(RESULTS, { recursive: true });
writeFileSync(`${RESULTS}${name}.json`, `${JSON.stringify(result, null, 2)}\n`);
process.exit(result.passed ? 0 : 1);

/** `down` everywhere, then whatever is still marked is a leftover: killed and counted. */
async function cleanUp() {
  // A project whose overseer.yaml was never written (config fuzz) never had a daemon.
  for (const project of ctx.projects.filter((p) => existsSync(p.configPath))) {
    const down = await project.cli(['down'], { timeoutMs: 30_000 });
    if (!crashed) {
      ctx.check(
        'down exits 0 and prints no stack trace',
        down.code === 0 && !STACK_FRAME.test(down.stderr),
        {
          project: project.dir,
          code: down.code,
          timedOut: down.timedOut,
          stderr: down.stderr.slice(-2000),
        },
      );
    }
  }
  // As test/global-setup.ts: give what was signalled at the very end a moment to be reaped.
  let left = ctx.marked();
  for (let waited = 0; left.length > 0 && waited < 2_000; waited += 100) {
    await sleep(100);
    left = ctx.marked();
  }
  if (left.length > 0) {
    ctx.fail('nothing of the stack is left after down', {
      count: left.length,
      processes: left
        .slice(0, 20)
        .map((p) => `${p.pid} (ppid ${p.ppid}, sid ${p.sid}) ${p.command}`),
    });
  }
  for (let round = 0; round < 20 && left.length > 0; round += 1) {
    for (const proc of left) signal(proc.pid, 'SIGKILL');
    await sleep(50);
    left = ctx.marked();
  }
  const removed = ctx.removeCgroups();
  if (removed.length > 0) ctx.figure('cgroupsRemoved', removed.length);
  if (ctx.failures.size === 0) for (const project of ctx.projects) project.remove();
}
