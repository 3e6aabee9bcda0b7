// The cost of a rolling reload (`reload(name)`), written to bench/results/reload.json and
// reload.md (run alone with `BENCH_ONLY=reload node bench/run.mjs` after `npm run build`).
//
// A supervisor in this process runs N instances of a node program that prints "ready"
// (its readiness probe: a log line). Each round times, interleaved:
// - the floor: `await restart('web-k')` for each instance in turn, by hand: each stopped and
//   started again until its new run is ready before the next; what a rolling restart costs
//   at the least;
// - `reload('web')`: the same done by the supervisor. Its time minus the floor's, per
//   instance, is what the rolling sequence adds per step (judging the replacement, going
//   on to the next).
// The sides alternate which goes first. During both, the instances that are `running` are
// counted at every event: the fewest seen during a reload must be N-1.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Supervisor } from '../dist/index.js';
import { formatMs, machine, now, round, Samples, summarize } from './lib.mjs';

const INSTANCES = Math.max(2, Number(process.env.BENCH_RELOAD_INSTANCES ?? 4));
const ROUNDS = Math.max(1, Number(process.env.BENCH_RELOAD_ROUNDS ?? 10));
const RESULTS = new URL('./results/', import.meta.url);
const IDLE = fileURLToPath(new URL('./fixtures/idle.mjs', import.meta.url));
/** What the sequencing may add per replaced instance, over a plain restart of one. */
const TARGET_OVERHEAD_MS = 5;

let supervisor;

/** Stops what this benchmark started, if it is still running. */
export function cleanupReload() {
  void supervisor?.shutdown({ force: true });
}

/** The floor: each instance restarted in turn, the next once the previous is ready. */
async function byHand() {
  for (let k = 0; k < INSTANCES; k++) await supervisor.restart(`web-${k}`);
}

async function rolling() {
  const report = await supervisor.reload('web');
  if (!report.ok) throw new Error(`reload failed: ${JSON.stringify(report.instances)}`);
}

export async function runReloadBenchmark() {
  const host = machine();
  const date = new Date().toISOString();
  console.log(`\nreload benchmark: ${INSTANCES} instances, ${ROUNDS} rounds`);
  supervisor = new Supervisor({ sampleInterval: 0 });
  supervisor.add({
    name: 'web',
    command: [process.execPath, IDLE],
    instances: INSTANCES,
    readiness: { log: '^ready$' },
  });
  await supervisor.up();
  const samples = new Samples();
  let fewestReady = INSTANCES;
  try {
    for (let r = 0; r < ROUNDS; r++) {
      const sides = [byHand, rolling];
      if (r % 2 === 1) sides.reverse();
      const times = {};
      for (const side of sides) {
        let fewest = INSTANCES;
        const dispose = supervisor.onAny(() => {
          const ready = supervisor.list().filter((row) => row.status === 'running').length;
          fewest = Math.min(fewest, ready);
        });
        const began = now();
        await side();
        times[side.name] = now() - began;
        dispose();
        if (side === rolling) fewestReady = Math.min(fewestReady, fewest);
      }
      samples.record('floor', times.byHand);
      samples.record('reload', times.rolling);
      samples.record('overheadPerInstance', (times.rolling - times.byHand) / INSTANCES);
      process.stdout.write('.');
    }
  } finally {
    await supervisor.shutdown();
  }
  const metrics = Object.fromEntries(
    [...samples.entries()].map(([id, values]) => [
      id,
      { unit: 'ms', ...summarize(values), samples: values.map(round) },
    ]),
  );
  const overhead = metrics.overheadPerInstance.median;
  const ok = overhead <= TARGET_OVERHEAD_MS && fewestReady >= INSTANCES - 1;
  mkdirSync(RESULTS, { recursive: true });
  const json = { date, machine: host, instances: INSTANCES, rounds: ROUNDS, fewestReady, metrics };
  writeFileSync(new URL('reload.json', RESULTS), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(new URL('reload.md', RESULTS), markdown(json));
  console.log(`\n${markdown(json)}`);
  return ok;
}

function markdown({ date, machine: host, instances, rounds, fewestReady, metrics }) {
  const row = (what, id, target = '') => {
    const m = metrics[id];
    return `| ${what} | ${formatMs(m.median)} | ${formatMs(m.p90)} | ${target} |`;
  };
  return `# Rolling reload (${host.cpus} cores, Node ${host.node}, ${date.slice(0, 10)}, medians of ${rounds} rounds)

${instances} instances of an idle node program, ready on its first line of output; a
supervisor in the benchmark's own process. Load average at start: ${host.loadavgAtStart.join(', ')}.

| measure | median | p90 | target |
|---|---|---|---|
${row(`floor: restart of each of the ${instances} in turn, by hand, each ready before the next`, 'floor')}
${row(`reload of the ${instances}`, 'reload')}
${row('what the rolling sequence adds per instance ((reload − floor) / instances)', 'overheadPerInstance', `≤ ${TARGET_OVERHEAD_MS} ms`)}

Fewest instances \`running\` at any event during a reload: ${fewestReady} of ${instances} (must be ${instances - 1}).
`;
}
