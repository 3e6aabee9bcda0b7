// Config fuzz: mutated overseer.yaml files through `overseer validate`: each must end within
// 10 s with exit 0 (valid) or 2 (rejected), a rejection must name a path or a line, nothing
// may print a stack trace, and `up -d` on a rejected config must start nothing.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STACK_FRAME } from '../lib/context.mjs';
import { baseConfig, mutate } from '../lib/mutate-config.mjs';
import { isAlive, signal } from '../lib/procs.mjs';
import { TEST_FIXTURES } from '../lib/project.mjs';
import { summarize } from '../lib/stats.mjs';

const VALIDATE_BOUND_MS = 10_000;
/**
 * A rejection names where: `line 3`, a path such as `processes.web.restart.delay`, or the
 * file as a whole (`the file is empty: …`, under the header that names the file).
 */
const NAMES_A_PLACE =
  /\bline \d+|\b[\w$-]+(\.[^\s.:]+)+: |^\s*(version|name|settings|processes)\b[^\n]*:|^\s*the file is\b/m;
/** Validate runs two at a time (the machine has two cores). */
const PARALLEL = 2;

export const configFuzz = {
  name: 'config-fuzz',
  reap: 'live',
  budgetMs: { quick: 45_000, full: 600_000 },
  params: { quick: { configs: 40, upEvery: 6 }, full: { configs: 600, upEvery: 5 } },
  async run(ctx) {
    const project = ctx.project('config-fuzz');
    const base = baseConfig({
      sleeper: `${TEST_FIXTURES}sleeper.mjs`,
      exitWith: `${TEST_FIXTURES}exit-with.mjs`,
    });
    const mutants = [];
    for (let i = 0; i < ctx.params.configs; i += 1) mutants.push(mutate(base, ctx.prng));
    const exits = {};
    const ms = [];
    let rejected = 0;
    /** How many failing configs each kind of mutation was part of: where to look first. */
    const failedByMutation = {};
    let upChecked = 0;
    let next = 0;
    const worker = async () => {
      while (next < mutants.length && ctx.timeLeft() > 12_000) {
        const index = next++;
        const { bytes, mutations } = mutants[index];
        const file = join(project.dir, `config-${index}.yaml`);
        writeFileSync(file, bytes);
        const result = await project.cli(['validate', '-f', file], {
          timeoutMs: VALIDATE_BOUND_MS,
        });
        ms.push(result.ms);
        const exit = result.timedOut ? 'timeout' : result.code;
        exits[exit] = (exits[exit] ?? 0) + 1;
        const evidence = {
          config: index,
          mutations,
          code: result.code,
          stderr: result.stderr.slice(0, 800),
        };
        const output = result.stdout + result.stderr;
        const verdicts = [
          ctx.check(
            `validate ends within ${VALIDATE_BOUND_MS / 1000} s`,
            !result.timedOut,
            evidence,
          ),
          ctx.check(
            'validate exits 0 or 2',
            result.timedOut || result.code === 0 || result.code === 2,
            evidence,
          ),
          ctx.check('validate never prints a stack trace', !STACK_FRAME.test(output), evidence),
          result.code !== 2 ||
            ctx.check(
              'a rejection names a path or a line',
              NAMES_A_PLACE.test(result.stderr),
              evidence,
            ),
        ];
        if (verdicts.includes(false)) {
          for (const mutation of mutations) {
            const kind = mutation.split(':')[0];
            failedByMutation[kind] = (failedByMutation[kind] ?? 0) + 1;
          }
        }
        if (result.code === 2) {
          rejected += 1;
          if (rejected % ctx.params.upEvery === 0) {
            upChecked += 1;
            await upStartsNothing(ctx, project, file, evidence);
          }
        }
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    ctx.figure(
      'configs',
      Object.values(exits).reduce((a, b) => a + b, 0),
    );
    ctx.figure('exits', exits);
    ctx.figure('upOnRejected', upChecked);
    ctx.figure('failedByMutation', failedByMutation);
    ctx.figure('validateMs', summarize(ms));
  },
};

/** `up -d` on a config `validate` rejected: exit 2, no daemon, no process of ours. */
async function upStartsNothing(ctx, project, file, evidence) {
  const up = await project.cli(['up', '-d', '-f', file, '--wait-timeout', '5s'], {
    timeoutMs: 20_000,
  });
  // Only this run's up -d and the other worker's validate can be ours right now.
  const started = ctx.marked().filter((p) => !p.argv.includes('validate'));
  ctx.check('up -d rejects what validate rejected, with exit 2', up.code === 2, {
    ...evidence,
    upCode: up.code,
    upStderr: up.stderr.slice(0, 800),
  });
  ctx.check('no process is started for a rejected config', started.length === 0, {
    ...evidence,
    started: started.map((p) => p.command.slice(0, 200)),
  });
  if (up.code !== 2) await project.cli(['down', '-f', file], { timeoutMs: 20_000 });
  for (const proc of started) if (isAlive(proc.pid)) signal(proc.pid, 'SIGKILL');
}
