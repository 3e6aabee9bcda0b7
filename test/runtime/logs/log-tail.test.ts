/**
 * LogTail: the newest lines of one or several processes' files, across rotations, found
 * backwards and streamed forwards, checked against the plain answer (every line read,
 * filtered, merged by a stable sort, the last N kept).
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogQuery, OutputStream, ProcessLogLine } from '../../../src/core/view.js';
import { LineBlock } from '../../../src/runtime/logs/log-buffer.js';
import { LogFile } from '../../../src/runtime/logs/log-file.js';
import { matches } from '../../../src/runtime/logs/log-filter.js';
import { formatBlock } from '../../../src/runtime/logs/log-format.js';
import { LogTail } from '../../../src/runtime/logs/log-tail.js';
import { cleanup, tempDir } from '../helpers.js';

afterEach(cleanup);

const T0 = 1_700_000_000_000;

/** Writes `lines` of `name` (each `[at, text]`) through a LogFile rotating every 1 KiB. */
async function writeProcess(
  dir: string,
  name: string,
  lines: ReadonlyArray<readonly [number, string]>,
): Promise<ProcessLogLine[]> {
  const file = new LogFile(join(dir, `${name}.log`), { maxSize: 1024, maxFiles: 1000 });
  const written: ProcessLogLine[] = [];
  for (const [index, [at, text]] of lines.entries()) {
    const stream: OutputStream = index % 4 === 3 ? 'stderr' : 'stdout';
    file.write(formatBlock(at, stream, LineBlock.of([text])));
    written.push({ name, at, stream, text });
  }
  await file.close();
  return written;
}

/** The plain answer: every line filtered, merged by a stable sort on time, the last N. */
function expected(all: ReadonlyArray<readonly ProcessLogLine[]>, query: LogQuery) {
  const merged = all.flat().filter((line) => matches(line, query));
  merged.sort((a, b) => a.at - b.at);
  return merged.slice(Math.max(0, merged.length - (query.lines ?? 100)));
}

async function read(dir: string, names: readonly string[], query: LogQuery) {
  const tail = await LogTail.open(dir, names, query);
  const lines: ProcessLogLine[] = [];
  try {
    for await (const batch of tail.batches()) lines.push(...batch);
  } finally {
    await tail.close();
  }
  return lines;
}

describe('LogTail', () => {
  it('merges instances by time across rotated files, ties in name order, with any count and filter', async () => {
    const dir = tempDir();
    // Times that interleave, repeat within a process and tie across processes.
    const a = await writeProcess(
      dir,
      'web-0',
      Array.from({ length: 300 }, (_, n) => [T0 + Math.floor(n / 3) * 10, `a ${n}`] as const),
    );
    const b = await writeProcess(
      dir,
      'web-1',
      Array.from({ length: 200 }, (_, n) => [T0 + n * 7, `b ${n}`] as const),
    );
    const names = ['web-0', 'web-1'];
    const queries: LogQuery[] = [
      { lines: 1 },
      { lines: 57 },
      { lines: 499 },
      { lines: 10_000 },
      { lines: Number.POSITIVE_INFINITY },
      { lines: 40, grep: /[05]$/ },
      { lines: 1_000, since: T0 + 600 },
      { lines: 5, since: T0 + 900, grep: /^b/ },
      // `until` on a time both processes have lines at, and between them.
      { lines: 30, until: T0 + 490 },
      { lines: 7, until: T0 + 501 },
      { lines: 1_000, since: T0 + 200, until: T0 + 700, grep: /[27]$/ },
      { lines: 10, until: T0 },
    ];
    for (const query of queries) {
      expect(await read(dir, names, query), JSON.stringify(query)).toEqual(expected([a, b], query));
      expect(await read(dir, ['web-0'], query), JSON.stringify(query)).toEqual(
        expected([a], query),
      );
    }
  });

  it('leaves out a line still being written and lines not in the format, counting only whole lines', async () => {
    const dir = tempDir();
    const lines = await writeProcess(
      dir,
      'app',
      Array.from({ length: 50 }, (_, n) => [T0 + n, `app ${n}`] as const),
    );
    appendFileSync(join(dir, 'app.log'), 'not a log line\n2026-01-01T00:00:00.000Z stdout half');

    expect(await read(dir, ['app'], { lines: 3 })).toEqual(lines.slice(-3));
    expect(await read(dir, ['app'], { lines: 3, grep: /app/ })).toEqual(lines.slice(-3));
  });

  it('hands the newest file over where its complete lines end', async () => {
    const dir = tempDir();
    await writeProcess(dir, 'app', [[T0, 'one']]);
    appendFileSync(join(dir, 'app.log'), '2026-01-01T00:00:00.000Z stdout half');
    const tail = await LogTail.open(dir, ['app', 'ghost'], { lines: 10 });
    for await (const _ of tail.batches());
    const newest = tail.takeNewest('app');
    await tail.close();

    expect(tail.takeNewest('ghost')).toBeUndefined();
    expect(newest?.end).toBe('2023-11-14T22:13:20.000Z stdout one\n'.length);
    await newest?.handle.close();

    // Also when no line is asked for: a follower must not read the file again from its start.
    const none = await LogTail.open(dir, ['app'], { lines: 0 });
    const handedOver = none.takeNewest('app');
    await none.close();
    await handedOver?.handle.close();
    expect(handedOver?.end).toBe(newest?.end);
  });
});
