// The dashboard benchmark: `overseer top` through the built CLI in a real pseudo-terminal
// (node-pty, a dev dependency: run it from a dev checkout), its screen read back through a
// headless xterm as a terminal would show it. Writes bench/results/tui.json (every sample)
// and bench/results/tui.md (the table the docs quote). Never fails on a missed target.
//
//   attach   from spawning `overseer top` to the first screen that shows every row of a
//            20-process stack running, next to `overseer ps` on the same stack (to its
//            exit), `node -e 0`, and a bare node importing the dashboard: the bundle the
//            build makes (what `top` loads) and its module files (what it loaded before);
//            runs interleaved (who goes first rotates); median, p90.
//   load     a stack of 100 processes, one of them (`chatty`) printing 50,000 lines a
//            second, measured over a window: the lines that reached chatty's log file,
//            the daemon's CPU (utime + stime from /proc) without `top`, then with `top`
//            attached and filtered to chatty (`/chatty` Enter), then with the filter
//            cleared (Esc: the selection, and the log pane, go back to p0; 25 of the 100
//            rows shown; the log pane each window follows is read off the screen); `top`'s
//            own CPU as a share of one core, and its redraws: frames (ink wraps each in the
//            synchronized-output mode ESC[?2026h … l) and writes reaching the terminal, a
//            second, next to the cadence of `settings.tui.refresh` (500 ms by default).
//   restart  the crash → restart gap of `overseer up` with its dashboard against `up
//            --no-tui`, the modes taking turns (bench/tui-restart-gap.mjs).
//
//   BENCH_ONLY=tui node bench/run.mjs     (or: node bench/tui.mjs)
//   BENCH_TUI_RUNS=10 (attach runs)  BENCH_TUI_WINDOW_SECONDS=10  BENCH_TUI_CHATTY_RATE=50000
//   BENCH_TUI_GAP_WINDOWS=4 (per mode and crasher)  BENCH_TUI_GAP_RESTARTS=100 (per window)
//   BENCH_TUI_PROFILE=DIR: `top` of the load runs with --cpu-prof, its profile written to DIR
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  fstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import xterm from '@xterm/headless';
import pty from 'node-pty';
import { formatMs, machine, now, round, Samples, settleCpu, sleep, summarize } from './lib.mjs';
import { CLOCK_TICKS, ProcessLedger, readCpu } from './proc.mjs';
import { GAP_TARGET_MS, measureRestartGaps, restartGapRows } from './tui-restart-gap.mjs';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
/** What `top` and `up` load (scripts/bundle-dashboard.mjs), and the modules it is made of. */
const DASHBOARD_BUNDLE = new URL('../dist/tui/dashboard.bundle.js', import.meta.url).href;
const DASHBOARD_MODULES = new URL('../dist/tui/run-dashboard.js', import.meta.url).href;
const CHATTY = fileURLToPath(new URL('./fixtures/chatty.mjs', import.meta.url));
const RESULTS = new URL('./results/', import.meta.url);
const RUNS = Math.max(1, Number(process.env.BENCH_TUI_RUNS ?? 10));
const WINDOW_MS = Math.max(1, Number(process.env.BENCH_TUI_WINDOW_SECONDS ?? 10)) * 1000;
const CHATTY_RATE = Math.max(1, Number(process.env.BENCH_TUI_CHATTY_RATE ?? 50_000));
const PROFILE_DIR = process.env.BENCH_TUI_PROFILE;
const GAP_WINDOWS = Math.max(1, Number(process.env.BENCH_TUI_GAP_WINDOWS ?? 4));
const GAP_RESTARTS = Math.max(2, Number(process.env.BENCH_TUI_GAP_RESTARTS ?? 100));

/** Tall enough for 20 rows beside the log pane (which takes 40 % of what the chrome leaves). */
const COLS = 120;
const ROWS = 50;
const ATTACH_PROCESSES = 20;
const LOAD_PROCESSES = 100;
/** `settings.tui.refresh`'s default: the dashboard reads its rows at most this often. */
const REFRESH_MS = 500;
/** Frames a second allowed over the cadence: the 1 s tick and an action may add one. */
const FRAME_SLACK = 0.5;
const TARGETS = {
  attachMs: 300,
  cpuShare: 0.1,
  framesPerSecond: 1000 / REFRESH_MS + FRAME_SLACK,
  restartGapMs: GAP_TARGET_MS,
};
/** Ink's begin-synchronized-update: one per frame written. */
const FRAME_START = '\u001b[?2026h';

