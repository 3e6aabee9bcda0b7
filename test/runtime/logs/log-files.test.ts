/**
 * Log files without child processes: the writer's rotation bounds, the reader's tail across
 * rotated files with its filters, the follower across rotations, and the pieces the capture
 * path is built from (line splitting, the in-memory ring, the line format).
 */
import {
  appendFileSync,
  readdirSync,
  readFileSync,
  statSync,
  truncateSync,
  utimesSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogLine, OutputStream } from '../../../src/core/view.js';
import {
  LineBlock,
  LineSplitter,
  LogBuffer,
  MAX_LINE_CHARS,
} from '../../../src/runtime/logs/log-buffer.js';
import { LogFile } from '../../../src/runtime/logs/log-file.js';
import {
  LogFollower,
  logNamesIn,
  parseSince,
  readLogTail,
  readLogTails,
} from '../../../src/runtime/logs/log-files.js';
import { formatBlock, parseLogLine } from '../../../src/runtime/logs/log-format.js';
import { cleanup, tempDir, waitFor } from '../helpers.js';

afterEach(cleanup);

/** Writes `texts` as one read of `stream` at `at`. */
function writeLines(
  file: LogFile,
  texts: readonly string[],
  at = Date.now(),
  stream: OutputStream = 'stdout',
): boolean {
  const block = LineBlock.of(texts);
  return file.write(formatBlock(at, stream, block));
}

/** Every file of `name` in `dir`, oldest first, as parsed lines. */
function readAll(dir: string, name: string): LogLine[] {
  const files = readdirSync(dir)
    .filter((entry) => entry === `${name}.log` || entry.startsWith(`${name}.log.`))
    .sort((a, b) => rotationIndex(b) - rotationIndex(a));
  return files.flatMap((entry) =>
    readFileSync(join(dir, entry), 'utf8')
      .split('\n')
      .slice(0, -1)
      .map((line) => {
        const parsed = parseLogLine(line);
        if (!parsed) throw new Error(`malformed line in ${entry}: ${line}`);
        return parsed;
      }),
  );
}

function rotationIndex(entry: string): number {
  const match = /\.log\.(\d+)$/.exec(entry);
  return match ? Number(match[1]) : 0;
}

function sizes(dir: string): number[] {
  return readdirSync(dir).map((entry) => statSync(join(dir, entry)).size);
}

