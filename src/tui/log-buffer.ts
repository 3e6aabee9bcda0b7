/**
 * The log pane's lines and where the reader is in them, as immutable values: a bounded
 * buffer (new lines push the oldest out), older lines read back put in front of it (pushing
 * the newest out then), the scroll position, and the lines a search matches. Pure, so the
 * pane's behaviour is tested without rendering.
 */
import type { ProcessLogLine } from '../core/view.js';
import { screenText } from './screen-text.js';

export interface LogBuffer {
  /** Oldest first; never more than `capacity`. */
  readonly lines: readonly ProcessLogLine[];
  readonly capacity: number;
  /**
   * The index of the first line shown while the reader has scrolled away from the end
   * (following is paused); `undefined` while following: the newest lines show.
   */
  readonly top: number | undefined;
  /** Lines that arrived since following was paused, kept or not. */
  readonly newSincePaused: number;
  /**
   * Older lines pushed the newest out: the buffer no longer reaches the present, so new
   * lines are only counted until the reader follows again (and the lines are read anew).
   */
  readonly behindLive: boolean;
  /** Nothing older than the first line is kept anywhere: reading back has reached the start. */
  readonly atStart: boolean;
  /**
   * The lines of the first line's millisecond from it on, as read back with it: to read
   * further back without repeating them, also once the newest of them were let go.
   * Undefined: they are all in `lines`.
   */
  readonly oldestGroup?: readonly ProcessLogLine[];
}

export function emptyBuffer(capacity: number): LogBuffer {
  return {
    lines: [],
    capacity: Math.max(1, Math.floor(capacity)),
    top: undefined,
    newSincePaused: 0,
    behindLive: false,
    atStart: false,
  };
}

export function isFollowing(buffer: LogBuffer): boolean {
  return buffer.top === undefined;
}

/**
 * New lines at the end, the oldest pushed out past the capacity. `received` counts the
 * lines that arrived, some of which may have been let go before (a burst larger than the
 * buffer keeps only its newest lines anyway). A paused reader keeps looking at the same
 * lines for as long as they are kept.
 */
export function appendLines(
  buffer: LogBuffer,
  incoming: readonly ProcessLogLine[],
  received = incoming.length,
): LogBuffer {
  if (received === 0) return buffer;
  const paused = buffer.top !== undefined;
  const newSincePaused = paused ? buffer.newSincePaused + received : 0;
  if (buffer.behindLive) return { ...buffer, newSincePaused };
  const kept = incoming.length > buffer.capacity ? incoming.slice(-buffer.capacity) : incoming;
  const joined = buffer.lines.concat(kept);
  const dropped = Math.max(0, joined.length - buffer.capacity);
  return {
    ...buffer,
    lines: dropped > 0 ? joined.slice(dropped) : joined,
    top: paused ? Math.max(0, buffer.top! - dropped) : undefined,
    newSincePaused,
    // Lines pushed out are older than the first one: reading back finds them again.
    atStart: buffer.atStart && dropped === 0,
    oldestGroup: dropped === 0 ? buffer.oldestGroup : undefined,
  };
}

/**
 * New lines that do not follow on from those held (more came between two reads than a read
 * brings): they replace them, the skipped ones being older than the first and read back
 * from the files like any other. A paused reader keeps the lines it reads: the buffer falls
 * behind the present, and the new lines are counted until it follows again.
 */
export function afterGap(buffer: LogBuffer, incoming: readonly ProcessLogLine[]): LogBuffer {
  if (buffer.top !== undefined) {
    return {
      ...buffer,
      behindLive: true,
      newSincePaused: buffer.newSincePaused + incoming.length,
    };
  }
  return { ...emptyBuffer(buffer.capacity), lines: incoming.slice(-buffer.capacity) };
}

