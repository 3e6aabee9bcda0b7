// Zombie lock: the daemon SIGKILLed under an init that never reaps (PID 1 in many containers
// and micro-VMs), so it stays a zombie holding the lock's pid. `up -d` must take the lock over
// at once (a zombie counts as dead), and the new daemon must stop what the old one left.
// Each round uses a fresh project, so one refusal does not decide the next.
import { STACK_FRAME } from '../lib/context.mjs';
import { isAlive, isZombie, signal } from '../lib/procs.mjs';
import { TEST_FIXTURES } from '../lib/project.mjs';
import { summarize } from '../lib/stats.mjs';

const SLEEPER = `${TEST_FIXTURES}sleeper.mjs`;
/** `up -d` of a one-process stack takes about a second here; ten is a hang. */
const UP_BOUND_MS = 10_000;

export const zombieLock = {
  name: 'zombie-lock',
  reap: 'deferred',
  budgetMs: { quick: 40_000, full: 240_000 },
  params: { quick: { rounds: 2 }, full: { rounds: 10 } },
  async run(ctx) {
    let refused = 0;
    let rounds = 0;
    const backMs = [];
    for (; rounds < ctx.params.rounds && ctx.timeLeft() > 8_000; rounds += 1) {
      const project = ctx.project('zombie-lock');
      project.write(`version: 1\nprocesses:\n  app:\n    command: [node, ${SLEEPER}]\n`);
      const up = await project.cli(['up', '-d'], { timeoutMs: 30_000 });
      if (
        !ctx.check('up -d starts the stack', up.code === 0, {
          code: up.code,
          stderr: up.stderr.slice(-1500),
        })
      )
        return;
      const daemon = project.lockPid();
      const child = ctx.marked().find((p) => p.ppid === daemon && p.argv[1] === SLEEPER);
      signal(daemon, 'SIGKILL');
      for (let waited = 0; !isZombie(daemon) && waited < 2_000; waited += 20)
        await new Promise((r) => setTimeout(r, 20));
      ctx.check('the killed daemon is a zombie (the harness does not reap)', isZombie(daemon), {
        daemon,
      });
      const started = Date.now();
      const back = await project.cli(['up', '-d'], { timeoutMs: UP_BOUND_MS });
      backMs.push(Date.now() - started);
      ctx.check('up -d never prints a stack trace', !STACK_FRAME.test(back.stderr), {
        stderr: back.stderr.slice(-1500),
      });
      if (back.code !== 0) {
        refused += 1;
        ctx.fail('up -d takes over the lock of a zombie daemon', {
          round: rounds,
          zombie: daemon,
          code: back.code,
          timedOut: back.timedOut,
          stderr: back.stderr.trim().slice(-600),
        });
        continue;
      }
      const next = project.lockPid();
      ctx.check('a new live daemon holds the lock', next !== daemon && isAlive(next), {
        old: daemon,
        next,
      });
      ctx.check(
        'the new daemon stopped what the zombie left running',
        !child || !isAlive(child.pid),
        {
          leftover: child?.pid,
        },
      );
    }
    ctx.figure('rounds', rounds);
    ctx.figure('upRefused', refused);
    ctx.figure('upAfterKillMs', summarize(backMs));
  },
};
