// Kill storm: a stack of every kind of process (plain services, a tree with a grandchild in
// its group, one whose grandchild has its own session, one whose grandchild escaped by a
// double fork + setsid, a SIGTERM-ignorer, probes, a dependency, a job, instances) under
// random abuse: SIGKILL/SIGTERM of children and grandchildren, restart, stop + start, an
// instance stopped on request, and the daemon SIGKILLed every N actions and brought back
// with `up -d`. After each daemon kill and at the end, the stack must converge: every
// process listed once in its expected state, one live copy of each, no orphan.
import { setTimeout as sleep } from 'node:timers/promises';
import { STACK_FRAME } from '../lib/context.mjs';
import { isAlive, signal } from '../lib/procs.mjs';
import { FIXTURES, TEST_FIXTURES } from '../lib/project.mjs';
import { stackProblems, unowned } from '../lib/stack.mjs';
import { summarize } from '../lib/stats.mjs';

const SLEEPER = `${TEST_FIXTURES}sleeper.mjs`;
const GRANDCHILD = `${TEST_FIXTURES}grandchild.mjs`;
const IGNORE_TERM = `${TEST_FIXTURES}ignore-sigterm.mjs`;
const EXIT_WITH = `${TEST_FIXTURES}exit-with.mjs`;
const DOUBLE_FORK = `${FIXTURES}double-fork.mjs`;

/** How long a process may stay unowned (a supervisor cleaning up) before it is an orphan. */
const ORPHAN_GRACE_MS = 5_000;
const STUBBORN_STOP_MS = 500;
/** `up -d` of this stack takes a few seconds here; past this it hangs (a zombie's lock). */
const UP_AFTER_KILL_MS = 20_000;

/** Restarts that never run out, with a short backoff: the storm must not push anything to `failed`. */
const RESTART =
  '{ max_restarts: 100000, window: 1s, delay: 100ms, max_delay: 500ms, min_uptime: 200ms }';

/** The stack; `expected` is what the docs promise once it settles. */
function stack(dir) {
  const yaml = `version: 1
processes:
  db:
    command: [node, ${SLEEPER}]
    restart: ${RESTART}
    readiness: { log: ready, interval: 100ms }
    liveness: { exec: "true", interval: 500ms }
  web:
    restart: ${RESTART}
    instances: 2
    command: [node, ${SLEEPER}]
    depends_on: { db: healthy }
    readiness: { log: ready, interval: 100ms }
  tree:
    restart: ${RESTART}
    command: [node, ${GRANDCHILD}, ${dir}/tree.pid]
  session:
    restart: ${RESTART}
    command: [node, ${GRANDCHILD}, ${dir}/session.pid, setsid]
  escape:
    restart: ${RESTART}
    command: [node, ${DOUBLE_FORK}]
    readiness: { log: ready, interval: 100ms }
  stubborn:
    restart: ${RESTART}
    command: [node, ${IGNORE_TERM}]
    stop: { timeout: ${STUBBORN_STOP_MS}ms }
  job:
    kind: job
    command: [node, ${EXIT_WITH}, "0", "200"]
    depends_on: { db: started }
`;
  const services = {
    'db-0': SLEEPER,
    'web-0': SLEEPER,
    'web-1': SLEEPER,
    'tree-0': GRANDCHILD,
    'session-0': GRANDCHILD,
    'escape-0': DOUBLE_FORK,
    'stubborn-0': IGNORE_TERM,
  };
  return { yaml, services };
}

