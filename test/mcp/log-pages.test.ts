/**
 * Log pages for a model: read back page by page through the cursors, every line once, none
 * lost where many lines share a millisecond, and no page past its size in characters.
 */
import { describe, expect, it } from 'vitest';
import type { LogQuery, ProcessLogLine } from '../../src/core/view.js';
import {
  cursorText,
  type LogCursor,
  lineText,
  logPage,
  MAX_LINE_CHARS,
  pageQuery,
  parseCursor,
} from '../../src/mcp/log-pages.js';

/** `count` lines, `perMillisecond` of them in each millisecond, text `line N`. */
function logOf(count: number, perMillisecond: number): ProcessLogLine[] {
  return Array.from({ length: count }, (_, index) => ({
    at: 1_000 + Math.floor(index / perMillisecond),
    name: 'api',
    stream: 'stdout' as const,
    text: `line ${index + 1}`,
  }));
}

/** What `readLogs` answers: the newest `lines` before `until`, oldest first. */
function read(log: readonly ProcessLogLine[], query: LogQuery): ProcessLogLine[] {
  const before = log.filter((line) => query.until === undefined || line.at < query.until);
  return before.slice(-(query.lines ?? 100));
}

/** Every page from the newest back, as the texts of their lines; then the pages' sizes. */
function readBack(log: readonly ProcessLogLine[], lines: number, maxChars?: number) {
  const pages: string[][] = [];
  let cursor: LogCursor | undefined;
  do {
    const query = pageQuery(lines, cursor);
    const page = logPage(read(log, query), query, cursor, maxChars);
    pages.push(page.lines.map((line) => line.split(' ').slice(3).join(' ')));
    cursor = page.older && parseCursor(cursorText(page.older));
  } while (cursor !== undefined && pages.length < 1_000);
  return { texts: pages.reverse().flat(), pages };
}

describe('a log read back a page at a time', () => {
  it.each([
    ['one line a millisecond', 1],
    ['7 lines a millisecond', 7],
    ['every line in one millisecond', 1_000],
    ['a millisecond longer than a page', 45],
  ])('gives every line once, in order, with %s', (_, perMillisecond) => {
    const log = logOf(500, perMillisecond);
    const { texts, pages } = readBack(log, 20);
    expect(texts).toEqual(log.map((line) => line.text));
    // The oldest page holds what is left (none when the log divides evenly).
    expect(pages.slice(1).every((page) => page.length === 20)).toBe(true);
  });

  it('keeps the newest lines that fit the characters of a page, and the rest for the next', () => {
    const log = logOf(300, 3);
    const maxChars = 1_000;
    const { texts, pages } = readBack(log, 200, maxChars);
    expect(texts).toEqual(log.map((line) => line.text));
    for (const page of pages) expect(page.length).toBeLessThan(200);
    const first = logPage(
      read(log, pageQuery(200, undefined)),
      pageQuery(200, undefined),
      undefined,
      maxChars,
    );
    expect(first.lines.join('\n').length).toBeLessThanOrEqual(maxChars);
    expect(first.lines.at(-1)).toMatch(/line 300$/);
  });

  it('says the start is reached only when nothing older is kept', () => {
    const log = logOf(20, 1);
    expect(
      logPage(read(log, pageQuery(20, undefined)), pageQuery(20, undefined), undefined).older,
    ).toEqual({ at: 1_000, shown: 1 });
    expect(
      logPage(read(log, pageQuery(21, undefined)), pageQuery(21, undefined), undefined).older,
    ).toBeUndefined();
  });

  it('cuts a line too long for a model and says how much was left out', () => {
    const text = 'y'.repeat(MAX_LINE_CHARS + 123);
    const shown = lineText({ at: 0, name: 'api', stream: 'stderr', text });
    expect(shown).toMatch(/^1970-01-01T00:00:00.000Z api stderr y+… \(123 more characters\)$/);
  });

  it('refuses a cursor it did not give, naming it', () => {
    expect(() => parseCursor('yesterday')).toThrow(/before: expected a cursor .* got "yesterday"/);
    expect(parseCursor('1733600000123-2')).toEqual({ at: 1733600000123, shown: 2 });
  });
});
