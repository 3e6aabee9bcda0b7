// Log flood under restarts: several instances print numbered lines as fast as the pipe takes
// them while they are restarted at random (restart, which stops with SIGTERM, or SIGKILL from
// outside). Then every log file is read back: within each run (a pid), line numbers must go
// 1, 2, 3… with none lost, duplicated or out of order, each payload intact, and a run stopped
// with SIGTERM must have every line it counted. Only the very last line of a SIGKILLed run
// may be cut short: the kernel kept what was written, and the kill cut the write.
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { payload } from '../fixtures/numbered-payload.mjs';
import { STACK_FRAME } from '../lib/context.mjs';
import { isAlive, signal } from '../lib/procs.mjs';
import { FIXTURES } from '../lib/project.mjs';

const PRINTER = `${FIXTURES}numbered-lines.mjs`;

export const logFlood = {
  name: 'log-flood',
  reap: 'live',
  budgetMs: { quick: 60_000, full: 420_000 },
  params: { quick: { seconds: 6, instances: 2 }, full: { seconds: 60, instances: 3 } },
  async run(ctx) {
    const project = ctx.project('log-flood');
    const countDir = join(project.dir, 'counts');
    mkdirSync(countDir);
    project.write(`version: 1
settings:
  logs: { max_size: 4GB, max_files: 3 }
processes:
  flood:
    instances: ${ctx.params.instances}
    command: [node, ${PRINTER}, ${countDir}]
    restart: { policy: always, max_restarts: 100000, window: 1s, delay: 0 }
    stop: { timeout: 5s }
`);
    const up = await project.cli(['up', '-d'], { timeoutMs: 60_000 });
    if (
      !ctx.check('up -d starts the stack', up.code === 0, {
        code: up.code,
        stderr: up.stderr.slice(-1500),
      })
    )
      return;
    const killed = new Set();
    const actions = { restart: 0, sigkill: 0, apiRestart: 0 };
    const names = Array.from({ length: ctx.params.instances }, (_, i) => `flood-${i}`);
    const endAt = Date.now() + Math.min(ctx.params.seconds * 1000, ctx.timeLeft() - 30_000);
    while (Date.now() < endAt) {
      await sleep(ctx.prng.int(200, 1_500));
      const name = ctx.prng.pick(names);
      const how = ctx.prng.weighted([
        [2, 'restart'],
        [1, 'apiRestart'],
        [2, 'sigkill'],
      ]);
      actions[how] += 1;
      if (how === 'sigkill') {
        const main = ctx
          .marked()
          .find((p) => p.argv[1] === PRINTER && p.env.OVERSEER_PROCESS === name);
        if (main) {
          killed.add(main.pid);
          signal(main.pid, 'SIGKILL');
        }
      } else if (how === 'restart') {
        const result = await project.cli(['restart', name], { timeoutMs: 30_000 });
        ctx.check(
          'restart exits 0 without a stack trace',
          result.code === 0 && !STACK_FRAME.test(result.stderr),
          {
            name,
            code: result.code,
            stderr: result.stderr.slice(-800),
          },
        );
      } else {
        const answer = await project.http({
          method: 'POST',
          path: `/processes/${name}/restart`,
          timeoutMs: 30_000,
        });
        ctx.check('POST /processes/:name/restart answers 200', answer.status === 200, {
          name,
          status: answer.status ?? answer.error,
        });
      }
    }
    const down = await project.cli(['down'], { timeoutMs: 60_000 });
    ctx.check('down exits 0', down.code === 0, {
      code: down.code,
      stderr: down.stderr.slice(-800),
    });
    const leftovers = ctx.marked().filter((p) => p.argv[1] === PRINTER);
    for (const proc of leftovers) if (isAlive(proc.pid)) signal(proc.pid, 'SIGKILL');
    const totals = { lines: 0, bytes: 0, runs: 0, countedRuns: 0, cutLastLines: 0 };
    for (const name of names) await checkLog(ctx, project, name, countDir, killed, totals);
    ctx.figure('actions', actions);
    ctx.figure('lines', totals.lines);
    ctx.figure('bytes', totals.bytes);
    ctx.figure('runs', totals.runs);
    ctx.figure('runsWithExactCount', totals.countedRuns);
    ctx.figure('cutLastLinesOfKilledRuns', totals.cutLastLines);
  },
};

/** Reads one instance's log files (oldest first) and judges every line. */
async function checkLog(ctx, project, name, countDir, killed, totals) {
  const base = project.logFile(name);
  const dir = join(project.stateDir, 'logs');
  const rotated = readdirSync(dir)
    .filter((f) => f.startsWith(`${name}.log.`))
    .map((f) => Number(f.slice(`${name}.log.`.length)))
    .filter(Number.isInteger)
    .sort((a, b) => b - a)
    .map((n) => `${base}.${n}`);
  const files = [...rotated, ...(existsSync(base) ? [base] : [])];
  ctx.check('every instance has a log file', files.length > 0, { name });
  /** pid → { last, cut }: the last sequence number seen, and whether a line was cut. */
  const runs = new Map();
  for (const file of files) {
    totals.bytes += statSync(file).size;
    const lines = createInterface({
      input: createReadStream(file, { encoding: 'utf8' }),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    for await (const line of lines) {
      totals.lines += 1;
      const stamped = /^\S+ (stdout|stderr) (.*)$/.exec(line);
      const text = stamped?.[2] ?? '';
      const numbered = /^(\d+) (\d+) (\S*)$/.exec(text);
      if (!numbered) {
        ctx.fail('every log line is a whole line the process printed', {
          name,
          file,
          line: line.slice(0, 300),
        });
        continue;
      }
      const pid = Number(numbered[1]);
      const seq = Number(numbered[2]);
      const run = runs.get(pid) ?? { last: 0, cut: false };
      runs.set(pid, run);
      const evidence = { name, pid, seq, after: run.last, file };
      if (run.cut) ctx.fail('nothing follows the cut last line of a killed run', evidence);
      if (seq === run.last + 1 && numbered[3] !== payload(seq)) {
        if (killed.has(pid) && payload(seq).startsWith(numbered[3])) {
          run.cut = true;
          totals.cutLastLines += 1;
        } else {
          ctx.fail('no line is corrupted', {
            ...evidence,
            payload: numbered[3],
            expected: payload(seq),
          });
        }
      } else if (seq <= run.last) {
        ctx.fail('no line is duplicated or reordered', evidence);
        continue;
      } else if (seq > run.last + 1) {
        ctx.fail('no line is lost', { ...evidence, missing: seq - run.last - 1 });
      }
      run.last = Math.max(run.last, seq);
    }
  }
  totals.runs += runs.size;
  // A run stopped with SIGTERM saved how many lines it wrote: every one must be in the log.
  for (const file of readdirSync(countDir)) {
    const pid = Number(file);
    const run = runs.get(pid);
    if (!run) continue; // another instance's run
    totals.countedRuns += 1;
    const written = Number(readFileSync(join(countDir, file), 'utf8'));
    ctx.check('no line is lost at the end of a stopped run', run.last === written, {
      name,
      pid,
      written,
      logged: run.last,
    });
  }
}
