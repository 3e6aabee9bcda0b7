/**
 * The task pool example (examples/agent-pool), run as a user runs it: `node pool.mjs`
 * against the built package. Its table shows every outcome the example promises, and once
 * it has exited no process it started is left: every one inherits a mark of this test in
 * its environment, and none carrying it may be alive.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, expect, it } from 'vitest';

const POOL = fileURLToPath(new URL('../../examples/agent-pool/pool.mjs', import.meta.url));
const MARK = `AGENT_POOL_TEST=${randomUUID()}`;

/** Live processes whose environment carries this test's mark (zombies are gone). */
function marked(): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      if (readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(MARK)) found.push(pid);
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

afterAll(() => {
  for (const pid of marked()) process.kill(pid, 'SIGKILL');
});

/** The table's rows by task name: the columns split on runs of two spaces or more. */
function rowsOf(stdout: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of stdout.split('\n')) {
    const cells = line.trim().split(/ {2,}/);
    const name = cells[1];
    if (name && /^(worker|crasher|hog|slow|flaky)-\d+$/.test(name)) rows.set(name, cells);
  }
  return rows;
}

it('the pool runs 50 tasks to every outcome, prints them and stats(), and leaves nothing running', async () => {
  const [name, value] = MARK.split('=') as [string, string];
  const run = await execa('node', [POOL], {
    env: { [name]: value },
    reject: false,
    timeout: 90_000,
  });

  expect(run.exitCode, run.stderr).toBe(0);
  const rows = rowsOf(run.stdout);
  expect(rows.size).toBe(50);
  const header = run.stdout.split('\n')[0]?.trim().split(/ {2,}/);
  expect(header).toEqual([
    'id',
    'name',
    'priority',
    'status',
    'exit',
    'duration',
    'peak mem',
    'tries',
    'reason',
  ]);
  const kind = (prefix: string) => [...rows].filter(([task]) => task.startsWith(`${prefix}-`));
  for (const [task, cells] of kind('worker')) {
    expect(cells.slice(3, 5), task).toEqual(['succeeded', '0']);
  }
  for (const [task, cells] of kind('crasher')) {
    expect(cells[3], task).toBe('failed');
    expect(cells[4], task).toBe(String(3 + (Number(task.split('-')[1]) % 4)));
  }
  for (const [task, cells] of kind('hog')) {
    expect(cells[3], task).toBe('failed');
    expect(cells[8], task).toMatch(/memory/);
    // Stopped past 64 MB, long before it took much more.
    const peak = Number.parseInt(cells[6] as string, 10);
    expect(peak, task).toBeGreaterThanOrEqual(64);
    expect(peak, task).toBeLessThan(1024);
  }
  for (const [task, cells] of kind('slow')) {
    expect(cells[3], task).toBe('timed_out');
  }
  for (const [task, cells] of kind('flaky')) {
    expect([cells[3], cells[7]], task).toEqual(['succeeded', '2']);
  }
  for (const priority of ['critical', 'high', 'normal', 'low']) {
    expect([...rows.values()].some((cells) => cells[2] === priority)).toBe(true);
  }
  expect(run.stdout).toMatch(/stats\(\)\.tasks: \{.*"succeeded":35.*\}/);
  expect(run.stdout).toMatch(/supervisor shut down/);

  expect(marked()).toEqual([]);
}, 120_000);
