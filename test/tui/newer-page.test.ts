import { describe, expect, it } from 'vitest';
import type { ProcessLogLine } from '../../src/core/view.js';
import { newerPage, newerRequest } from '../../src/tui/newer-page.js';

const line = (at: number, text: string, name = 'web'): ProcessLogLine => ({
  name,
  at,
  stream: 'stdout',
  text,
});

/** What a supervisor answers: the newest `lines` at or after `since`. */
function read(log: readonly ProcessLogLine[], query: { since?: number; lines: number }) {
  const found = log.filter((entry) => query.since === undefined || entry.at >= query.since);
  return found.slice(Math.max(0, found.length - query.lines));
}

describe('reading the newest lines page by page', () => {
  it('starts with the newest page, then asks from the newest millisecond held', () => {
    const log = [line(1, 'a'), line(2, 'b'), line(2, 'c')];
    const first = newerRequest(undefined, 2);
    expect(first).toEqual({ lines: 2 });
    const page = newerPage(read(log, first), undefined, first);
    expect(page.lines.map((entry) => entry.text)).toEqual(['b', 'c']);
    expect(newerRequest(page.cursor, 10)).toEqual({ since: 2, lines: 12 });
  });

  it('loses no line and shows none twice at a millisecond shared across reads', () => {
    const log = [line(1, 'a'), line(2, 'b'), line(2, 'same')];
    let query = newerRequest(undefined, 10);
    let page = newerPage(read(log, query), undefined, query);
    const shown = [...page.lines];
    // More lines in the same millisecond, one equal to one already held.
    log.push(line(2, 'same'), line(2, 'd'), line(3, 'e'));
    query = newerRequest(page.cursor, 10);
    page = newerPage(read(log, query), page.cursor, query);
    shown.push(...page.lines);
    expect(page.gap).toBe(false);
    expect(shown.map((entry) => entry.text)).toEqual(['a', 'b', 'same', 'same', 'd', 'e']);
    // Nothing new: nothing again.
    query = newerRequest(page.cursor, 10);
    page = newerPage(read(log, query), page.cursor, query);
    expect(page.lines).toEqual([]);
    expect(page.cursor).toEqual({ at: 3, held: [line(3, 'e')] });
  });

  it('says when more came than a page holds: a gap before the page', () => {
    const log = [line(1, 'a')];
    let query = newerRequest(undefined, 3);
    let page = newerPage(read(log, query), undefined, query);
    for (let at = 2; at <= 10; at++) log.push(line(at, `l${at}`));
    query = newerRequest(page.cursor, 3);
    page = newerPage(read(log, query), page.cursor, query);
    expect(page.gap).toBe(true);
    expect(page.lines.map((entry) => entry.text)).toEqual(['l7', 'l8', 'l9', 'l10']);
  });

  it('sees no gap in a full page that starts at the millisecond held', () => {
    const log = [line(5, 'a')];
    let query = newerRequest(undefined, 2);
    let page = newerPage(read(log, query), undefined, query);
    log.push(line(5, 'b'), line(6, 'c'));
    query = newerRequest(page.cursor, 2);
    page = newerPage(read(log, query), page.cursor, query);
    expect(page.gap).toBe(false);
    expect(page.lines.map((entry) => entry.text)).toEqual(['b', 'c']);
  });
});
