/**
 * A supervisor with a log folder, against real children: what careless children write
 * (no newline, binary junk, a 1 MB line, characters cut across writes) reaches the file
 * intact; an exit is reported once the run's lines are on disk; `readLogs` reads back past
 * the memory ring; rotation per process; and the pipe backpressure that keeps lines from
 * being dropped.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogLine } from '../../../src/index.js';
import { MAX_LINE_CHARS } from '../../../src/runtime/logs/log-buffer.js';
import { parseLogLine } from '../../../src/runtime/logs/log-format.js';
import { ChildRun } from '../../../src/runtime/process/child.js';
import { RunTree } from '../../../src/runtime/process/run-tree.js';
import {
  cleanup,
  createSupervisor,
  fixture,
  tempDir,
  trackPid,
  waitFor,
  waitForSettled,
} from '../helpers.js';

afterEach(cleanup);

/** Every line in a process's current file, parsed; throws on a malformed one. */
function fileLines(dir: string, name: string): LogLine[] {
  return readFileSync(join(dir, `${name}.log`), 'utf8')
    .split('\n')
    .slice(0, -1)
    .map((line) => {
      const parsed = parseLogLine(line);
      if (!parsed) throw new Error(`malformed: ${JSON.stringify(line.slice(0, 100))}`);
      return parsed;
    });
}

async function runJob(dir: string, name: string, command: string[]) {
  const supervisor = createSupervisor({ logDir: dir });
  supervisor.add({ name, kind: 'job', command });
  await supervisor.up();
  await waitForSettled(supervisor);
  return supervisor;
}

describe('what careless children write', () => {
  it('keeps output that never has a newline, in pieces, flushed at exit', async () => {
    const dir = tempDir();
    await runJob(dir, 'flat', fixture('print-junk.mjs', 'no-newline', 100_000));

    const lines = fileLines(dir, 'flat');
    expect(lines.map((line) => line.text).join('')).toBe('a'.repeat(100_000));
    expect(lines.every((line) => line.text.length <= MAX_LINE_CHARS)).toBe(true);
  });

  it('survives binary junk: every line stays well formed and the lines after it arrive', async () => {
    const dir = tempDir();
    await runJob(dir, 'binary', fixture('print-junk.mjs', 'binary', 64 * 1024));

    const lines = fileLines(dir, 'binary');
    expect(lines[0]!.text).toBe('start');
    expect(lines.at(-1)!.text).toBe('end');
    expect(lines.every((line) => line.stream === 'stdout')).toBe(true);
  });

  it('keeps a 1 MB line whole in content, cut into pieces of MAX_LINE_CHARS', async () => {
    const dir = tempDir();
    await runJob(dir, 'long', fixture('print-junk.mjs', 'long', 1024 * 1024));

    const texts = fileLines(dir, 'long').map((line) => line.text);
    expect(texts[0]).toBe('before');
    expect(texts.at(-1)).toBe('after');
    expect(texts.slice(1, -1).join('')).toBe('y'.repeat(1024 * 1024));
    expect(texts.slice(1, -1).every((text) => text.length === MAX_LINE_CHARS)).toBe(true);
  });

  it('decodes characters cut across writes and drops the \\r of CRLF', async () => {
    const dir = tempDir();
    await runJob(dir, 'split', fixture('print-junk.mjs', 'split'));

    expect(fileLines(dir, 'split').map((line) => line.text)).toEqual([
      'héllo wörld ✓ 😀',
      'second',
    ]);
  });
});

