// The supervisor's crash → restart gap while the in-process dashboard runs, next to the gap
// without it: `overseer up` in a pseudo-terminal (stdin and stdout TTYs, CI unset: the
// dashboard) against `overseer up --no-tui` in one (prefixed lines), on a stack of 20 idle
// processes and `crasher`, which exits at once and is restarted with no delay.
//
// The crasher stamps the wall clock (µs) as its code starts and just before it exits, into a
// file; a gap is a run's start minus the exit of the run before, so nothing here sleeps to
// measure. Two crashers: node (what a node service sees, its boot included) and bash (no
// boot to speak of: the supervisor's own part). The two modes take turns in windows of at
// least `restarts` restarts and 3 s each, the first restarts of every `up` left out (the
// stack and the dashboard starting).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pty from 'node-pty';
import { now, round, sleep, summarize } from './lib.mjs';
import { readCpu } from './proc.mjs';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const CRASHERS = {
  node: [process.execPath, fileURLToPath(new URL('./fixtures/crash-stamped.mjs', import.meta.url))],
  bash: ['bash', fileURLToPath(new URL('./fixtures/crash-stamped.sh', import.meta.url))],
};
/** Ink's begin-synchronized-update: one per frame the dashboard writes. */
const FRAME_START = '\u001b[?2026h';
/** Restarts of each `up` left out before its window: the stack and the dashboard starting. */
const SKIPPED = 20;
export const GAP_TARGET_MS = 1;
/**
 * A window lasts at least this long, however fast the crasher comes back (bash: some 200
 * times a second), so that it holds several of the dashboard's refreshes.
 */
const MIN_WINDOW_MS = 3_000;

/**
 * The stack: 20 `sleep 3600` and the crasher. `delay: 0` makes every backoff 0 whatever the
 * streak of short runs (`delay × factor^(n-1)`), and 100,000 restarts a second is a budget
 * no window spends, so the gaps stay flat: the benchmark checks they do.
 */
function stackYaml(crasher, stamps) {
  const sleepers = Array.from(
    { length: 20 },
    (_, index) => `  p${index}:\n    command: ["sleep", "3600"]\n`,
  ).join('');
  return `version: 1\nname: gap\nprocesses:\n${sleepers}  crasher:\n    command: ${JSON.stringify([...crasher, stamps])}\n    restart: { policy: always, delay: 0, factor: 1, max_restarts: 100000, window: 1s }\n`;
}

/** `[start, exit]` stamps in ms of every complete run in the file, in order. */
function readRuns(stamps) {
  let text;
  try {
    text = readFileSync(stamps, 'utf8');
  } catch {
    return [];
  }
  const runs = [];
  let start;
  for (const line of text.split('\n')) {
    const [kind, micros] = line.split(' ');
    if (kind === 'S') start = Number(micros) / 1000;
    else if (kind === 'E' && start !== undefined) {
      runs.push([start, Number(micros) / 1000]);
      start = undefined;
    }
  }
  return runs;
}

/** Polls `test` every 10 ms (a wait on the crasher's file, not a measure) until it holds. */
async function until(test, what, timeoutMs = 60_000) {
  const deadline = now() + timeoutMs;
  while (!test()) {
    if (now() > deadline) throw new Error(`restart gap: ${what} not within ${timeoutMs} ms`);
    await sleep(10);
  }
}

/**
 * One window: `up` (or `up --no-tui`) in a fresh pseudo-terminal until the crasher has been
 * restarted `restarts` times past the skipped ones and 3 s have passed, then Ctrl-C. Returns its gaps in order,
 * `up`'s CPU share of one core and the dashboard's frames a second over the window.
 */
