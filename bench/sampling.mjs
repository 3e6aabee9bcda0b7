// The cost of resource sampling, in two parts, written to bench/results/sampling.json and
// sampling.md (run alone with `node bench/sampling.mjs` after `npm run build`, or through
// `npm run bench`):
//
// 1. One sampling pass: the CPU one `TreeSampler.sample()` costs over N idle trees (N = 100,
//    500), per process, after the first pass (which opens the handles it keeps).
// 2. The supervisor's CPU per minute while it supervises N idle processes with sampling on
//    at its default interval, once settled: the overseer daemon (`overseer up -d`), the
//    same with sampling off (`sample_interval: 0`, the share sampling costs), and PM2's
//    daemon (which reads memory and CPU every 30 s), in the same run, sides alternating.
//    CPU is the daemon's own, from /proc: the run time of its threads (schedstat, ns) and
//    utime + stime (10 ms ticks) as a cross-check.
//
// Every daemon and child is recorded by pid and start time and SIGKILLed if still alive at
// the end; PM2 runs with a temporary PM2_HOME and is ended with `pm2 kill`.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatMs, machine, now, round, sleep, summarize } from './lib.mjs';
import { ProcessLedger, readCpu, sendSignal } from './proc.mjs';

const fromRoot = (path) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const OVERSEER_CLI = fromRoot('dist/cli/main.js');
const PM2_CLI = fromRoot('node_modules/pm2/bin/pm2');
const RESULTS = new URL('./results/', import.meta.url);

const SIZES = [100, 500];
/** How long the daemon's CPU is measured for, once settled. */
const WINDOW_MS = Number(process.env.BENCH_SAMPLING_WINDOW_MS ?? 60_000);
/** How long a freshly started stack is left alone before measuring: V8 shrinks the heap of
 * a daemon that just started 500 children for about a minute. */
const SETTLE_MS = Number(process.env.BENCH_SAMPLING_SETTLE_MS ?? 60_000);
const ROUNDS = Math.max(1, Number(process.env.BENCH_SAMPLING_ROUNDS ?? 1));
/** Passes timed per size in part 1. */
const PASSES = 30;
const SLEEPER = ['sleep', '3600'];

const TARGETS = { cpuPerMinuteAt500Ms: 100, passPerProcessUs: 20 };

/** Every process started here, by pid and start time, so none outlives the benchmark. */
const ledger = new ProcessLedger();

/** SIGKILLs whatever this benchmark started that is still alive; returns how many. */
export function cleanupSampling() {
  return ledger.killAll();
}

/** The daemon's CPU so far, in ms: its threads' run time (schedstat) and utime + stime. */
function daemonCpu(pid) {
  const cpu = readCpu(pid);
  if (!cpu) throw new Error(`daemon ${pid} is gone`);
  return cpu;
}

function run(args, { cwd, env = process.env, timeoutMs = 180_000 } = {}) {
  return new Promise((resolve, reject) => {
    const output = [];
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`node ${args.join(' ')} timed out`));
    }, timeoutMs);
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      const text = Buffer.concat(output).toString('utf8');
      if (code === 0) resolve(text);
      else reject(new Error(`node ${args.join(' ')} exited ${code}: ${text.trim().slice(-500)}`));
    });
  });
}

/** overseer's daemon over N sleepers; `sampleInterval` 0 turns sampling off. */
class OverseerStack {
  constructor(root, count, sampling) {
    this.id = sampling ? 'overseer' : 'overseer-off';
    this.dir = mkdtempSync(join(root, sampling ? 'o-' : 'f-'));
    const settings = sampling ? '' : 'settings:\n  sample_interval: 0\n';
    writeFileSync(
      join(this.dir, 'overseer.yaml'),
      `version: 1\nname: sampling${count}\n${settings}processes:\n  sleeper:\n    command: ${JSON.stringify(SLEEPER)}\n    instances: ${count}\n    restart: { min_uptime: 0 }\n`,
    );
  }

