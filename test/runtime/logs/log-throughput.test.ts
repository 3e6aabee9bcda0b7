/**
 * Log files under load, against real children: a million lines from one process and a
 * hundred thousand from each of ten at once arrive complete, in order per process and
 * stream, each with its time and stream, across many rotations; and rotation stays inside
 * its bounds while a child writes as fast as it can.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { Supervisor } from '../../../src/index.js';
import { cleanup, createSupervisor, fixture, tempDir, waitForSettled } from '../helpers.js';

afterEach(cleanup);

const MB = 1024 * 1024;
const LINE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z) (stdout|stderr) (\S+) (\d+) x+$/;

/** A process's files, oldest first. */
function filesOf(dir: string, name: string): string[] {
  const index = (entry: string) => Number(/\.log\.(\d+)$/.exec(entry)?.[1] ?? 0);
  return readdirSync(dir)
    .filter((entry) => entry === `${name}.log` || entry.startsWith(`${name}.log.`))
    .sort((a, b) => index(b) - index(a));
}

/**
 * Checks every line of a `print-many.mjs` process: well formed, numbered from 1 with no gap
 * and no repeat in each stream, times never going back. Returns the count per stream.
 */
function checkLines(dir: string, name: string, tag: string, both = false): Record<string, number> {
  const next = { stdout: 1, stderr: 1 } as Record<string, number>;
  const seen = { stdout: 0, stderr: 0 } as Record<string, number>;
  // With `both`, every tenth line went to stderr.
  const expected = (stream: string, n: number) =>
    !both || (stream === 'stderr' ? n % 10 === 0 : n % 10 !== 0);
  let lastTime = '';
  for (const entry of filesOf(dir, name)) {
    const text = readFileSync(join(dir, entry), 'latin1');
    expect(text.endsWith('\n'), `${entry} ends with a whole line`).toBe(true);
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      const line = text.slice(start, end);
      start = end + 1;
      const match = LINE.exec(line);
      if (!match) throw new Error(`${entry}: malformed line ${JSON.stringify(line.slice(0, 200))}`);
      const [, time, stream, lineTag, number] = match as unknown as [
        string,
        string,
        string,
        string,
        string,
      ];
      if (lineTag !== tag) throw new Error(`${entry}: a line of ${lineTag} in ${name}'s file`);
      if (time < lastTime) throw new Error(`${entry}: time went back at ${line.slice(0, 60)}`);
      lastTime = time;
      // In each stream the numbers follow on, skipping only those the other stream printed.
      let want = next[stream]!;
      while (!expected(stream, want)) want += 1;
      if (Number(number) !== want) {
        throw new Error(`${name} ${stream}: expected line ${want}, found ${number} in ${entry}`);
      }
      next[stream] = want + 1;
      seen[stream]! += 1;
    }
  }
  return seen;
}

async function runToCompletion(
  supervisor: Supervisor,
  names: readonly string[],
  timeoutMs: number,
) {
  await supervisor.up();
  const rows = await waitForSettled(supervisor, names, timeoutMs);
  expect(rows.map((row) => row.status)).toEqual(names.map(() => 'completed'));
}

it('keeps all of 1,000,000 lines from one process, in order, across several rotations', async () => {
  const dir = tempDir();
  const supervisor = createSupervisor({
    logDir: dir,
    logRotation: { maxSize: 16 * MB, maxFiles: 20 },
  });
  supervisor.add({
    name: 'flood',
    kind: 'job',
    command: fixture('print-many.mjs', 1_000_000, 100, 'flood'),
  });

  await runToCompletion(supervisor, ['flood'], 60_000);

  const files = filesOf(dir, 'flood');
  expect(files.length).toBeGreaterThanOrEqual(8);
  for (const entry of files) expect(statSync(join(dir, entry)).size).toBeLessThanOrEqual(16 * MB);
  expect(checkLines(dir, 'flood', 'flood')).toEqual({ stdout: 1_000_000, stderr: 0 });
}, 90_000);

it('keeps all of 100,000 lines from each of 10 processes writing at once, both streams', async () => {
  const dir = tempDir();
  const supervisor = createSupervisor({
    logDir: dir,
    logRotation: { maxSize: 2 * MB, maxFiles: 20 },
  });
  const names = Array.from({ length: 10 }, (_, index) => `p${index}`);
  for (const name of names) {
    supervisor.add({
      name,
      kind: 'job',
      command: fixture('print-many.mjs', 100_000, 100, name, 'both'),
    });
  }

  await runToCompletion(supervisor, names, 60_000);

  for (const name of names) {
    expect(filesOf(dir, name).length).toBeGreaterThanOrEqual(5);
    expect(checkLines(dir, name, name, true)).toEqual({ stdout: 90_000, stderr: 10_000 });
  }
}, 90_000);

it('stays inside max_size and max_files at every moment while a child writes flat out', async () => {
  const dir = tempDir();
  const supervisor = createSupervisor({
    logDir: dir,
    logRotation: { maxSize: 64 * 1024, maxFiles: 3 },
  });
  supervisor.add({
    name: 'fast',
    kind: 'job',
    command: fixture('print-many.mjs', 200_000, 100, 'fast'),
  });
  let checks = 0;
  const violations: string[] = [];
  const check = setInterval(() => {
    try {
      const entries = readdirSync(dir);
      if (entries.length > 3) violations.push(`${entries.length} files: ${entries.join(' ')}`);
      for (const entry of entries) {
        const { size } = statSync(join(dir, entry));
        if (size > 64 * 1024) violations.push(`${entry} is ${size} bytes`);
      }
      checks += 1;
    } catch {
      // A file renamed between the listing and the stat: look again next time.
    }
  }, 2);

  try {
    await runToCompletion(supervisor, ['fast'], 60_000);
  } finally {
    clearInterval(check);
  }

  expect(violations).toEqual([]);
  expect(checks).toBeGreaterThan(10);
  expect(filesOf(dir, 'fast')).toEqual(['fast.log.2', 'fast.log.1', 'fast.log']);
  // What is kept is the end of the output, whole lines, numbered on to the last one.
  const numbers = filesOf(dir, 'fast').flatMap((entry) =>
    readFileSync(join(dir, entry), 'latin1')
      .split('\n')
      .slice(0, -1)
      .map((line) => Number(LINE.exec(line)?.[4])),
  );
  expect(numbers.at(-1)).toBe(200_000);
  expect(numbers).toEqual(numbers.map((_, index) => 200_000 - numbers.length + 1 + index));
}, 60_000);
