import { describe, expect, it } from 'vitest';
import type { ProcessLogLine } from '../../src/core/view.js';
import {
  appendLines,
  emptyBuffer,
  findMatches,
  follow,
  prependLines,
  scrollTo,
  splitMatches,
  stepMatch,
} from '../../src/tui/log-buffer.js';
import { searchStatusOf, stateOf, subjectOf } from '../../src/tui/log-title.js';

/** Lines `web` printed, `text n` at time n, for each n from `from` to `to`. */
function numbered(from: number, to: number): ProcessLogLine[] {
  return Array.from({ length: to - from + 1 }, (_, offset) => ({
    name: 'web',
    at: from + offset,
    stream: 'stdout' as const,
    text: `text ${from + offset}`,
  }));
}

const texts = (lines: readonly ProcessLogLine[]) => lines.map((line) => line.text);

describe('the log buffer', () => {
  it('keeps at most its capacity, the newest, however large a burst', () => {
    let buffer = appendLines(emptyBuffer(5), numbered(1, 3));
    expect(texts(buffer.lines)).toEqual(['text 1', 'text 2', 'text 3']);
    buffer = appendLines(buffer, numbered(4, 7));
    expect(texts(buffer.lines)).toEqual(['text 3', 'text 4', 'text 5', 'text 6', 'text 7']);
    buffer = appendLines(buffer, numbered(8, 1_000));
    expect(texts(buffer.lines)).toEqual(texts(numbered(996, 1_000)));
  });

  it('keeps a paused reader on the lines it reads and counts what arrives meanwhile', () => {
    let buffer = appendLines(emptyBuffer(10), numbered(1, 10));
    buffer = scrollTo(buffer, 4, 7);
    expect(buffer.top).toBe(4);
    buffer = appendLines(buffer, numbered(11, 12), 2);
    // Two pushed out before it: still looking at `text 5`.
    expect(buffer.lines[buffer.top!]!.text).toBe('text 5');
    expect(buffer.newSincePaused).toBe(2);
    // A burst let go in part before it came here still counts whole.
    buffer = appendLines(buffer, numbered(13, 13), 30);
    expect(buffer.newSincePaused).toBe(32);
    expect(stateOf({ buffer, readingBack: false })).toBe('paused — 32 new lines, G to follow');
    buffer = follow(buffer);
    expect([buffer.top, buffer.newSincePaused]).toEqual([undefined, 0]);
    expect(stateOf({ buffer, readingBack: false })).toBe('following');
  });

  it('follows again once scrolled down to the newest lines, and never scrolls out of its lines', () => {
    const buffer = appendLines(emptyBuffer(10), numbered(1, 10));
    expect(scrollTo(buffer, 7, 7).top).toBeUndefined();
    expect(scrollTo(buffer, 99, 7).top).toBeUndefined();
    expect(scrollTo(buffer, -3, 7).top).toBe(0);
  });

  it('puts older lines in front, the reader on the same line, and gives up the newest for room', () => {
    let buffer = scrollTo(appendLines(emptyBuffer(6), numbered(5, 8)), 0, 2);
    buffer = prependLines(buffer, numbered(3, 4), false);
    expect(texts(buffer.lines)).toEqual(texts(numbered(3, 8)));
    expect(buffer.lines[buffer.top!]!.text).toBe('text 5');
    expect(buffer.behindLive).toBe(false);

    buffer = prependLines(buffer, numbered(1, 2), true);
    expect(texts(buffer.lines)).toEqual(texts(numbered(1, 6)));
    expect([buffer.behindLive, buffer.atStart]).toEqual([true, true]);
    // Behind the present: new lines are counted, not kept, and the end does not follow.
    buffer = appendLines(buffer, numbered(9, 9));
    expect(texts(buffer.lines)).toEqual(texts(numbered(1, 6)));
    expect(buffer.newSincePaused).toBe(1);
    expect(scrollTo(buffer, 10, 3).top).toBe(3);
    expect(stateOf({ buffer: scrollTo(buffer, 0, 3), readingBack: false })).toBe(
      'paused — 1 new line, G to follow · start of the log',
    );
  });

  it('finds the lines that contain a text, ignoring case, its characters taken as they are', () => {
    const lines = [
      { name: 'web', at: 1, stream: 'stdout' as const, text: 'GET /a (200)' },
      { name: 'web', at: 2, stream: 'stderr' as const, text: 'error: (boom)' },
      { name: 'web', at: 3, stream: 'stdout' as const, text: 'Error again' },
    ];
    expect(findMatches(lines, 'ERROR')).toEqual([1, 2]);
    expect(findMatches(lines, '(')).toEqual([0, 1]);
    expect(findMatches(lines, '')).toEqual([]);
    expect(splitMatches('an Error, an error', 'error')).toEqual([
      { text: 'an ', match: false },
      { text: 'Error', match: true },
      { text: ', an ', match: false },
      { text: 'error', match: true },
    ]);
    expect(splitMatches('', 'x')).toEqual([{ text: '', match: false }]);
  });

  it('steps through matches both ways, wrapping around', () => {
    const matches = [2, 5, 9];
    // From a line that is no match: the first at or after it, the last at or before it.
    expect(stepMatch(matches, 5, 1, false)).toBe(1);
    expect(stepMatch(matches, 6, -1, false)).toBe(1);
    // From a match: the next, the previous.
    expect(stepMatch(matches, 5, 1, true)).toBe(2);
    expect(stepMatch(matches, 9, 1, true)).toBe(0);
    expect(stepMatch(matches, 2, -1, true)).toBe(2);
    expect(stepMatch([], 0, 1, false)).toBeUndefined();
  });

  it('says what it shows and what a search found', () => {
    expect(subjectOf('worker', 2)).toBe('worker (2 instances)');
    expect(subjectOf('api', 1)).toBe('api');
    expect(subjectOf('all', undefined)).toBe('all processes');
    expect(subjectOf(undefined, undefined)).toBe('no process selected');
    expect(searchStatusOf('x', 0, undefined)).toBe('no match for "x"');
    expect(searchStatusOf('err', 12, 2)).toBe('match 3 of 12');
    expect(searchStatusOf('err', 12, undefined)).toBe('12 matches for "err", n next');
    expect(searchStatusOf('', 0, undefined)).toBeUndefined();
  });
});
