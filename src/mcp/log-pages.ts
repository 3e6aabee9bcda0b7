/**
 * A process's log read back a page at a time for a model: the newest lines first, then older
 * pages through a cursor, each page sized to fit a model's context. Several lines may share
 * a millisecond, so the cursor is the oldest line's time and how many lines of that
 * millisecond were already shown: the next page is asked up to and including that
 * millisecond, that many lines longer, and those lines (the newest of the answer) are left
 * out again.
 */
import { OverseerError } from '../core/errors.js';
import type { LogQuery, ProcessLogLine } from '../core/view.js';

/** Lines a page holds when not told. */
export const DEFAULT_PAGE_LINES = 200;
/** Most lines one page may ask for. */
export const MAX_PAGE_LINES = 1000;
/** Most characters of the lines of one page: the oldest are left for the next page. */
export const MAX_PAGE_CHARS = 24_000;
/** Most characters of one line; the rest is cut and counted. */
export const MAX_LINE_CHARS = 2_000;

/** Where the previous page began: its oldest line's time, and the lines of that millisecond shown. */
export interface LogCursor {
  readonly at: number;
  readonly shown: number;
}

/** `1733600000123-2`: the cursor as a tool takes it back. */
export function cursorText(cursor: LogCursor): string {
  return `${cursor.at}-${cursor.shown}`;
}

/** The cursor `text` stands for; `BAD_REQUEST` naming it when it is none. */
export function parseCursor(text: string): LogCursor {
  const match = /^(\d{1,15})-(\d{1,9})$/.exec(text);
  if (!match) {
    throw new OverseerError(
      'BAD_REQUEST',
      `before: expected a cursor as a previous page gave it (such as 1733600000123-2), got ${JSON.stringify(text)}`,
    );
  }
  return { at: Number(match[1]), shown: Number(match[2]) };
}

/** What to ask `readLogs` for a page of `lines` lines before `cursor` (none: the newest). */
export function pageQuery(
  lines: number,
  cursor: LogCursor | undefined,
  grep?: RegExp,
): LogQuery & { readonly lines: number } {
  const filter = grep === undefined ? {} : { grep };
  if (cursor === undefined) return { lines, ...filter };
  return { lines: lines + cursor.shown, until: cursor.at + 1, ...filter };
}

export interface LogPage {
  /** The page's lines as text, oldest first. */
  readonly lines: readonly string[];
  /** Where the next, older page begins; none when the log's start is in this page. */
  readonly older: LogCursor | undefined;
}

/**
 * The page in `answer` (what `pageQuery` asked for, oldest first): the lines already shown
 * left out, then as many of the newest as fit in `maxChars`.
 */
export function logPage(
  answer: readonly ProcessLogLine[],
  query: { readonly lines: number },
  cursor: LogCursor | undefined,
  maxChars = MAX_PAGE_CHARS,
): LogPage {
  const fresh = [...answer];
  let toSkip = cursor?.shown ?? 0;
  // From the newest back: the lines shown already are the newest of their millisecond.
  for (let index = fresh.length - 1; index >= 0 && toSkip > 0; index--) {
    if (fresh[index]!.at !== cursor!.at) break;
    fresh.splice(index, 1);
    toSkip--;
  }
  const pageLines = query.lines - (cursor?.shown ?? 0);
  const kept: ProcessLogLine[] = [];
  const texts: string[] = [];
  let chars = 0;
  for (let index = fresh.length - 1; index >= 0 && kept.length < pageLines; index--) {
    const text = lineText(fresh[index]!);
    if (chars + text.length + 1 > maxChars && kept.length > 0) break;
    chars += text.length + 1;
    kept.unshift(fresh[index]!);
    texts.unshift(text);
  }
  const reachedStart = answer.length < query.lines && kept.length === fresh.length;
  const oldest = kept[0];
  if (reachedStart || oldest === undefined) return { lines: texts, older: undefined };
  const sameMillisecond = kept.filter((line) => line.at === oldest.at).length;
  const carried = cursor !== undefined && cursor.at === oldest.at ? cursor.shown : 0;
  return { lines: texts, older: { at: oldest.at, shown: sameMillisecond + carried } };
}

/** `2026-12-07T20:44:20.123Z api stderr disk full`, a long text cut at `MAX_LINE_CHARS`. */
export function lineText(line: ProcessLogLine): string {
  const over = line.text.length - MAX_LINE_CHARS;
  const text =
    over > 0 ? `${line.text.slice(0, MAX_LINE_CHARS)}… (${over} more characters)` : line.text;
  return `${new Date(line.at).toISOString()} ${line.name} ${line.stream} ${text}`;
}