describe('LogFile', () => {
  it('never lets a file pass max_size nor keeps more than max_files, and keeps the newest lines', async () => {
    const dir = tempDir();
    const file = new LogFile(join(dir, 'app.log'), { maxSize: 4096, maxFiles: 3 });
    let written = 0;
    for (let round = 0; round < 300; round++) {
      const lines = Array.from(
        { length: 1 + (round % 9) * 4 },
        () => `line ${++written} ${'z'.repeat((round * 7) % 60)}`,
      );
      writeLines(file, lines);
      if (round % 5 === 0) {
        await file.flushed();
        expect(readdirSync(dir).length).toBeLessThanOrEqual(3);
        expect(Math.max(...sizes(dir))).toBeLessThanOrEqual(4096);
      }
    }
    await file.close();

    expect(readdirSync(dir).sort()).toEqual(['app.log', 'app.log.1', 'app.log.2']);
    expect(Math.max(...sizes(dir))).toBeLessThanOrEqual(4096);
    // What is kept is the newest lines, contiguous, ending with the last one.
    const numbers = readAll(dir, 'app').map((line) => Number(line.text.split(' ')[1]));
    expect(numbers.at(-1)).toBe(written);
    expect(numbers).toEqual(numbers.map((_, index) => written - numbers.length + 1 + index));
    // Rotated files are nearly full: they were rotated at the last line that fitted.
    expect(statSync(join(dir, 'app.log.1')).size).toBeGreaterThan(4096 - 200);
  });

  it('with max_files 1 keeps only the current file', async () => {
    const dir = tempDir();
    const file = new LogFile(join(dir, 'one.log'), { maxSize: 1024, maxFiles: 1 });
    for (let n = 1; n <= 200; n++) writeLines(file, [`line ${n}`]);
    await file.close();

    expect(readdirSync(dir)).toEqual(['one.log']);
    expect(readAll(dir, 'one').at(-1)?.text).toBe('line 200');
  });

  it('cuts a line longer than a whole file into pieces that fit, each with the time and stream', async () => {
    const dir = tempDir();
    const file = new LogFile(join(dir, 'big.log'), { maxSize: 1024, maxFiles: 20 });
    const long = `${'é'.repeat(1500)}end`;
    writeLines(file, ['before', long, 'after'], 1_700_000_000_000, 'stderr');
    await file.close();

    expect(Math.max(...sizes(dir))).toBeLessThanOrEqual(1024);
    const lines = readAll(dir, 'big');
    expect(lines.every((line) => line.stream === 'stderr' && line.at === 1_700_000_000_000)).toBe(
      true,
    );
    expect(lines[0]!.text).toBe('before');
    expect(lines.at(-1)!.text).toBe('after');
    // Cut at character boundaries: the pieces join back into the line.
    expect(
      lines
        .slice(1, -1)
        .map((line) => line.text)
        .join(''),
    ).toBe(long);
  });

  it('continues a file a previous run left, and tidies rotated files beyond a lowered max_files', async () => {
    const dir = tempDir();
    const first = new LogFile(join(dir, 'app.log'), { maxSize: 1024, maxFiles: 6 });
    for (let n = 1; n <= 150; n++) writeLines(first, [`first ${n}`]);
    await first.close();
    expect(readdirSync(dir)).toHaveLength(6);

    const second = new LogFile(join(dir, 'app.log'), { maxSize: 1024, maxFiles: 3 });
    writeLines(second, ['second 1']);
    await second.close();

    expect(readdirSync(dir).sort()).toEqual(['app.log', 'app.log.1', 'app.log.2']);
    const texts = readAll(dir, 'app').map((line) => line.text);
    expect(texts.slice(-2)).toEqual(['first 150', 'second 1']);
  });

  it('asks the caller to wait above its high-water mark and says when to go on', async () => {
    const dir = tempDir();
    const file = new LogFile(join(dir, 'fast.log'), { maxSize: 1024 * 1024, maxFiles: 2 }, 4096);
    const line = 'w'.repeat(100);
    let accepted = true;
    let count = 0;
    while (accepted) {
      accepted = writeLines(file, [line]);
      count += 1;
    }
    expect(count).toBeLessThan(40);
    let drained = false;
    file.onceDrain(() => {
      drained = true;
    });
    await waitFor(() => drained, 5_000, 'drain');
    await file.close();
    expect(readAll(dir, 'fast')).toHaveLength(count);
  });

  it('resolves close() only once everything is on disk', async () => {
    const dir = tempDir();
    const file = new LogFile(join(dir, 'app.log'), { maxSize: 64 * 1024, maxFiles: 50 });
    for (let n = 1; n <= 5_000; n++) writeLines(file, [`line ${n}`]);
    await file.close();
    expect(readAll(dir, 'app')).toHaveLength(5_000);
  });
});

