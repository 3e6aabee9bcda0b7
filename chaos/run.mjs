// `npm run chaos [-- --quick] [--seed N] [--only NAME] [--reap live|deferred]`: the chaos suite. Each scenario runs
// in its own process under chaos/lib/reaper.py (a child subreaper, so the suite decides
// whether the dead are reaped; --reap overrides every scenario's choice), with a hard time bound. Every process it starts inherits
// CHAOS_RUN; whatever still carries it when the scenario is over is SIGKILLed and counted.
// Prints the seed (replay with --seed), a summary per scenario, and last a line
// `N passed, N failed` that CI reads; exits 1 when any scenario failed.
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { randomSeed } from './lib/prng.mjs';
import { MARK, sweep } from './lib/procs.mjs';
import { CLI } from './lib/project.mjs';
import { SCENARIOS } from './lib/scenarios.mjs';

const CHILD = fileURLToPath(new URL('./lib/child.mjs', import.meta.url));
const REAPER = fileURLToPath(new URL('./lib/reaper.py', import.meta.url));
const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));

const options = parseArgs(process.argv.slice(2));
// The interpreter itself, not a shim (pyenv's are shell scripts with children of their own).
const PYTHON = findPython();
if (!existsSync(CLI)) {
  process.stderr.write(`chaos: ${CLI} is missing; run \`npm run build\` first\n`);
  process.exit(2);
}
const mode = options.quick ? 'quick' : 'full';
const seed = options.seed ?? randomSeed();
const runId = randomUUID();
const selected = options.only ? SCENARIOS.filter((s) => options.only.includes(s.name)) : SCENARIOS;
process.stdout.write(
  `chaos: ${mode} mode, seed ${seed} (replay: npm run chaos -- ${options.quick ? '--quick ' : ''}--seed ${seed}${options.reap ? ` --reap ${options.reap}` : ''}), ${cpus().length} cores\n`,
);

let current = null;
let interrupted = false;
for (const signalName of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signalName, () => {
    interrupted = true;
    process.stdout.write(
      `chaos: ${signalName}: ending ${current?.name ?? 'the run'} and what it started\n`,
    );
    current?.abort();
  });
}

const outcomes = [];
for (const scenario of selected) {
  if (interrupted) break;
  outcomes.push(await runScenario(scenario));
}
for (const outcome of outcomes) {
  const figures = Object.entries(outcome.figures ?? {})
    .map(([key, value]) => `${key}=${typeof value === 'object' ? JSON.stringify(value) : value}`)
    .join(' ');
  process.stdout.write(
    `${outcome.passed ? 'PASS' : 'FAIL'} ${outcome.scenario} (${(outcome.durationMs / 1000).toFixed(1)} s) ${figures}\n`,
  );
  for (const failure of outcome.failures ?? []) {
    process.stdout.write(
      `  ✗ ${failure.invariant} ×${failure.count}: ${JSON.stringify(failure.examples[0]).slice(0, 600)}\n`,
    );
  }
}
const passed = outcomes.filter((o) => o.passed).length;
process.stdout.write(`seed ${seed} (replay with --seed ${seed})\n`);
process.stdout.write(`chaos: ${passed} passed, ${outcomes.length - passed} failed\n`);
process.exit(outcomes.length - passed === 0 && !interrupted ? 0 : 1);