const stacks = [];
const terminals = new Set();
const ledger = new ProcessLedger();

function overseer(stack, args) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd: stack.dir, encoding: 'utf8' });
}

/** A stack brought up with `up -d`, once every process in it runs. */
async function startStack(id, entries) {
  const dir = mkdtempSync(join(os.tmpdir(), `overseer-tui-${id}-`));
  writeFileSync(join(dir, 'overseer.yaml'), `version: 1\nname: ${id}\nprocesses:\n${entries}`);
  const stack = { id, dir };
  stacks.push(stack);
  const up = overseer(stack, ['up', '-d']);
  if (up.status !== 0) throw new Error(`${id}: up -d failed: ${up.stderr}`);
  stack.daemon = JSON.parse(readFileSync(join(dir, '.overseer', 'overseer.pid'), 'utf8')).pid;
  ledger.add(stack.daemon);
  const deadline = now() + 30_000;
  for (;;) {
    const { processes } = JSON.parse(overseer(stack, ['ps', '--json']).stdout);
    if (processes.every((row) => row.status === 'running')) return stack;
    if (now() > deadline) throw new Error(`${id}: not every process running after 30 s`);
    await sleep(100);
  }
}

function sleepers(count) {
  return Array.from(
    { length: count },
    (_, index) => `  p${index}:\n    command: ["sleep", "3600"]\n`,
  ).join('');
}

/** Tears every stack down (`down`, then SIGKILL of whatever is left) and removes its folder. */
export function cleanupTui() {
  for (const terminal of terminals) terminal.kill();
  for (const stack of stacks.splice(0)) {
    ledger.track(stack.daemon);
    overseer(stack, ['down']);
    rmSync(stack.dir, { recursive: true, force: true });
  }
  ledger.killAll();
}

/**
 * `overseer top` in a fresh pseudo-terminal, every byte fed to a headless xterm; `waitFor`
 * resolves on the first parsed frame whose screen passes `test`.
 */
function openTop(stack, { nodeFlags = [] } = {}) {
  const terminal = new xterm.Terminal({ cols: COLS, rows: ROWS, allowProposedApi: true });
  const env = { ...process.env, TERM: 'xterm-256color' };
  for (const name of ['CI', 'NO_COLOR', 'FORCE_COLOR', 'NODE_ENV']) delete env[name];
  const startedAt = now();
  const child = pty.spawn(process.execPath, [...nodeFlags, CLI, 'top'], {
    name: 'xterm-256color',
    cols: COLS,
    rows: ROWS,
    cwd: stack.dir,
    env,
  });
  const checks = new Set();
  const run = {
    pid: child.pid,
    startedAt,
    raw: '',
    writes: 0,
    firstOutputAt: undefined,
    screen() {
      const buffer = terminal.buffer.active;
      return Array.from(
        { length: ROWS },
        (_, row) => buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '',
      ).join('\n');
    },
    waitFor(test, what, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!test(run.screen())) return;
          clearTimeout(timer);
          checks.delete(check);
          resolve(now());
        };
        const timer = setTimeout(() => {
          checks.delete(check);
          reject(new Error(`top: no screen with ${what} in ${timeoutMs} ms:\n${run.screen()}`));
        }, timeoutMs);
        checks.add(check);
        check();
      });
    },
    press(keys) {
      child.write(keys);
    },
    /**
     * Sends `keys` once a screen passes `test` and the frame after it is drawn: ink hands
     * keys to the handler of the last render only after React ran its effects, which can
     * come after its frame is written, so a key sent the instant a frame shows can reach
     * the handler of the render before.
     */
    async pressOnceShown(test, what, keys) {
      await run.waitFor(test, what);
      const frames = countFrames(run.raw);
      await run.waitFor(() => countFrames(run.raw) > frames, `a frame after ${what}`);
      child.write(keys);
    },
    exited: new Promise((resolve) => child.onExit(resolve)),
    kill() {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // gone already
      }
    },
  };
  terminal.onWriteParsed(() => {
    for (const check of checks) check();
  });
  child.onData((data) => {
    run.firstOutputAt ??= now();
    run.raw += data;
    run.writes += 1;
    terminal.write(data);
  });
  terminals.add(run);
  void run.exited.then(() => {
    terminals.delete(run);
    terminal.dispose();
  });
  return run;
}