describe('readLogTail', () => {
  async function writeNumbered(dir: string, name: string, count: number, maxSize = 2048) {
    const file = new LogFile(join(dir, `${name}.log`), { maxSize, maxFiles: 1000 });
    for (let n = 1; n <= count; n++) {
      writeLines(
        file,
        [`${name} ${n}`],
        1_700_000_000_000 + n * 1000,
        n % 3 === 0 ? 'stderr' : 'stdout',
      );
    }
    await file.close();
  }

  it('returns the last N lines across the current and rotated files, oldest first', async () => {
    const dir = tempDir();
    await writeNumbered(dir, 'app', 2_000);
    expect(readdirSync(dir).length).toBeGreaterThan(20);

    const lines = await readLogTail(dir, 'app', { lines: 500 });
    expect(lines.map((line) => line.text)).toEqual(
      Array.from({ length: 500 }, (_, index) => `app ${1501 + index}`),
    );
    expect(lines[2]!.stream).toBe('stderr');
    expect(lines[0]!.at).toBe(1_700_000_000_000 + 1501 * 1000);
    expect(await readLogTail(dir, 'app', { lines: 5_000 })).toHaveLength(2_000);
    expect(await readLogTail(dir, 'app')).toHaveLength(100);
  });

  it('filters by time (since) and by pattern (grep), then takes the last N', async () => {
    const dir = tempDir();
    await writeNumbered(dir, 'app', 1_000);

    const since = await readLogTail(dir, 'app', {
      since: 1_700_000_000_000 + 991 * 1000,
      lines: 100,
    });
    expect(since.map((line) => line.text)).toEqual(
      Array.from({ length: 10 }, (_, index) => `app ${991 + index}`),
    );
    // Strictly before `until`, from the rotated files too: the newest lines are skipped.
    const until = await readLogTail(dir, 'app', {
      until: 1_700_000_000_000 + 21 * 1000,
      lines: 5,
    });
    expect(until.map((line) => line.text)).toEqual([
      'app 16',
      'app 17',
      'app 18',
      'app 19',
      'app 20',
    ]);
    const grep = await readLogTail(dir, 'app', { grep: /^app \d*7$/, lines: 3 });
    expect(grep.map((line) => line.text)).toEqual(['app 977', 'app 987', 'app 997']);
    const both = await readLogTail(dir, 'app', {
      grep: /5$/,
      since: 1_700_000_000_000 + 950 * 1000,
    });
    expect(both.map((line) => line.text)).toEqual([
      'app 955',
      'app 965',
      'app 975',
      'app 985',
      'app 995',
    ]);
  });

  it('leaves out a last line still being written, and skips lines that are not its format', async () => {
    const dir = tempDir();
    await writeNumbered(dir, 'app', 3);
    appendFileSync(join(dir, 'app.log'), 'not a log line\n2026-01-01T00:00:00.000Z stdout half');
    const lines = await readLogTail(dir, 'app');
    expect(lines.map((line) => line.text)).toEqual(['app 1', 'app 2', 'app 3']);
  });

  it('is empty for a process that wrote nothing, and finds the instances of a group', async () => {
    const dir = tempDir();
    expect(await readLogTail(dir, 'ghost')).toEqual([]);
    await writeNumbered(dir, 'web-0', 3);
    await writeNumbered(dir, 'web-1', 3);
    await writeNumbered(dir, 'web-10', 1);
    await writeNumbered(dir, 'webby', 1);

    expect(logNamesIn(dir, 'web')).toEqual(['web-0', 'web-1', 'web-10']);
    expect(logNamesIn(dir, 'web-1')).toEqual(['web-1']);
    expect(logNamesIn(dir, 'nothing')).toEqual([]);
    const merged = await readLogTails(dir, ['web-0', 'web-1'], { lines: 4 });
    // Merged by time; the same time keeps the order of the names.
    expect(merged.map((line) => `${line.name}: ${line.text}`)).toEqual([
      'web-0: web-0 2',
      'web-1: web-1 2',
      'web-0: web-0 3',
      'web-1: web-1 3',
    ]);
  });

  it('logNamesIn picks the kind of file written last when a name has both: the other is stale', async () => {
    const dir = tempDir();
    await writeNumbered(dir, 'worker', 2);
    await writeNumbered(dir, 'worker-0', 2);
    await writeNumbered(dir, 'worker-1', 2);
    const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));
    const touch = (entry: string, seconds: number) =>
      utimesSync(join(dir, entry), at(seconds), at(seconds));

    touch('worker.log', 1);
    touch('worker-0.log', 2);
    touch('worker-1.log', 3);
    expect(logNamesIn(dir, 'worker')).toEqual(['worker-0', 'worker-1']);

    touch('worker.log', 4);
    expect(logNamesIn(dir, 'worker')).toEqual(['worker']);
  });
});