/** Runs one scenario in its reaper, bounded in time, then sweeps what it left. */
async function runScenario(scenario) {
  const scenarioRun = `${runId}-${scenario.name}`;
  const budgetMs = scenario.budgetMs[mode];
  const reap = options.reap ?? scenario.reap;
  const resultFile = `${RESULTS}${scenario.name}.json`;
  rmSync(resultFile, { force: true });
  process.stdout.write(`-- ${scenario.name} (bound ${budgetMs / 1000} s, init reaps: ${reap})\n`);
  const started = Date.now();
  const reaper = spawn(
    PYTHON,
    [REAPER, '--reap', reap, '--', process.execPath, CHILD, scenario.name],
    {
      env: { ...process.env, [MARK]: scenarioRun, CHAOS_SEED: String(seed), CHAOS_MODE: mode },
      stdio: ['pipe', 'inherit', 'inherit'],
    },
  );
  let timedOut = false;
  const ended = new Promise((resolve) => reaper.on('exit', (code) => resolve(code)));
  const scenarioEnded = new Promise((resolve) => {
    const poll = setInterval(() => {
      if (reaper.exitCode !== null || !hasScenarioProcess(reaper.pid)) {
        clearInterval(poll);
        resolve();
      }
    }, 200);
  });
  let abort;
  const aborted = new Promise((resolve) => {
    abort = resolve;
  });
  current = { name: scenario.name, abort };
  const bound = setTimeout(() => {
    timedOut = true;
    abort();
  }, budgetMs);
  await Promise.race([scenarioEnded, aborted]);
  clearTimeout(bound);
  // Past its bound, or interrupted: the scenario and everything it started go, by pid.
  const { found } = await sweep(scenarioRun, { spare: [reaper.pid] });
  reaper.stdin.end();
  await ended;
  current = null;
  let outcome;
  try {
    outcome = JSON.parse(readFileSync(resultFile, 'utf8'));
  } catch {
    outcome = { scenario: scenario.name, seed, mode, passed: false, figures: {}, failures: [] };
    outcome.failures.push({
      invariant: timedOut
        ? `the scenario ends within its bound of ${budgetMs / 1000} s`
        : 'the scenario reports its results',
      count: 1,
      examples: [{ interrupted }],
    });
  }
  outcome.durationMs = Date.now() - started;
  const leftovers = found.filter((p) => !p.argv.includes(CHILD));
  // Cut short (bound, Ctrl-C), a scenario cannot clean up: what it left is ours to end, and
  // counted apart. Run to its end, it must have left nothing.
  if (leftovers.length > 0 && (timedOut || interrupted)) {
    outcome.figures = { ...outcome.figures, endedByTheRunner: leftovers.length };
  } else if (leftovers.length > 0) {
    outcome.passed = false;
    outcome.failures.push({
      invariant: 'no process outlives its scenario',
      count: leftovers.length,
      examples: leftovers.slice(0, 8).map((p) => `${p.pid} ${p.command}`),
    });
  }
  return outcome;
}

/** True while the scenario's own process (the reaper's child) is alive. */
function hasScenarioProcess(reaperPid) {
  try {
    const children = readFileSync(`/proc/${reaperPid}/task/${reaperPid}/children`, 'utf8');
    return children
      .trim()
      .split(' ')
      .filter(Boolean)
      .some((pid) => {
        try {
          const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
          const alive = stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
          return alive && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(CHILD);
        } catch {
          return false;
        }
      });
  } catch {
    return false;
  }
}

function parseArgs(argv) {
  const parsed = { quick: false, seed: undefined, only: undefined, reap: undefined };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--quick') parsed.quick = true;
    else if (arg === '--seed') parsed.seed = Number(argv[++i]);
    else if (arg === '--only') parsed.only = String(argv[++i]).split(',');
    else if (arg === '--reap' && ['live', 'deferred'].includes(argv[i + 1]))
      parsed.reap = argv[++i];
    else {
      process.stderr.write(
        `chaos: unknown argument ${arg}\nusage: npm run chaos -- [--quick] [--seed N] [--only NAME[,NAME]] [--reap live|deferred]\n`,
      );
      process.exit(2);
    }
  }
  if (parsed.seed !== undefined && !Number.isInteger(parsed.seed)) {
    process.stderr.write('chaos: --seed takes an integer\n');
    process.exit(2);
  }
  const names = SCENARIOS.map((s) => s.name);
  const unknown = (parsed.only ?? []).filter((n) => !names.includes(n));
  if (unknown.length > 0) {
    process.stderr.write(
      `chaos: unknown scenario ${unknown.join(', ')} (one of ${names.join(', ')})\n`,
    );
    process.exit(2);
  }
  return parsed;
}

/** The python3 interpreter that runs chaos/lib/reaper.py, resolved past any shim. */
function findPython() {
  try {
    return execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], {
      encoding: 'utf8',
    }).trim();
  } catch {
    process.stderr.write(
      'chaos: python3 is needed to run chaos/lib/reaper.py (the init of each scenario)\n',
    );
    process.exit(2);
  }
}