/**
 * Older lines put in front, read back from the log files; past the capacity the newest
 * go, and the buffer is then behind the present. `reachedStart`: there is nothing older;
 * `oldestGroup`: see `LogBuffer`. The reader keeps looking at the lines it was looking at.
 */
export function prependLines(
  buffer: LogBuffer,
  older: readonly ProcessLogLine[],
  reachedStart: boolean,
  oldestGroup?: readonly ProcessLogLine[],
): LogBuffer {
  const joined = older.concat(buffer.lines);
  const over = Math.max(0, joined.length - buffer.capacity);
  const top = (buffer.top ?? 0) + older.length;
  return {
    ...buffer,
    lines: over > 0 ? joined.slice(0, joined.length - over) : joined,
    top: Math.max(0, Math.min(top, joined.length - over - 1)),
    behindLive: buffer.behindLive || over > 0,
    atStart: reachedStart,
    oldestGroup: older.length === 0 ? buffer.oldestGroup : oldestGroup,
  };
}

/**
 * Shows the lines from `top` on, `lastTop` being the top at which the newest line shows:
 * there or past it, following resumes (unless the buffer is behind the present, when the
 * reader stays paused at its end).
 */
export function scrollTo(buffer: LogBuffer, top: number, lastTop: number): LogBuffer {
  const end = Math.max(0, lastTop);
  if (top >= end && !buffer.behindLive) return follow(buffer);
  const clamped = Math.min(Math.max(0, top), end);
  const newSincePaused = buffer.top === undefined ? 0 : buffer.newSincePaused;
  return { ...buffer, top: clamped, newSincePaused };
}

/** Back to following the newest lines; a buffer behind the present needs its lines read anew. */
export function follow(buffer: LogBuffer): LogBuffer {
  return { ...buffer, top: undefined, newSincePaused: 0 };
}

/** The indices of the lines whose text contains `pattern`, ignoring case; none for no pattern. */
export function findMatches(lines: readonly ProcessLogLine[], pattern: string): number[] {
  if (pattern === '') return [];
  const wanted = patternOf(pattern, '');
  const found: number[] = [];
  for (const [index, line] of lines.entries()) {
    if (wanted.test(screenText(line.text))) found.push(index);
  }
  return found;
}

/**
 * The match to go to from line `from` (the current match, or the first line shown when
 * there is none): the next one after it (`direction` 1) or the one before (-1), wrapping
 * around; the position in `matches`, or undefined when there is none.
 */
export function stepMatch(
  matches: readonly number[],
  from: number,
  direction: 1 | -1,
  fromIsMatch: boolean,
): number | undefined {
  if (matches.length === 0) return undefined;
  if (direction === 1) {
    const next = matches.findIndex((index) => (fromIsMatch ? index > from : index >= from));
    return next < 0 ? 0 : next;
  }
  let previous = -1;
  for (const [position, index] of matches.entries()) {
    if (fromIsMatch ? index < from : index <= from) previous = position;
  }
  return previous < 0 ? matches.length - 1 : previous;
}

/** A line's text cut into the parts that match `pattern` (ignoring case) and those that do not. */
export function splitMatches(
  text: string,
  pattern: string,
): Array<{ readonly text: string; readonly match: boolean }> {
  if (pattern === '') return [{ text, match: false }];
  const parts: Array<{ text: string; match: boolean }> = [];
  let from = 0;
  for (const found of text.matchAll(patternOf(pattern, 'g'))) {
    if (found.index > from) parts.push({ text: text.slice(from, found.index), match: false });
    parts.push({ text: found[0], match: true });
    from = found.index + found[0].length;
  }
  if (from < text.length || parts.length === 0)
    parts.push({ text: text.slice(from), match: false });
  return parts;
}

/**
 * Plain text as a pattern that ignores case: compared on the text itself, not on a
 * lower-cased copy, whose length may differ (`İ`) and put a highlight off by a character.
 */
function patternOf(text: string, flags: string): RegExp {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), `iu${flags}`);
}