describe('LogFollower', () => {
  it('follows across many rotations without losing or repeating a line', async () => {
    const dir = tempDir();
    const file = new LogFile(join(dir, 'app.log'), { maxSize: 2048, maxFiles: 1000 });
    for (let n = 1; n <= 50; n++) writeLines(file, [`line ${n}`]);
    await file.flushed();
    const seen: string[] = [];
    const follower = new LogFollower(dir, 'app', (line) => seen.push(line.text), { lines: 10 }, 5);
    const tail = await follower.start();
    try {
      expect(tail.map((line) => line.text)).toEqual(
        Array.from({ length: 10 }, (_, index) => `line ${41 + index}`),
      );
      for (let n = 51; n <= 3_000; n++) {
        writeLines(file, [`line ${n}`]);
        if (n % 100 === 0) await file.flushed();
      }
      await file.flushed();
      await waitFor(() => seen.length >= 2_950, 10_000, 'every followed line');
      expect(readdirSync(dir).length).toBeGreaterThan(30);
      expect(seen).toEqual(Array.from({ length: 2_950 }, (_, index) => `line ${51 + index}`));
    } finally {
      await follower.stop();
      await file.close();
    }
  });

  it('keeps up when rotated files are deleted behind it, and when the file appears only later', async () => {
    const dir = tempDir();
    const seen: string[] = [];
    const follower = new LogFollower(dir, 'late', (line) => seen.push(line.text), {}, 5);
    expect(await follower.start()).toEqual([]);
    const file = new LogFile(join(dir, 'late.log'), { maxSize: 1024, maxFiles: 2 });
    try {
      for (let n = 1; n <= 400; n++) {
        writeLines(file, [`line ${n}`]);
        // Slow enough for the follower to keep up with two files.
        if (n % 10 === 0) {
          await file.flushed();
          await waitFor(() => seen.length >= n, 5_000, `line ${n}`);
        }
      }
      expect(seen).toEqual(Array.from({ length: 400 }, (_, index) => `line ${index + 1}`));
    } finally {
      await follower.stop();
      await file.close();
    }
  });

  it('reads a file truncated in place from its start again', async () => {
    const dir = tempDir();
    const path = join(dir, 'cut.log');
    const file = new LogFile(path, { maxSize: 1024 * 1024, maxFiles: 2 });
    writeLines(file, ['one', 'two']);
    await file.close();
    const seen: string[] = [];
    const follower = new LogFollower(dir, 'cut', (line) => seen.push(line.text), {}, 5);
    await follower.start();
    try {
      truncateSync(path, 0);
      appendFileSync(path, `${new Date().toISOString()} stdout three\n`);
      await waitFor(() => seen.length > 0, 5_000, 'the line after truncation');
      expect(seen).toEqual(['three']);
    } finally {
      await follower.stop();
    }
  });

  it('applies grep and since to followed lines', async () => {
    const dir = tempDir();
    const file = new LogFile(join(dir, 'app.log'), { maxSize: 1024 * 1024, maxFiles: 2 });
    const seen: string[] = [];
    const follower = new LogFollower(
      dir,
      'app',
      (line) => seen.push(line.text),
      { grep: /keep/, since: 1000 },
      5,
    );
    await follower.start();
    try {
      writeLines(file, ['keep old'], 500);
      writeLines(file, ['drop', 'keep me', 'drop too', 'keep me too'], 2000);
      await file.flushed();
      await waitFor(() => seen.length >= 2, 5_000, 'the matching lines');
      expect(seen).toEqual(['keep me', 'keep me too']);
    } finally {
      await follower.stop();
      await file.close();
    }
  });
});

describe('parseSince', () => {
  it('reads an ISO time or a duration back from now', () => {
    const now = Date.parse('2026-11-23T12:00:00Z');
    expect(parseSince('10m', now)).toBe(now - 600_000);
    expect(parseSince('1h', now)).toBe(now - 3_600_000);
    expect(parseSince('2026-11-23T11:00:00Z', now)).toBe(Date.parse('2026-11-23T11:00:00Z'));
    expect(parseSince('2026-11-23', now)).toBe(Date.parse('2026-11-23'));
    expect(parseSince('yesterday', now)).toBeUndefined();
    expect(parseSince('May', now)).toBeUndefined();
  });
});

