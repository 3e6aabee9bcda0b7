/**
 * Reading a log back page by page, before the oldest line held: at a millisecond several
 * lines share, none lost and none twice; checked by hand and against the log files read as
 * the supervisor reads them (two instances whose lines tie within and across them).
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { OutputStream, ProcessLogLine } from '../../src/core/view.js';
import { LineBlock } from '../../src/runtime/logs/log-buffer.js';
import { LogFile } from '../../src/runtime/logs/log-file.js';
import { readLogTails } from '../../src/runtime/logs/log-files.js';
import { formatBlock } from '../../src/runtime/logs/log-format.js';
import { appendLines, emptyBuffer, prependLines } from '../../src/tui/log-buffer.js';
import { olderPage, olderRequest } from '../../src/tui/older-page.js';
import { cleanup, tempDir } from '../runtime/helpers.js';

afterEach(cleanup);

const T0 = 1_700_000_000_000;
const at = (name: string, time: number, text: string, stream: OutputStream = 'stdout') => ({
  name,
  at: T0 + time,
  stream,
  text,
});

describe('a page of older lines', () => {
  it('asks up to the oldest held millisecond, and leaves out the lines held of it', () => {
    // Held: the last two lines of millisecond 5 (one a repeat of a text not held) and newer.
    const held = [at('web', 5, 'same'), at('web', 5, 'b'), at('web', 6, 'c')];
    const request = olderRequest(held, 3)!;
    expect(request.query).toEqual({ lines: 5, until: T0 + 6 });
    const answer = [
      at('web', 4, 'x'),
      at('web', 5, 'same'),
      at('web', 5, 'a'),
      at('web', 5, 'same'),
      at('web', 5, 'b'),
    ];
    expect(olderPage(answer, request)).toEqual({
      lines: [at('web', 4, 'x'), at('web', 5, 'same'), at('web', 5, 'a')],
      reachedStart: false,
      // The page's oldest millisecond from its first line on: had once the page is in front.
      oldestGroup: [at('web', 4, 'x')],
    });
    expect(olderPage(answer.slice(1), request).reachedStart).toBe(true);
    expect(olderRequest([], 3)).toBeUndefined();
  });

  it('leaves out held lines of several instances whatever order they arrived in', () => {
    // Followed: worker-1's line was read before worker-0's; the files merge ties by name.
    const held = [at('worker-1', 5, 'one'), at('worker-0', 5, 'zero')];
    const request = olderRequest(held, 1)!;
    const answer = [at('worker-1', 4, 'old'), at('worker-0', 5, 'zero'), at('worker-1', 5, 'one')];
    expect(olderPage(answer, request).lines).toEqual([at('worker-1', 4, 'old')]);
  });

  it('walks the log files back to their first line with every line once, in their order, through a bounded buffer', async () => {
    const dir = tempDir();
    // Ties within each instance (three lines a millisecond, or forty: more than the buffer
    // holds) and across them.
    await write(dir, 'worker-0', 120, (n) => (n < 40 ? 0 : Math.floor(n / 3)));
    await write(dir, 'worker-1', 60, (n) => Math.floor(n / 2));
    const names = ['worker-0', 'worker-1'];
    const everything = await readLogTails(dir, names, { lines: Number.POSITIVE_INFINITY });

    for (const page of [3, 50]) {
      // What a follower holds first: the newest lines, 11 of them; then each page read
      // back goes in front of a buffer of 11, giving up its newest lines for room.
      let buffer = appendLines(emptyBuffer(11), everything.slice(-11));
      let seen = [...buffer.lines];
      for (let reads = 0; reads < 1_000; reads++) {
        const request = olderRequest(buffer.lines, page, buffer.oldestGroup)!;
        // Both instances merged, as the supervisor reads a process of several.
        const read = olderPage(await readLogTails(dir, names, request.query), request);
        buffer = prependLines(buffer, read.lines, read.reachedStart, read.oldestGroup);
        seen = [...read.lines, ...seen];
        if (read.reachedStart) break;
      }
      expect(seen, `pages of ${page}`).toEqual(everything);
    }
  });
});

/** Writes `count` lines of `name`, line n at T0 + time(n), through a LogFile rotating every 1 KiB. */
async function write(
  dir: string,
  name: string,
  count: number,
  time: (n: number) => number,
): Promise<ProcessLogLine[]> {
  const file = new LogFile(join(dir, `${name}.log`), { maxSize: 1024, maxFiles: 1000 });
  const written: ProcessLogLine[] = [];
  for (let n = 0; n < count; n++) {
    const line = at(name, time(n), `${name} ${n % 4 === 0 ? 'same' : n}`);
    file.write(formatBlock(line.at, line.stream, LineBlock.of([line.text])));
    written.push(line);
  }
  await file.close();
  return written;
}
