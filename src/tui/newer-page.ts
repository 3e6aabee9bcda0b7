/**
 * Reading a process's newest lines a page at a time, as the log pane follows it: asked at
 * the dashboard's cadence instead of streamed, so a process printing 50 000 lines a second
 * costs the supervisor one short read per refresh, not one message per line. Each read asks
 * for the lines `since` the newest one held, its millisecond included (several lines may
 * share it), and the lines of that millisecond already held are left out of the answer, one
 * per equal line. An answer as long as asked that starts past that millisecond may have left
 * lines out between: a gap, after which the page stands alone (the pane reads what it
 * skipped from the log files when scrolled back to it).
 */
import type { LogQuery, ProcessLogLine } from '../core/view.js';
import { HeldLines } from './held-lines.js';

/** Where reading left off: the newest line's time, and the lines read of that millisecond. */
export interface NewerCursor {
  readonly at: number;
  readonly held: readonly ProcessLogLine[];
}

export type NewerQuery = LogQuery & { readonly lines: number };

/** What to ask for at most `page` new lines after `cursor` (none yet: the newest `page`). */
export function newerRequest(cursor: NewerCursor | undefined, page: number): NewerQuery {
  if (cursor === undefined) return { lines: page };
  return { since: cursor.at, lines: page + cursor.held.length };
}

export interface NewerPage {
  /** The lines not held yet, oldest first. */
  readonly lines: ProcessLogLine[];
  /** Lines may be missing before these: they do not follow on from what is held. */
  readonly gap: boolean;
  readonly cursor: NewerCursor | undefined;
}

export function newerPage(
  answer: readonly ProcessLogLine[],
  cursor: NewerCursor | undefined,
  query: NewerQuery,
): NewerPage {
  const held = new HeldLines(cursor?.held ?? []);
  const lines = answer.filter(
    (line) => cursor === undefined || line.at !== cursor.at || !held.takes(line),
  );
  const newest = answer.at(-1);
  const gap =
    cursor !== undefined && answer.length >= query.lines && (answer[0]?.at ?? 0) > cursor.at;
  return {
    lines,
    gap,
    cursor:
      newest === undefined
        ? cursor
        : { at: newest.at, held: answer.filter((line) => line.at === newest.at) },
  };
}