describe('LineSplitter', () => {
  function splitAll(chunks: Array<string | Buffer>): string[] {
    const splitter = new LineSplitter();
    const lines: string[] = [];
    for (const chunk of chunks) {
      const block = splitter.write(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      if (block) lines.push(...block.lines);
    }
    const last = splitter.end();
    if (last) lines.push(...last.lines);
    return lines;
  }

  it('joins lines split across chunks, drops the \\r of CRLF, keeps empty lines', () => {
    expect(splitAll(['one\r\ntw', 'o\n\nthr', 'ee\r\n', 'four'])).toEqual([
      'one',
      'two',
      '',
      'three',
      'four',
    ]);
  });

  it('decodes a UTF-8 character split across chunks, also after ASCII-only chunks', () => {
    const bytes = Buffer.from('plain\nhé😀llo\nplain again\n');
    const chunks = Array.from(bytes, (byte) => Buffer.from([byte]));
    expect(splitAll(chunks)).toEqual(['plain', 'hé😀llo', 'plain again']);
  });

  it('turns invalid UTF-8 into U+FFFD, and says when a block is ASCII only', () => {
    const splitter = new LineSplitter();
    const junk = splitter.write(Buffer.from([0x66, 0xff, 0xfe, 0x0a]));
    expect(junk?.lines).toEqual(['f\uFFFD\uFFFD']);
    expect(junk?.ascii).toBe(false);
    const plain = splitter.write(Buffer.from('abc\ndef\n'));
    expect(plain?.lines).toEqual(['abc', 'def']);
    expect(plain?.ascii).toBe(true);
  });

  it('cuts a line longer than MAX_LINE_CHARS, with or without a newline in sight', () => {
    const long = 'x'.repeat(MAX_LINE_CHARS * 2 + 10);
    expect(splitAll([`a\n${long}\nb\n`])).toEqual([
      'a',
      'x'.repeat(MAX_LINE_CHARS),
      'x'.repeat(MAX_LINE_CHARS),
      'x'.repeat(10),
      'b',
    ]);
    const pieces = splitAll(Array.from({ length: 40 }, () => 'y'.repeat(1000)));
    expect(pieces.map((piece) => piece.length)).toEqual([
      MAX_LINE_CHARS,
      MAX_LINE_CHARS,
      40_000 - 2 * MAX_LINE_CHARS,
    ]);
  });

  it('never cuts between the two halves of a surrogate pair', () => {
    const text = `${'x'.repeat(MAX_LINE_CHARS - 1)}😀tail`;
    const lines = splitAll([`${text}\n`]);
    expect(lines.join('')).toBe(text);
    expect(lines[0]).toHaveLength(MAX_LINE_CHARS - 1);
  });
});

describe('LogBuffer', () => {
  it('keeps the last `capacity` lines across many blocks, oldest first', () => {
    const ring = new LogBuffer(100);
    let n = 0;
    for (let block = 0; block < 500; block++) {
      const lines = Array.from({ length: 1 + (block % 13) }, () => `line ${++n}`);
      ring.pushBlock(block, block % 2 ? 'stderr' : 'stdout', LineBlock.of(lines));
    }
    const tail = ring.tail();
    expect(tail.map((line) => line.text)).toEqual(
      Array.from({ length: 100 }, (_, index) => `line ${n - 99 + index}`),
    );
    expect(ring.tail(3).map((line) => line.text)).toEqual([
      `line ${n - 2}`,
      `line ${n - 1}`,
      `line ${n}`,
    ]);
    expect(tail.at(-1)!.at).toBe(499);
    expect(tail.at(-1)!.stream).toBe('stderr');
  });

  it('keeps non-ASCII text as it was', () => {
    const ring = new LogBuffer(3);
    ring.push({ at: 1, stream: 'stdout', text: 'héllo 😀' });
    ring.pushBlock(2, 'stdout', LineBlock.fromText('plain\nascii', true));
    expect(ring.tail().map((line) => line.text)).toEqual(['héllo 😀', 'plain', 'ascii']);
  });
});