describe('a supervisor with a log folder', () => {
  it('writes `<ISO time> <stream> <text>` per line, and reports the exit once all of it is on disk', async () => {
    const dir = tempDir();
    const supervisor = createSupervisor({ logDir: dir });
    supervisor.add({ name: 'both', kind: 'job', command: fixture('print-both.mjs', 3) });
    supervisor.add({
      name: 'printer',
      kind: 'job',
      instances: 4,
      command: fixture('print-lines.mjs', 2_000),
    });
    const onDiskAtExit = new Map<string, string | undefined>();
    supervisor.on('process:exit', ({ name }) => {
      onDiskAtExit.set(
        name,
        readFileSync(join(dir, `${name}.log`), 'utf8')
          .trimEnd()
          .split('\n')
          .at(-1),
      );
    });

    await supervisor.up();
    await waitForSettled(supervisor);

    for (const name of ['printer-0', 'printer-1', 'printer-2', 'printer-3']) {
      expect(onDiskAtExit.get(name)).toMatch(
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z stdout partial$/,
      );
      expect(fileLines(dir, name)).toHaveLength(2_001);
    }
    const both = fileLines(dir, 'both');
    expect(both.filter((line) => line.stream === 'stdout').map((line) => line.text)).toEqual([
      'out 1',
      'out 2',
      'out 3',
    ]);
    expect(both.filter((line) => line.stream === 'stderr').map((line) => line.text)).toEqual([
      'err 1',
      'err 2',
      'err 3',
    ]);
    // The memory ring gets the same lines.
    expect(supervisor.logs('printer-0', 2).map((line) => line.text)).toEqual([
      'line 2000',
      'partial',
    ]);
  });

  it('reads logs back past the memory ring, filters them, and merges the instances of a name', async () => {
    const dir = tempDir();
    const supervisor = createSupervisor({ logDir: dir, logLines: 10 });
    supervisor.add({
      name: 'printer',
      kind: 'job',
      instances: 2,
      command: fixture('print-lines.mjs', 500),
    });
    await supervisor.up();
    await waitForSettled(supervisor);

    const one = await supervisor.readLogs('printer-1', { lines: 300 });
    expect(one).toHaveLength(300);
    expect(one[0]).toMatchObject({ name: 'printer-1', stream: 'stdout', text: 'line 202' });
    expect(one.at(-1)?.text).toBe('partial');

    const grep = await supervisor.readLogs('printer', { grep: /^line 4\d9$/ });
    expect(grep.map((line) => `${line.name} ${line.text}`).sort()).toEqual(
      [409, 419, 429, 439, 449, 459, 469, 479, 489, 499]
        .flatMap((n) => [`printer-0 line ${n}`, `printer-1 line ${n}`])
        .sort(),
    );
    const future = await supervisor.readLogs('printer', { since: Date.now() + 60_000 });
    expect(future).toEqual([]);
    // A page before a line: strictly older than it, merged across the instances.
    const whole = await supervisor.readLogs('printer', { lines: 1_000 });
    const pivot = whole[600]!.at;
    const before = await supervisor.readLogs('printer', { lines: 50, until: pivot });
    expect(before).toEqual(whole.filter((line) => line.at < pivot).slice(-50));
    await expect(supervisor.readLogs('nobody')).rejects.toMatchObject({ code: 'UNKNOWN_PROCESS' });
    // `all`: every process, merged by time, as `followLogs('all')` begins.
    supervisor.add({ name: 'other', kind: 'job', command: fixture('print-lines.mjs', 3) });
    await supervisor.up();
    await waitForSettled(supervisor);
    const every = await supervisor.readLogs('all', { lines: 2_000 });
    expect(new Set(every.map((line) => line.name))).toEqual(
      new Set(['printer-0', 'printer-1', 'other']),
    );
    expect(every.map((line) => line.at)).toEqual(
      [...every.map((line) => line.at)].sort((a, b) => a - b),
    );
  });

  it('without a log folder reads the memory ring, with the same filters', async () => {
    const supervisor = createSupervisor({ logLines: 50 });
    supervisor.add({ name: 'printer', kind: 'job', command: fixture('print-lines.mjs', 500) });
    await supervisor.up();
    await waitForSettled(supervisor);

    const until = await supervisor.readLogs('printer', { lines: 100, until: 0 });
    expect(until).toEqual([]);
    const lines = await supervisor.readLogs('printer', { lines: 100, grep: /5$/ });
    expect(lines.map((line) => line.text)).toEqual([
      'line 455',
      'line 465',
      'line 475',
      'line 485',
      'line 495',
    ]);
  });

  it('rotates a process by its own `logs` when it has one, by the supervisor default otherwise', async () => {
    const dir = tempDir();
    const supervisor = createSupervisor({
      logDir: dir,
      logRotation: { maxSize: 1024 * 1024, maxFiles: 4 },
    });
    supervisor.add({
      name: 'small',
      kind: 'job',
      command: fixture('print-many.mjs', 2_000, 60, 'small'),
      logs: { max_size: '4KB', max_files: 2 },
    });
    supervisor.add({
      name: 'big',
      kind: 'job',
      command: fixture('print-many.mjs', 2_000, 60, 'big'),
    });
    await supervisor.up();
    await waitForSettled(supervisor);

    const files = readdirSync(dir).sort();
    expect(files).toEqual(['big.log', 'small.log', 'small.log.1']);
    expect(statSync(join(dir, 'small.log.1')).size).toBeLessThanOrEqual(4096);
    expect(fileLines(dir, 'big')).toHaveLength(2_000);
  });

  it('refuses a rotation it cannot keep', () => {
    expect(() =>
      createSupervisor({ logDir: tempDir(), logRotation: { maxSize: 100, maxFiles: 0 } }),
    ).toThrow(
      /logRotation.maxSize: expected bytes ≥ 1024; logRotation.maxFiles: expected a whole number ≥ 1/,
    );
    const supervisor = createSupervisor();
    expect(() =>
      supervisor.add({ name: 'x', command: 'true', logs: { max_size: 'huge', max_files: 1.5 } }),
    ).toThrow(/logs.max_size: "huge" is not a size.*logs.max_files: expected a whole number/);
  });

  it('appends in order when a process is removed and declared again, and has it all on disk after shutdown', async () => {
    const dir = tempDir();
    const supervisor = createSupervisor({ logDir: dir });
    supervisor.add({ name: 'job', kind: 'job', command: fixture('print-lines.mjs', 3) });
    await supervisor.up();
    await waitForSettled(supervisor);
    supervisor.remove('job');
    supervisor.add({
      name: 'job',
      kind: 'job',
      command: fixture('print-many.mjs', 50_000, 80, 'again'),
    });
    await supervisor.up();
    await waitForSettled(supervisor);
    await supervisor.shutdown();

    const texts = fileLines(dir, 'job').map((line) => line.text);
    expect(texts.slice(0, 4)).toEqual(['line 1', 'line 2', 'line 3', 'partial']);
    expect(texts).toHaveLength(50_004);
    expect(texts.at(-1)).toMatch(/^again 50000 x+$/);
  });
});