  async start() {
    await run([OVERSEER_CLI, 'up', '-d'], { cwd: this.dir });
    const { pid } = JSON.parse(readFileSync(join(this.dir, '.overseer', 'overseer.pid'), 'utf8'));
    this.pid = pid;
    ledger.add(pid);
  }

  /** The interval the daemon chose, from the sample times of one process (ms). */
  async interval() {
    if (this.id !== 'overseer') return null;
    const details = JSON.parse(
      await run([OVERSEER_CLI, 'inspect', 'sleeper-0', '--json'], { cwd: this.dir }),
    );
    const at = details.resources.history.map((sample) => sample.at);
    return at.length < 2 ? null : round((at.at(-1) - at[0]) / (at.length - 1));
  }

  async stop() {
    await run([OVERSEER_CLI, 'down'], { cwd: this.dir });
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** PM2's daemon over N sleepers, exec'd directly (`interpreter: none`), its own PM2_HOME. */
class Pm2Stack {
  constructor(root, count) {
    this.id = 'pm2';
    this.count = count;
    this.dir = mkdtempSync(join(root, 'p-'));
    this.env = { ...process.env, PM2_HOME: join(this.dir, 'h') };
    const [script, ...args] = SLEEPER;
    const app = {
      name: 'sleeper',
      script,
      args: args.join(' '),
      interpreter: 'none',
      exec_mode: 'fork',
      instances: count,
      autorestart: true,
    };
    writeFileSync(
      join(this.dir, 'ecosystem.config.cjs'),
      `module.exports = ${JSON.stringify({ apps: [app] })};\n`,
    );
  }

  pm2(...args) {
    return run([PM2_CLI, ...args], { cwd: this.dir, env: this.env });
  }

  async start() {
    await this.pm2('start', 'ecosystem.config.cjs');
    for (const deadline = now() + 180_000; ; await sleep(500)) {
      const list = JSON.parse(await this.pm2('jlist'));
      if (list.filter((entry) => entry.pm2_env?.status === 'online').length === this.count) break;
      if (now() > deadline) throw new Error('pm2: not every instance came online');
    }
    this.pid = Number(readFileSync(join(this.dir, 'h', 'pm2.pid'), 'utf8').trim());
    ledger.add(this.pid);
  }

  async stop() {
    await this.pm2('kill');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Part 2: a stack started cold, left to settle, then its daemon's CPU over the window. */
async function measureStack(stack) {
  await stack.start();
  try {
    await sleep(SETTLE_MS);
    const before = daemonCpu(stack.pid);
    const t0 = now();
    await sleep(WINDOW_MS);
    const after = daemonCpu(stack.pid);
    const minutes = (now() - t0) / 60_000;
    return {
      schedMsPerMinute: round((after.schedMs - before.schedMs) / minutes),
      statMsPerMinute: round((after.statMs - before.statMs) / minutes),
      intervalMs: stack.interval ? await stack.interval() : null,
    };
  } finally {
    ledger.track(stack.pid);
    await stack
      .stop()
      .catch((error) => console.error(`  ${stack.id}: stop failed: ${error.message}`));
  }
}

/** Part 1: N idle trees tracked by a TreeSampler, CPU per pass after the first. */
async function measurePasses(count) {
  const { TreeSampler } = await import(
    new URL('../dist/runtime/sampling/sampler.js', import.meta.url).href
  );
  const children = [];
  try {
    for (let index = 0; index < count; index += 1) {
      const [file, ...args] = SLEEPER;
      const child = spawn(file, args, { detached: true, stdio: 'ignore' });
      children.push(child);
      await new Promise((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', reject);
      });
      ledger.add(child.pid);
    }
    const sampler = new TreeSampler();
    for (const child of children) sampler.track(child.pid);
    const cpu = () => {
      const usage = process.cpuUsage();
      return usage.user + usage.system;
    };
    let at = Date.now();
    const firstStart = cpu();
    sampler.sample(at);
    const firstUs = cpu() - firstStart;
    const passes = [];
    let sampled = 0;
    for (let pass = 0; pass < PASSES; pass += 1) {
      await sleep(20);
      at = Date.now();
      const start = cpu();
      const samples = sampler.sample(at);
      passes.push(cpu() - start);
      sampled = samples.size;
    }
    sampler.close();
    if (sampled !== count) throw new Error(`sampled ${sampled} trees of ${count}`);
    const perPass = summarize(passes);
    return {
      count,
      procEntries: readdirSync('/proc').filter((name) => /^\d+$/.test(name)).length,
      firstPassUs: firstUs,
      passUs: perPass,
      perProcessUs: round(perPass.median / count),
    };
  } finally {
    for (const child of children) sendSignal(-child.pid, 'SIGKILL');
  }
}

function pm2Version() {
  try {
    return JSON.parse(readFileSync(fromRoot('node_modules/pm2/package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

function markdown({ date, host, passes, daemons, verdicts, durationMs }) {
  const median = (values) => summarize(values).median;
  const passRows = passes.map(
    (pass) =>
      `| ${pass.count} | ${pass.procEntries} | ${formatMs(pass.firstPassUs / 1000)} | ${formatMs(pass.passUs.median / 1000)} (p90 ${formatMs(pass.passUs.p90 / 1000)}) | ${pass.perProcessUs.toFixed(1)} µs |`,
  );
  const cell = (size, id, field) => {
    const values = daemons.filter((d) => d.count === size && d.id === id).map((d) => d[field]);
    return values.length === 0 ? '—' : `${Math.round(median(values))} ms`;
  };
  const interval = (size) => {
    const values = daemons
      .filter((d) => d.count === size && d.id === 'overseer' && d.intervalMs !== null)
      .map((d) => d.intervalMs);
    return values.length === 0 ? '—' : `${(median(values) / 1000).toFixed(1)} s`;
  };
  const daemonRows = SIZES.map(
    (size) =>
      `| ${size} | ${cell(size, 'overseer', 'schedMsPerMinute')} (${cell(size, 'overseer', 'statMsPerMinute')}) | ${cell(size, 'overseer-off', 'schedMsPerMinute')} (${cell(size, 'overseer-off', 'statMsPerMinute')}) | ${cell(size, 'pm2', 'schedMsPerMinute')} (${cell(size, 'pm2', 'statMsPerMinute')}) | ${interval(size)} |`,
  );
  return `# Sampling benchmark

Generated by \`bench/sampling.mjs\` on ${date}, in ${Math.round(durationMs / 1000)} s.
Machine: ${host.cpus} × ${host.cpuModel}, ${(host.totalMemoryBytes / 1024 ** 3).toFixed(0)} GiB,
${host.platform}, Node ${host.node}, PM2 ${pm2Version()}; load average at start
${host.loadavgAtStart.join(' / ')}. Every figure is in \`sampling.json\`.

## One sampling pass

\`TreeSampler.sample()\` over N idle trees (\`sleep 3600\`, one process each), in this
process, CPU from \`process.cpuUsage()\`; median of ${PASSES} passes after the first. A pass
lists /proc (all of its entries: "/proc entries"), reads each tracked process's \`stat\`
through the handle it keeps open, and counts its descriptors with one \`fstat\`. The first
pass also reads every other pid once and opens the handles.

| trees | /proc entries | first pass | later pass | per process |
|---|---|---|---|---|
${passRows.join('\n')}

Target: ≤ ${TARGETS.passPerProcessUs} µs of CPU per process — **${verdicts.pass}**.

## The supervisor's CPU per minute, N idle processes

Each stack started cold, left alone ${SETTLE_MS / 1000} s, then the daemon's CPU measured over
${WINDOW_MS / 1000} s and scaled to a minute: its threads' run time (schedstat), and in brackets
utime + stime (10 ms ticks). overseer samples at its default, paced by the cost of its own
passes (every 2 s to 15 s, holding passes to 0.04 % of a core; the interval it settled on
is in the last column); "sampling off" is the same daemon with \`sample_interval: 0\`, so
the difference is what sampling costs. PM2 reads memory and CPU of its processes every
30 s. ${ROUNDS} round(s), sides alternating.

| processes | overseer (sampling, default) | overseer, sampling off | PM2 | overseer's interval |
|---|---|---|---|---|
${daemonRows.join('\n')}

Target at 500, once settled: ≤ ${TARGETS.cpuPerMinuteAt500Ms} ms per minute — **${verdicts.daemon}**.
`;
}

export async function runSamplingBenchmark() {
  const date = new Date().toISOString();
  const host = machine();
  const t0 = now();
  console.log(`\nsampling benchmark: ${host.cpus} × ${host.cpuModel}, Node ${host.node}`);
  const root = mkdtempSync(join(os.tmpdir(), 'ovs-'));
  const passes = [];
  const daemons = [];
  const errors = [];
  try {
    for (const count of SIZES) {
      const result = await measurePasses(count);
      passes.push(result);
      console.log(
        `  pass over ${count}: ${result.passUs.median} µs (${result.perProcessUs} µs per process), first ${result.firstPassUs} µs`,
      );
    }
    for (let index = 0; index < ROUNDS; index += 1) {
      for (const count of SIZES) {
        const sides = [
          () => new OverseerStack(root, count, true),
          () => new Pm2Stack(root, count),
          () => new OverseerStack(root, count, false),
        ];
        const order = index % 2 === 0 ? sides : [...sides].reverse();
        for (const make of order) {
          const stack = make();
          try {
            const cpu = await measureStack(stack);
            daemons.push({ id: stack.id, count, round: index + 1, ...cpu });
            const every = cpu.intervalMs === null ? '' : `, sampling every ${cpu.intervalMs} ms`;
            console.log(
              `  ${stack.id} with ${count}: ${cpu.schedMsPerMinute} ms/min (stat ${cpu.statMsPerMinute})${every}`,
            );
          } catch (error) {
            errors.push({ id: stack.id, count, message: String(error?.stack ?? error) });
            console.error(`  ${stack.id} with ${count} failed: ${error?.message ?? error}`);
          }
          const left = cleanupSampling();
          if (left > 0) console.error(`  killed ${left} leftover process(es)`);
        }
      }
    }
  } finally {
    cleanupSampling();
    rmSync(root, { recursive: true, force: true });
  }
  const at500 = daemons
    .filter((d) => d.count === 500 && d.id === 'overseer')
    .map((d) => d.schedMsPerMinute);
  const median500 = summarize(at500).median;
  const worstPerProcess = Math.max(...passes.map((pass) => pass.perProcessUs));
  const verdicts = {
    pass: worstPerProcess <= TARGETS.passPerProcessUs ? 'PASS' : 'MISS',
    daemon: median500 === null ? '—' : median500 <= TARGETS.cpuPerMinuteAt500Ms ? 'PASS' : 'MISS',
  };
  const durationMs = now() - t0;
  mkdirSync(RESULTS, { recursive: true });
  const json = {
    date,
    machine: host,
    pm2: pm2Version(),
    settings: { windowMs: WINDOW_MS, settleMs: SETTLE_MS, rounds: ROUNDS, passes: PASSES },
    targets: TARGETS,
    verdicts,
    passes,
    daemons,
    errors,
    durationMs: round(durationMs),
  };
  writeFileSync(new URL('sampling.json', RESULTS), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(
    new URL('sampling.md', RESULTS),
    markdown({ date, host, passes, daemons, verdicts, durationMs }),
  );
  console.log(
    `  pass ≤ ${TARGETS.passPerProcessUs} µs/process: ${verdicts.pass}; 500 processes ≤ ${TARGETS.cpuPerMinuteAt500Ms} ms/min: ${verdicts.daemon}`,
  );
  console.log('bench/results/sampling.json and sampling.md written');
  return errors.length === 0;
}

// Run alone: `node bench/sampling.mjs` (after `npm run build`).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.on('exit', cleanupSampling);
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      cleanupSampling();
      process.exit(130);
    });
  }
  const ok = await runSamplingBenchmark();
  if (!ok) process.exitCode = 1;
}