/** Quits with `q`, as a person would; killed if it has not ended 5 s later. */
async function quit(run) {
  await run.pressOnceShown(() => true, 'a screen', 'q');
  const timer = setTimeout(() => run.kill(), 5_000);
  const exit = await run.exited;
  clearTimeout(timer);
  if (exit.exitCode !== 0) throw new Error(`top exited ${exit.exitCode} on q`);
}

/** The screen's line of `name`'s row (selected `›` or not), if it shows. */
function lineOf(screen, name) {
  return screen.split('\n').find((line) => line.slice(2).startsWith(`${name} `));
}

function everyRowRunning(names) {
  return (screen) => names.every((name) => lineOf(screen, name)?.includes('● running'));
}

/** One `top`: spawn to the first screen showing every row running, in ms. */
async function attachOnce(stack, names) {
  const run = openTop(stack);
  const fullAt = await run.waitFor(everyRowRunning(names), 'every row running');
  const result = { full: fullAt - run.startedAt, firstOutput: run.firstOutputAt - run.startedAt };
  await quit(run);
  return result;
}

/** A bare node's arguments to import `url` and exit. */
function importing(url) {
  return ['--input-type=module', '-e', `await import('${url}')`];
}

function timed(args, cwd) {
  const t0 = now();
  const result = spawnSync(process.execPath, args, { cwd, encoding: 'utf8' });
  const ms = now() - t0;
  if (result.status !== 0) throw new Error(`${args.join(' ')}: exit ${result.status}`);
  return ms;
}

/** The number of the last line of chatty's log file: lines printed since it started. */
function chattyCount(stack) {
  const fd = openSync(join(stack.dir, '.overseer', 'logs', 'chatty.log'), 'r');
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, 16_384);
    const tail = Buffer.alloc(length);
    readSync(fd, tail, 0, length, size - length);
    const numbers = [...tail.toString('utf8').matchAll(/chatty (\d+) x+\n/g)];
    return Number(numbers.at(-1)?.[1] ?? 0);
  } finally {
    closeSync(fd);
  }
}

/**
 * Over one window: the daemon's CPU and, if `run` is given, `top`'s, as shares of a core;
 * its frames and writes a second; the lines chatty got into its log file a second.
 */
async function measureWindow(stack, run) {
  const cpuMs = (pid) => readCpu(pid)?.statMs ?? Number.NaN;
  const before = {
    at: now(),
    daemon: cpuMs(stack.daemon),
    top: run ? cpuMs(run.pid) : Number.NaN,
    frames: run ? countFrames(run.raw) : 0,
    writes: run?.writes ?? 0,
    lines: chattyCount(stack),
  };
  await sleep(WINDOW_MS);
  const seconds = (now() - before.at) / 1000;
  const share = (ms) => round(ms / 1000 / seconds);
  return {
    seconds: round(seconds),
    daemonShare: share(cpuMs(stack.daemon) - before.daemon),
    topShare: run ? share(cpuMs(run.pid) - before.top) : null,
    framesPerSecond: run ? round((countFrames(run.raw) - before.frames) / seconds) : null,
    writesPerSecond: run ? round((run.writes - before.writes) / seconds) : null,
    linesPerSecond: Math.round((chattyCount(stack) - before.lines) / seconds),
  };
}

function countFrames(raw) {
  return raw.split(FRAME_START).length - 1;
}