export const killStorm = {
  name: 'kill-storm',
  reap: 'live',
  budgetMs: { quick: 60_000, full: 900_000 },
  params: {
    // convergeMs: how long the stack may take to converge (it takes 1 to 3 s here).
    quick: { actions: 45, daemonKillEvery: 15, convergeMs: 15_000 },
    full: { actions: 1000, daemonKillEvery: 50, convergeMs: 30_000 },
  },
  async run(ctx) {
    const { prng, params } = ctx;
    const project = ctx.project('kill-storm');
    const { yaml, services } = stack(project.dir);
    project.write(yaml);
    // ps names a single-instance process without its index.
    const rowName = (name) => (name.startsWith('web-') ? name : name.replace(/-0$/, ''));
    const stoppedOnRequest = new Set();
    const expected = () => {
      const out = {};
      for (const [name, script] of Object.entries(services)) {
        out[rowName(name)] = {
          status: stoppedOnRequest.has(name) ? 'stopped' : 'running',
          script,
          instance: name,
        };
      }
      out.job = { status: 'completed', script: EXIT_WITH, instance: 'job-0' };
      return out;
    };
    const outcomes = {};
    const count = (key) => {
      outcomes[key] = (outcomes[key] ?? 0) + 1;
    };
    let action = 0;
    const orphans = new Map();
    /** The first few CLI commands that exited non-zero, for the report (not failures by themselves). */
    const cliErrors = [];
    /** What was done, as `#N what → outcome`, for the evidence of a failed convergence. */
    const history = [];
    const did = (entry) => {
      history.push(`#${action} ${entry}`);
      if (history.length > 50) history.shift();
    };
    /** The instances a selector names (`web` is both of its instances). */
    const instancesOf = (target) =>
      target === 'web'
        ? ['web-0', 'web-1']
        : target.startsWith('web-')
          ? [target]
          : [`${target}-0`];
    const convergence = [];

    /** Runs the CLI, checking that it never prints a stack trace. */
    const cli = async (args, timeoutMs = 30_000) => {
      const result = await project.cli(args, { timeoutMs });
      ctx.check(
        'the CLI never prints a stack trace',
        !STACK_FRAME.test(result.stderr + result.stdout),
        {
          args,
          stderr: result.stderr.slice(-1500),
        },
      );
      count(`${args[0]}:${result.timedOut ? 'timeout' : result.code}`);
      did(`${args.join(' ')} → ${result.timedOut ? 'timeout' : result.code}`);
      if (result.code !== 0 && cliErrors.length < 10) {
        cliErrors.push(`${args.join(' ')} → ${result.code}: ${result.stderr.trim().slice(0, 200)}`);
      }
      return result;
    };

    /** Waits until the stack is as the docs say; records the time from `since`. */
    const converge = async (label, since) => {
      const unownedSince = new Map();
      let problems = [];
      // When every process is listed, in its state, with one live copy: the convergence time.
      // Unowned processes are then given their grace, so orphans do not inflate the figure.
      let settledAt = null;
      while (Date.now() - since < params.convergeMs && ctx.timeLeft() > 0) {
        const { processes: rows } = await project.ps();
        const daemonPid = project.lockPid();
        const processes = ctx.marked();
        problems = stackProblems({ rows, processes, daemonPid, expected: expected() });
        const loose = daemonPid && isAlive(daemonPid) ? unowned(processes, daemonPid) : [];
        const now = Date.now();
        for (const proc of loose) {
          const first = unownedSince.get(proc.pid) ?? now;
          unownedSince.set(proc.pid, first);
          if (now - first >= ORPHAN_GRACE_MS && !orphans.has(proc.pid)) {
            orphans.set(proc.pid, kindOf(proc));
            ctx.fail('no orphan: every process belongs to a tree the live supervisor owns', {
              after: label,
              pid: proc.pid,
              ppid: proc.ppid,
              sid: proc.sid,
              kind: kindOf(proc),
              command: proc.command,
              process: proc.env.OVERSEER_PROCESS,
            });
            signal(proc.pid, 'SIGKILL');
          }
        }
        const pendingOrphans = loose.filter((p) => !orphans.has(p.pid));
        if (!daemonPid || !isAlive(daemonPid)) problems.push('no live daemon holds the lock');
        if (problems.length === 0 && settledAt === null) settledAt = Date.now();
        if (problems.length === 0 && pendingOrphans.length === 0) {
          convergence.push(settledAt - since);
          return true;
        }
        if (pendingOrphans.length > 0)
          problems.push(`${pendingOrphans.length} unowned process(es)`);
        await sleep(200);
      }
      ctx.fail(`the stack converges within ${params.convergeMs / 1000} s`, {
        after: label,
        problems,
        lastActions: history.slice(-12),
      });
      return false;
    };

    const started = Date.now();
    const up = await cli(['up', '-d'], 60_000);
    if (
      !ctx.check('up -d starts the stack', up.code === 0, {
        code: up.code,
        stderr: up.stderr.slice(-2000),
      })
    )
      return;
    await converge('up -d', started);

    let daemonKills = 0;
    let refused = 0;
    // The figures are written however the storm ends (an `up -d` that hangs ends it early).
    try {
      for (; action < params.actions && ctx.timeLeft() > 12_000; action += 1) {
        if (action > 0 && action % params.daemonKillEvery === 0) {
          daemonKills += 1;
          const pid = project.lockPid();
          const killedAt = Date.now();
          signal(pid, 'SIGKILL');
          did(`SIGKILL daemon ${pid}`);
          let back = await cli(['up', '-d'], UP_AFTER_KILL_MS);
          for (let retry = 0; back.code !== 0 && retry < 1; retry += 1) {
            refused += 1;
            ctx.fail('up -d after a daemon SIGKILL succeeds at once', {
              action,
              killed: pid,
              code: back.code,
              stderr: back.stderr.slice(-1000),
            });
            await sleep(1_000);
            back = await cli(['up', '-d'], UP_AFTER_KILL_MS);
          }
          if (back.code !== 0) return;
          await converge(`daemon SIGKILL #${daemonKills} (action ${action})`, killedAt);
          continue;
        }
        await randomAction();
      }
      await converge('the last action', Date.now());
    } finally {
      ctx.figure('actions', action);
      ctx.figure('daemonKills', daemonKills);
      ctx.figure('upRefused', refused);
      ctx.figure('orphans', orphans.size);
      const kinds = {};
      for (const kind of orphans.values()) kinds[kind] = (kinds[kind] ?? 0) + 1;
      ctx.figure('orphansByKind', kinds);
      ctx.figure('convergenceMs', summarize(convergence));
      ctx.figure('outcomes', outcomes);
      ctx.figure('cliErrors', cliErrors);
      ctx.figure('elapsedMs', Date.now() - started);
    }

    async function randomAction() {
      const kind = prng.weighted([
        [25, 'kill-main'],
        [15, 'kill-grandchild'],
        [20, 'restart'],
        [15, 'stop-start'],
        [10, 'toggle-web-1'],
        [5, 'job'],
      ]);
      const processes = ctx.marked();
      const daemonPid = project.lockPid();
      if (kind === 'kill-main' || kind === 'kill-grandchild') {
        const candidates = processes.filter((p) =>
          kind === 'kill-main'
            ? p.ppid === daemonPid && Object.values(services).includes(p.argv[1])
            : p.env.OVERSEER_PROCESS &&
              p.ppid !== daemonPid &&
              (p.argv.includes('--grandchild') || p.argv[1] === '-e'),
        );
        if (candidates.length === 0) return count(`${kind}:none`);
        const victim = prng.pick(candidates);
        const name = prng.chance(0.5) ? 'SIGKILL' : 'SIGTERM';
        signal(victim.pid, name);
        did(
          `${name} ${victim.env.OVERSEER_PROCESS} ${kind === 'kill-main' ? 'main' : 'grandchild'} ${victim.pid}`,
        );
        count(kind);
        await sleep(prng.int(0, 100));
        return;
      }
      if (kind === 'toggle-web-1') {
        const stopping = !stoppedOnRequest.has('web-1');
        const result = await cli([stopping ? 'stop' : 'start', 'web-1']);
        if (result.code === 0) {
          if (stopping) stoppedOnRequest.add('web-1');
          else stoppedOnRequest.delete('web-1');
        }
        return;
      }
      if (kind === 'job') {
        await cli(['start', 'job']);
        return;
      }
      const target = prng.pick(['db', 'web', 'web-0', 'tree', 'session', 'escape', 'stubborn']);
      // The model follows what succeeded: a refused command (409: stop of a stopped
      // instance, start of a running one) changes nothing (http-api.md: a conflict is refused).
      const stopped = () => {
        for (const instance of instancesOf(target)) stoppedOnRequest.add(instance);
      };
      const started = () => {
        for (const instance of instancesOf(target)) stoppedOnRequest.delete(instance);
      };
      if (kind === 'restart') {
        if ((await cli(['restart', target])).code === 0) started();
        return;
      }
      const before =
        target === 'stubborn'
          ? processes.find((p) => p.argv[1] === IGNORE_TERM && p.ppid === daemonPid)
          : null;
      const viaApi = prng.chance(0.5);
      const stopStarted = Date.now();
      if (viaApi) {
        const stop = await project.http({
          method: 'POST',
          path: `/processes/${target}/stop`,
          timeoutMs: 30_000,
        });
        count(`api-stop:${stop.status ?? stop.error}`);
        did(`POST /processes/${target}/stop → ${stop.status ?? stop.error}`);
        if (stop.status === 200) stopped();
      } else if ((await cli(['stop', target])).code === 0) {
        stopped();
      }
      if (before) {
        const tookMs = Date.now() - stopStarted;
        ctx.check(
          'a SIGTERM-ignorer is SIGKILLed after its stop timeout',
          !isAlive(before.pid) && tookMs < STUBBORN_STOP_MS + 3_000,
          {
            pid: before.pid,
            alive: isAlive(before.pid),
            stopTookMs: tookMs,
          },
        );
      }
      if (viaApi) {
        const start = await project.http({
          method: 'POST',
          path: `/processes/${target}/start`,
          timeoutMs: 30_000,
        });
        count(`api-start:${start.status ?? start.error}`);
        did(`POST /processes/${target}/start → ${start.status ?? start.error}`);
        if (start.status === 200) started();
      } else if ((await cli(['start', target])).code === 0) {
        started();
      }
    }
  },
};

/** What kind of process an orphan is, for the report. */
function kindOf(proc) {
  if (proc.argv.includes('--grandchild')) return 'double-fork setsid grandchild';
  if (proc.argv[1] === '-e')
    return proc.sid === proc.pid ? 'setsid grandchild' : 'grandchild in the group';
  if (proc.env.OVERSEER_PROCESS) return `main of ${proc.env.OVERSEER_PROCESS}`;
  return 'other';
}