async function gapWindow({ dir, crasher, dashboard, restarts, ledger, cols, rows }) {
  const stamps = join(dir, 'stamps.log');
  rmSync(stamps, { force: true });
  writeFileSync(join(dir, 'overseer.yaml'), stackYaml(crasher, stamps));
  const env = { ...process.env, TERM: 'xterm-256color' };
  for (const name of ['CI', 'NO_COLOR', 'FORCE_COLOR', 'NODE_ENV']) delete env[name];
  const args = dashboard ? [CLI, 'up'] : [CLI, 'up', '--no-tui'];
  const child = pty.spawn(process.execPath, args, {
    name: 'xterm-256color',
    cols,
    rows,
    cwd: dir,
    env,
  });
  let raw = '';
  child.onData((data) => {
    raw += data;
  });
  const exited = new Promise((resolve) => child.onExit(resolve));
  const frames = () => raw.split(FRAME_START).length - 1;
  try {
    await until(() => readRuns(stamps).length >= SKIPPED, `${SKIPPED} runs of the crasher`);
    ledger.add(child.pid);
    if (dashboard) await until(() => frames() > 0, 'a frame of the dashboard');
    const first = readRuns(stamps).length;
    const before = { at: now(), cpu: readCpu(child.pid)?.statMs, frames: frames() };
    await until(
      () => readRuns(stamps).length > first + restarts && now() - before.at >= MIN_WINDOW_MS,
      `${restarts} restarts`,
    );
    const seconds = (now() - before.at) / 1000;
    const cpu = readCpu(child.pid)?.statMs;
    const windowFrames = frames() - before.frames;
    const runs = readRuns(stamps).slice(first - 1);
    const gaps = runs.slice(1).map(([start], index) => round(start - runs[index][1]));
    child.write('\u0003');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const exit = await exited;
    clearTimeout(timer);
    if (exit.exitCode !== 0)
      throw new Error(`up exited ${exit.exitCode} on Ctrl-C:\n${raw.slice(-2000)}`);
    if (!dashboard && frames() > 0) throw new Error('up --no-tui drew the dashboard');
    return {
      gaps,
      upShare: round((cpu - before.cpu) / 1000 / seconds),
      framesPerSecond: round(windowFrames / seconds),
      restartsPerSecond: round((runs.length - 1) / seconds),
    };
  } finally {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
}

/** Median of the first and of the last fifth of each window's gaps, pooled: flat if alike. */
function flatness(windows) {
  const part = (pick) =>
    summarize(
      windows.flatMap(({ gaps }) => {
        const fifth = Math.max(1, Math.floor(gaps.length / 5));
        return pick(gaps, fifth);
      }),
    ).median;
  return {
    firstFifthMedian: part((gaps, fifth) => gaps.slice(0, fifth)),
    lastFifthMedian: part((gaps, fifth) => gaps.slice(-fifth)),
  };
}

/**
 * For each crasher, `windows` windows per mode, the modes taking turns (who goes first
 * alternates). Returns, per crasher and mode, every window and the pooled summary.
 */
export async function measureRestartGaps({ dir, windows, restarts, ledger, cols, rows, log }) {
  const results = {};
  for (const [kind, crasher] of Object.entries(CRASHERS)) {
    const modes = { dashboard: [], plain: [] };
    for (let window = 0; window < windows; window++) {
      const order = window % 2 === 0 ? ['dashboard', 'plain'] : ['plain', 'dashboard'];
      for (const mode of order) {
        const dashboard = mode === 'dashboard';
        const result = await gapWindow({ dir, crasher, dashboard, restarts, ledger, cols, rows });
        modes[mode].push(result);
        const { median, p90 } = summarize(result.gaps);
        log(
          `  restart gap, ${kind} crasher, ${mode} ${window + 1}/${windows}: median ${median} ms, p90 ${p90} ms, ${result.restartsPerSecond} restarts/s, up CPU ${result.upShare}, ${result.framesPerSecond} frames/s`,
        );
      }
    }
    results[kind] = Object.fromEntries(
      Object.entries(modes).map(([mode, list]) => [
        mode,
        {
          summary: summarize(list.flatMap(({ gaps }) => gaps)),
          ...flatness(list),
          upShare: summarize(list.map(({ upShare }) => upShare)).median,
          framesPerSecond: summarize(list.map(({ framesPerSecond }) => framesPerSecond)).median,
          restartsPerSecond: summarize(list.map(({ restartsPerSecond }) => restartsPerSecond))
            .median,
          windows: list,
        },
      ]),
    );
  }
  return results;
}

/** The table's rows: per crasher, the gap with and without the dashboard, and its flatness. */
export function restartGapRows(results) {
  const ms = (value) => `${value.toFixed(2)} ms`;
  return Object.entries(results).flatMap(([kind, { dashboard, plain }]) => {
    const difference = dashboard.summary.median - plain.summary.median;
    const crasher = kind === 'node' ? 'a node crasher (its boot included)' : 'a bash crasher';
    return [
      {
        label: `restart gap (exit → next start), ${crasher}: \`up\` with the dashboard`,
        value: `${ms(dashboard.summary.median)} (p90 ${ms(dashboard.summary.p90)})`,
        nextTo: `\`up --no-tui\` ${ms(plain.summary.median)} (p90 ${ms(plain.summary.p90)}): ${difference >= 0 ? '+' : '−'}${ms(Math.abs(difference))}`,
        target: `≤ +${GAP_TARGET_MS} ms`,
        verdict: difference <= GAP_TARGET_MS ? 'PASS' : 'MISS',
      },
      {
        label: `the same, flat? medians of each window's first / last fifth`,
        value: `dashboard ${ms(dashboard.firstFifthMedian)} / ${ms(dashboard.lastFifthMedian)}`,
        nextTo: `\`--no-tui\` ${ms(plain.firstFifthMedian)} / ${ms(plain.lastFifthMedian)}; gaps ${dashboard.summary.n} / ${plain.summary.n}, restarts/s ${dashboard.restartsPerSecond} / ${plain.restartsPerSecond}, \`up\` CPU ${(dashboard.upShare * 100).toFixed(0)} % / ${(plain.upShare * 100).toFixed(0)} % of a core, ${dashboard.framesPerSecond} frames/s`,
        target: '—',
        verdict: '—',
      },
    ];
  });
}