export async function runTuiBenchmark() {
  const started = now();
  const host = machine();
  const samples = new Samples();
  console.log(`overseer dashboard benchmark: ${host.cpus} × ${host.cpuModel}, Node ${host.node}`);

  // Attach: top next to ps and a bare node, on 20 idle processes.
  const names = Array.from({ length: ATTACH_PROCESSES }, (_, index) => `p${index}`);
  const small = await startStack('attach', sleepers(ATTACH_PROCESSES));
  await settleCpu({ minMs: 500 });
  await attachOnce(small, names); // warm-up: the page cache, the daemon's first answers
  const calls = [
    [
      'top',
      async () => {
        const { full, firstOutput } = await attachOnce(small, names);
        samples.record('attach.top.firstOutput', firstOutput);
        return full;
      },
    ],
    ['ps', async () => timed([CLI, 'ps'], small.dir)],
    ['node0', async () => timed(['-e', '0'], small.dir)],
    // What loading the dashboard's code (ink, react) alone costs a bare node: the bundle,
    // and the module files it replaced.
    ['importBundle', async () => timed(importing(DASHBOARD_BUNDLE), small.dir)],
    ['importModules', async () => timed(importing(DASHBOARD_MODULES), small.dir)],
  ];
  for (let call = 0; call < RUNS; call++) {
    const shift = call % calls.length;
    const line = [];
    for (const [id, run] of [...calls.slice(shift), ...calls.slice(0, shift)]) {
      const ms = await run();
      samples.record(`attach.${id}`, ms);
      line.push(`${id} ${formatMs(ms)}`);
    }
    console.log(`  attach ${call + 1}/${RUNS}: ${line.join(' | ')}`);
  }
  cleanupTui();

  // Load: 99 idle processes and chatty; the daemon alone, then with top attached.
  const big = await startStack(
    'load',
    `${sleepers(LOAD_PROCESSES - 1)}  chatty:\n    command: ${JSON.stringify([process.execPath, CHATTY, String(CHATTY_RATE)])}\n    logs: { max_size: 1GB, max_files: 1 }\n`,
  );
  // chatty keeps a core busy: the machine never goes idle, so this only lets the start pass.
  await settleCpu({ minMs: 2_000, maxMs: 3_000 });
  const windows = {};
  windows.alone = await measureWindow(big);
  console.log(`  without top: ${JSON.stringify(windows.alone)}`);

  const nodeFlags = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
  const run = openTop(big, { nodeFlags });
  await run.pressOnceShown((screen) => lineOf(screen, 'p0') !== undefined, 'the rows', '/');
  await run.pressOnceShown((screen) => /\/▏ {2}Enter keeps/.test(screen), 'the prompt', 'chatty');
  await run.pressOnceShown(
    (screen) => lineOf(screen, 'chatty') !== undefined && lineOf(screen, 'p0') === undefined,
    'only chatty',
    '\r',
  );
  await run.waitFor((screen) => /filter: chatty/.test(screen), 'the filter kept');
  windows.filtered = {
    ...(await measureWindow(big, run)),
    logPane: [...new Set(run.screen().match(/logs · [^·\n]+/g) ?? [])],
  };
  console.log(`  top, /chatty: ${JSON.stringify(windows.filtered)}`);

  // The filter was on screen before the window: Esc clears it.
  await run.pressOnceShown(() => true, 'a screen', '\u001b');
  await run.waitFor((screen) => /↕ \d+–\d+ of 100/.test(screen), 'every row, scrolled');
  windows.unfiltered = {
    ...(await measureWindow(big, run)),
    // What the log pane follows once the filter is cleared, as the screen says it.
    logPane: [...new Set(run.screen().match(/logs · [^·\n]+/g) ?? [])],
  };
  console.log(`  top, all rows: ${JSON.stringify(windows.unfiltered)}`);
  await quit(run);
  cleanupTui();

  // Restart gap: `up` with its dashboard against `up --no-tui`, in a folder of its own.
  const gapDir = mkdtempSync(join(os.tmpdir(), 'overseer-tui-gap-'));
  stacks.push({ id: 'gap', dir: gapDir });
  const gaps = await measureRestartGaps({
    dir: gapDir,
    windows: GAP_WINDOWS,
    restarts: GAP_RESTARTS,
    ledger,
    cols: COLS,
    rows: ROWS,
    log: (line) => console.log(line),
  });
  cleanupTui();

  const durationMs = now() - started;
  const date = new Date().toISOString();
  const attach = summarize(samples.get('attach.top'));
  const rows = [
    {
      label: `\`top\`: spawn → first screen with all ${ATTACH_PROCESSES} rows`,
      value: `${formatMs(attach.median)} (p90 ${formatMs(attach.p90)})`,
      nextTo: `\`ps\` ${formatMs(samples.median('attach.ps'))}, \`node -e 0\` ${formatMs(samples.median('attach.node0'))}`,
      target: `≤ ${TARGETS.attachMs} ms`,
      verdict: attach.median <= TARGETS.attachMs ? 'PASS' : 'MISS',
    },
    {
      label: '`top`: spawn → its first output',
      value: formatMs(samples.median('attach.top.firstOutput')),
      nextTo: '—',
      target: '—',
      verdict: '—',
    },
    {
      label: 'a bare node importing the dashboard (ink, react): the bundle `top` loads',
      value: formatMs(samples.median('attach.importBundle')),
      nextTo: `its module files ${formatMs(samples.median('attach.importModules'))}, \`node -e 0\` ${formatMs(samples.median('attach.node0'))}`,
      target: '—',
      verdict: '—',
    },
  ];
  for (const [id, label] of [
    ['filtered', 'filtered to chatty'],
    ['unfiltered', 'all 100 rows after Esc, the log pane on p0'],
  ]) {
    const window = windows[id];
    const judged = (target, met) => ({ target, verdict: met ? 'PASS' : 'MISS' });
    rows.push(
      {
        label: `\`top\` CPU, ${label}`,
        value: percent(window.topShare),
        nextTo: '—',
        ...judged(`≤ ${percent(TARGETS.cpuShare)} of a core`, window.topShare <= TARGETS.cpuShare),
      },
      {
        label: `\`top\` redraws, ${label}`,
        value: `${window.framesPerSecond} frames/s (${window.writesPerSecond} writes/s)`,
        nextTo: `refresh ${REFRESH_MS} ms: ${1000 / REFRESH_MS}/s`,
        ...judged(
          `≤ ${TARGETS.framesPerSecond}/s`,
          window.framesPerSecond <= TARGETS.framesPerSecond,
        ),
      },
      {
        label: `daemon CPU with \`top\` ${label}`,
        value: percent(window.daemonShare),
        nextTo: `without \`top\` ${percent(windows.alone.daemonShare)} (×${(window.daemonShare / windows.alone.daemonShare).toFixed(2)})`,
        target: '—',
        verdict: '—',
      },
    );
  }
  rows.push(...restartGapRows(gaps));
  const lineRates = Object.entries(windows)
    .map(([id, window]) => `${id} ${window.linesPerSecond.toLocaleString('en')}`)
    .join(', ');
  const markdown = [
    '# Dashboard benchmark',
    '',
    `Generated by \`BENCH_ONLY=tui node bench/run.mjs\` (bench/tui.mjs) on ${date}, in ${(durationMs / 1000).toFixed(0)} s.`,
    `Machine: ${host.cpus} × ${host.cpuModel}, ${host.platform}, Node ${host.node}; load average at start ${host.loadavgAtStart.join(' / ')}.`,
    `\`overseer top\` in a ${COLS}×${ROWS} pseudo-terminal (node-pty), read through @xterm/headless. Attach: ${RUNS} runs of each command, interleaved, medians. Load: windows of ${WINDOW_MS / 1000} s; CPU is utime + stime from /proc as a share of one core (${CLOCK_TICKS} ticks/s).`,
    `chatty asked for ${CHATTY_RATE.toLocaleString('en')} lines/s and got into its log file, per window: ${lineRates} lines/s.`,
    `Restart gap: \`overseer up\` (the dashboard) and \`up --no-tui\` in the same pseudo-terminal size, a stack of 20 \`sleep 3600\` and a crasher restarted with \`delay: 0\`; ${GAP_WINDOWS} windows of at least ${GAP_RESTARTS} restarts and 3 s per mode and crasher, the modes taking turns; the crasher stamps the wall clock as it starts and just before it exits.`,
    ...(PROFILE_DIR
      ? ['The first `top` of the load ran with `--cpu-prof`: its CPU figures include the profiler.']
      : []),
    '',
    '| measurement | figure | next to | target | result |',
    '|---|---|---|---|---|',
    ...rows.map(
      (row) => `| ${row.label} | ${row.value} | ${row.nextTo} | ${row.target} | ${row.verdict} |`,
    ),
    '',
  ].join('\n');
  mkdirSync(RESULTS, { recursive: true });
  const json = {
    date,
    host,
    durationMs: round(durationMs),
    runs: RUNS,
    windowMs: WINDOW_MS,
    chattyRate: CHATTY_RATE,
    terminal: { cols: COLS, rows: ROWS },
    targets: TARGETS,
    windows,
    restartGaps: gaps,
    rows,
    summary: Object.fromEntries([...samples.keys()].map((id) => [id, summarize(samples.get(id))])),
    samples: Object.fromEntries(samples),
  };
  writeFileSync(new URL('tui.json', RESULTS), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(new URL('tui.md', RESULTS), markdown);
  console.log(markdown);
  return true;
}

/** `7.5 %` for a share of 0.075. */
function percent(share) {
  return share === null || Number.isNaN(share) ? '—' : `${(share * 100).toFixed(1)} %`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    await runTuiBenchmark();
  } finally {
    cleanupTui();
  }
}
