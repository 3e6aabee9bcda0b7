// The cost of namespaces: `overseer ps --json` of 200 processes in 4 namespaces next to 200
// without one, through the built CLI as a user runs it, `node -e 0` as the floor, in one run
// with the calls interleaved (who goes first rotates); and the one resolver alone, inside
// the process, resolving a namespace of 200 declared processes next to resolving `all`
// (today's path). Medians. Writes bench/results/namespaces.json (every sample) and
// namespaces.md. Never fails on a missed target.
//
//   BENCH_ONLY=namespaces node bench/run.mjs     (or: node bench/namespaces.mjs)
//   BENCH_NS_CALLS=15 (CLI calls per command)  BENCH_NS_RESOLUTIONS=20000
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveSelectors, resolveTarget } from '../dist/core/stack/selector.js';
import { formatMs, machine, now, round, Samples, summarize } from './lib.mjs';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const RESULTS = new URL('./results/', import.meta.url);
const PROCESSES = 200;
const NAMESPACES = 4;
const CALLS = Math.max(1, Number(process.env.BENCH_NS_CALLS ?? 15));
const RESOLUTIONS = Math.max(100, Number(process.env.BENCH_NS_RESOLUTIONS ?? 20_000));

const stacks = [];

/** A stack of 200 `sleep 3600` entries, in 4 namespaces or none, brought up with `up -d`. */
function startStack(id, namespaced) {
  const dir = mkdtempSync(join(os.tmpdir(), `overseer-ns-${id}-`));
  const entries = Array.from({ length: PROCESSES }, (_, index) => {
    const namespace = namespaced ? `    namespace: ns${index % NAMESPACES}\n` : '';
    return `  p${index}:\n${namespace}    command: ["sleep", "3600"]\n    restart: { min_uptime: 0 }\n`;
  });
  writeFileSync(
    join(dir, 'overseer.yaml'),
    `version: 1\nname: ${id}\nprocesses:\n${entries.join('')}`,
  );
  const stack = { id, dir };
  stacks.push(stack);
  const up = overseer(stack, ['up', '-d']);
  if (up.status !== 0) throw new Error(`${id}: up -d failed: ${up.stderr}`);
  stack.pid = JSON.parse(readFileSync(join(dir, '.overseer', 'overseer.pid'), 'utf8')).pid;
  return stack;
}

function overseer(stack, args) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd: stack.dir, encoding: 'utf8' });
}

/** One timed run of a command to its end; throws on a failed exit. */
function timed(args, cwd) {
  const t0 = now();
  const result = spawnSync(process.execPath, args, { cwd, encoding: 'utf8' });
  const ms = now() - t0;
  if (result.status !== 0)
    throw new Error(`${args.join(' ')}: exit ${result.status}: ${result.stderr}`);
  return { ms, stdout: result.stdout };
}

