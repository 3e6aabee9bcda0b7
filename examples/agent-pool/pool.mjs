// A pool of 50 one-off tasks run through the library, 5 at a time, by priority: most do a
// few hundred ms of work and succeed, some crash with an exit code, some grow past their
// 64 MB memory limit and are stopped, some run past their timeout, and a few fail once with
// a temporary error and succeed when retried. Prints one line per task and the
// supervisor's stats, then shuts the supervisor down: nothing it started is left running.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Supervisor } from 'overseer';

const here = new URL('.', import.meta.url).pathname;
const markers = mkdtempSync(join(tmpdir(), 'agent-pool-'));

// Sampling every 100 ms: a task that grows 16 MB every 20 ms is caught well before it
// takes the machine's memory (the default interval, 2 s or more, is made for services).
const supervisor = new Supervisor({ cwd: here, maxProcesses: 5, sampleInterval: 100 });

const PRIORITIES = ['normal', 'high', 'low', 'critical'];

/** The i-th task: its kind decides what it does and which limits it gets. */
function taskFor(i) {
  const priority = PRIORITIES[i % PRIORITIES.length];
  const base = { priority, labels: { pool: 'agents' }, timeout: '5s' };
  switch (i % 10) {
    case 3:
      return {
        ...base,
        name: `crasher-${i}`,
        command: ['node', 'work.mjs', 'crash', String(3 + (i % 4))],
      };
    case 5:
      return {
        ...base,
        name: `hog-${i}`,
        command: ['node', 'work.mjs', 'hog'],
        limits: { memory: '64MB', memory_action: 'stop' },
      };
    case 7:
      return { ...base, name: `slow-${i}`, command: ['node', 'work.mjs', 'slow'], timeout: '1s' };
    case 9:
      return {
        ...base,
        name: `flaky-${i}`,
        command: ['node', 'work.mjs', 'flaky', join(markers, `flaky-${i}`)],
        retry: { attempts: 3, delay: '100ms', exit_codes: [75] },
      };
    default:
      return {
        ...base,
        name: `worker-${i}`,
        command: ['node', 'work.mjs', 'ok', String(200 + (i % 4) * 100)],
      };
  }
}

const definitions = Array.from({ length: 50 }, (_, i) => taskFor(i));
const started = Date.now();
let results;
try {
  results = await Promise.all(definitions.map((definition) => supervisor.run(definition)));
} finally {
  // Whatever happened, nothing is left running: shutdown() ends every task and its tree.
  await supervisor.shutdown();
  rmSync(markers, { recursive: true, force: true });
}

const megabytes = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const rows = results.map((result, i) => [
  result.id,
  result.name,
  definitions[i].priority,
  result.status,
  result.exitCode === null ? (result.signal ?? '—') : String(result.exitCode),
  `${result.durationMs} ms`,
  megabytes(result.resourceUsage.peakMemoryBytes),
  String(result.attempts),
  result.reason ?? '',
]);
const header = [
  'id',
  'name',
  'priority',
  'status',
  'exit',
  'duration',
  'peak mem',
  'tries',
  'reason',
];
const widths = header.map((title, column) =>
  Math.max(title.length, ...rows.map((row) => row[column].length)),
);
const line = (cells) =>
  cells
    .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column])))
    .join('  ');
console.log(line(header));
console.log(line(widths.map((width) => '-'.repeat(width))));
for (const row of rows) console.log(line(row));

const { tasks, processes } = supervisor.stats();
console.log(`\nstats().tasks: ${JSON.stringify(tasks)}`);
console.log(`stats().processes: ${JSON.stringify(processes)}`);
console.log(
  `${results.length} tasks in ${((Date.now() - started) / 1000).toFixed(1)} s, 5 at a time; supervisor shut down`,
);