describe('backpressure', () => {
  function startChild(args: Array<string | number>, onLines: (count: number) => void) {
    const exits: string[] = [];
    const [file, ...rest] = fixture('print-many.mjs', ...args);
    const child = new ChildRun(
      new RunTree(null, null),
      { file: file!, args: rest, cwd: process.cwd(), env: process.env },
      'SIGTERM',
      1_000,
      {
        onLines: (_stream, block) => onLines(block.count),
        onSpawnError: (message) => exits.push(`spawn error ${message}`),
        onExit: ({ code }) => exits.push(`exit ${code}`),
      },
    );
    trackPid(child.pid!);
    return { child, exits };
  }

  it('a paused child blocks on its full pipe and loses nothing when reading goes on', async () => {
    let received = 0;
    const { child, exits } = startChild([200_000, 100], (count) => {
      received += count;
    });
    child.pauseOutput();
    try {
      // 20 MB cannot fit in a pipe: the child is stuck writing while reading is paused.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(received).toBeLessThan(200_000);
      expect(exits).toEqual([]);
      const before = received;
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(received).toBe(before);
    } finally {
      child.resumeOutput();
    }
    await waitFor(() => exits.length > 0, 20_000, 'the exit');
    expect(exits).toEqual(['exit 0']);
    expect(received).toBe(200_000);
  });

  // Node resumes a child's pipes itself once the child has exited (child_process's
  // flushStdio), so a paused pipe is read then anyway: what matters is that nothing is lost
  // and the exit comes after the last line.
  it('loses nothing a dead child left in a paused pipe, and reports the exit after it', async () => {
    let received = 0;
    let receivedAtExit = -1;
    const { child, exits } = startChild([300, 100], (count) => {
      received += count;
    });
    child.pauseOutput();
    await waitFor(() => exits.length > 0, 5_000, 'the exit');
    receivedAtExit = received;
    child.resumeOutput();
    expect(exits).toEqual(['exit 0']);
    expect(receivedAtExit).toBe(300);
  });
});