/** Tears every stack down (`down`, then SIGKILL of a daemon still alive) and removes its folder. */
export function cleanupNamespaces() {
  for (const stack of stacks.splice(0)) {
    overseer(stack, ['down']);
    try {
      if (stack.pid) process.kill(stack.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    rmSync(stack.dir, { recursive: true, force: true });
  }
}

/** µs per call of `resolve`, over `RESOLUTIONS` calls in 20 batches: the batches' median. */
function perCall(resolve) {
  const batch = Math.ceil(RESOLUTIONS / 20);
  const batches = [];
  for (let b = 0; b < 20; b++) {
    const t0 = now();
    for (let i = 0; i < batch; i++) resolve();
    batches.push(((now() - t0) / batch) * 1000);
  }
  return batches;
}

export async function runNamespacesBenchmark() {
  const started = now();
  const samples = new Samples();
  // Inside: the resolver alone, on the declared shape of the namespaced stack.
  const declared = Array.from({ length: PROCESSES }, (_, index) => ({
    name: `p${index}`,
    family: `p${index}`,
    namespace: `ns${index % NAMESPACES}`,
  }));
  for (let round = 0; round < 3; round++) {
    samples.record('inside.all', ...perCall(() => resolveSelectors(declared, [{ kind: 'all' }])));
    samples.record(
      'inside.namespace',
      ...perCall(() => resolveTarget(declared, { namespace: 'ns1' })),
    );
    samples.record(
      'inside.names',
      ...perCall(() => resolveTarget(declared, { names: ['p5', 'p101'], namespace: 'ns1' })),
    );
  }

  // Through the CLI: ps of each stack next to a bare node, interleaved.
  const plain = startStack('plain', false);
  const spaced = startStack('spaced', true);
  const calls = [
    ['node0', () => timed(['-e', '0'], plain.dir)],
    ['ps.plain', () => timed([CLI, 'ps', '--json'], plain.dir)],
    ['ps.namespaced', () => timed([CLI, 'ps', '--json'], spaced.dir)],
    ['ps.namespace', () => timed([CLI, 'ps', '-n', 'ns1', '--json'], spaced.dir)],
    ['table.plain', () => timed([CLI, 'ps'], plain.dir)],
    ['table.namespaced', () => timed([CLI, 'ps'], spaced.dir)],
  ];
  // Both stacks answer in full before anything is timed.
  const rows = JSON.parse(calls[2][1]().stdout).processes;
  if (rows.length !== PROCESSES || new Set(rows.map((row) => row.namespace)).size !== NAMESPACES) {
    throw new Error('the namespaced stack does not list 200 processes in 4 namespaces');
  }
  for (let call = 0; call < CALLS; call++) {
    const shift = call % calls.length;
    for (const [id, run] of [...calls.slice(shift), ...calls.slice(0, shift)]) {
      samples.record(id, run().ms);
    }
  }
  cleanupNamespaces();

  const median = (id) => samples.median(id);
  const us = (value) => (value === null ? '—' : `${value.toFixed(2)} µs`);
  const table = [
    [
      '`ps --json`, 200 processes, no namespace',
      formatMs(median('ps.plain')),
      `\`node -e 0\` ${formatMs(median('node0'))}`,
    ],
    [
      '`ps --json`, 200 processes in 4 namespaces',
      formatMs(median('ps.namespaced')),
      `no namespace ${formatMs(median('ps.plain'))}`,
    ],
    [
      '`ps -n ns1 --json`, 50 of those 200',
      formatMs(median('ps.namespace')),
      `all 200 ${formatMs(median('ps.namespaced'))}`,
    ],
    ['`ps` table, 200 processes, no namespace', formatMs(median('table.plain')), '—'],
    [
      '`ps` table, 200 in 4 namespaces (NAMESPACE column)',
      formatMs(median('table.namespaced')),
      `no namespace ${formatMs(median('table.plain'))}`,
    ],
    ["inside: resolve `all` of 200 (today's path)", us(median('inside.all')), '—'],
    [
      'inside: resolve `-n ns1` of 200',
      us(median('inside.namespace')),
      `\`all\` ${us(median('inside.all'))}`,
    ],
    [
      'inside: resolve `p5 p101 -n ns1` of 200',
      us(median('inside.names')),
      `\`all\` ${us(median('inside.all'))}`,
    ],
  ];
  const host = machine();
  const date = new Date().toISOString();
  const durationMs = now() - started;
  const markdown = [
    '# Namespaces benchmark',
    '',
    `Generated by \`BENCH_ONLY=namespaces node bench/run.mjs\` (bench/namespaces.mjs) on ${date}, in ${(durationMs / 1000).toFixed(0)} s.`,
    `Machine: ${host.cpus} × ${host.cpuModel}, ${host.platform}, Node ${host.node}; load average at start ${host.loadavgAtStart.join(' / ')}.`,
    `${CALLS} calls of each command, interleaved (who goes first rotates); the resolver: ${RESOLUTIONS} resolutions × 3 rounds, in batches. Medians.`,
    '',
    '| measurement | median | next to |',
    '|---|---|---|',
    ...table.map((row) => `| ${row.join(' | ')} |`),
    '',
  ].join('\n');
  mkdirSync(RESULTS, { recursive: true });
  const json = {
    date,
    host,
    durationMs: round(durationMs),
    calls: CALLS,
    resolutions: RESOLUTIONS,
    summary: Object.fromEntries([...samples.keys()].map((id) => [id, summarize(samples.get(id))])),
    samples: Object.fromEntries(samples),
  };
  writeFileSync(new URL('namespaces.json', RESULTS), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(new URL('namespaces.md', RESULTS), markdown);
  console.log(markdown);
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    await runNamespacesBenchmark();
  } finally {
    cleanupNamespaces();
  }
}
