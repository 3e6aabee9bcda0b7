/**
 * Reading a log back a page at a time, before the oldest line held, with none lost and none
 * twice. Several lines may share a millisecond: asking for lines `until` the oldest one's
 * time would lose those of its millisecond not held; asking past it would repeat those
 * held. So the page is asked up to and including that millisecond, `k` lines longer, k being
 * the lines of that millisecond had from the oldest on; one equal line per such line is then
 * left out of it. Those lines are the ones held while the newest are (lines of several
 * instances arrive in the order they were read, not in the files' order: compared as a
 * set, not by position); once older lines pushed the newest out, they are known from the
 * page that brought the oldest line.
 */
import type { LogQuery, ProcessLogLine } from '../core/view.js';
import { HeldLines } from './held-lines.js';

export interface OlderRequest {
  /** What to ask `readLogs` for. */
  readonly query: LogQuery & { readonly lines: number; readonly until: number };
  /** The lines had of the oldest one's millisecond, from it on: the answer holds them too. */
  readonly held: readonly ProcessLogLine[];
}

/**
 * What to ask for `page` lines before `lines` (held, oldest first); none for nothing held.
 * `oldestGroup`: the lines had of the oldest one's millisecond when they are not all held
 * (see `olderPage`); else every held line of it, not only the first ones.
 */
export function olderRequest(
  lines: readonly ProcessLogLine[],
  page: number,
  oldestGroup?: readonly ProcessLogLine[],
): OlderRequest | undefined {
  const oldest = lines[0];
  if (oldest === undefined) return undefined;
  const held = oldestGroup ?? lines.filter((line) => line.at === oldest.at);
  return { query: { lines: page + held.length, until: oldest.at + 1 }, held };
}

export interface OlderPage {
  readonly lines: ProcessLogLine[];
  /** The answer was shorter than asked: nothing older is kept. */
  readonly reachedStart: boolean;
  /**
   * The lines of the page's oldest millisecond from its first line on, in the answer: had
   * once the page is in front, even after the newest of them are let go.
   */
  readonly oldestGroup: readonly ProcessLogLine[];
}

/** The page: the answer without the lines had (one left out per such line, equal by process, stream and text). */
export function olderPage(answer: readonly ProcessLogLine[], request: OlderRequest): OlderPage {
  const held = new HeldLines(request.held);
  // From the newest back: the held lines are the newest of their millisecond.
  const kept: ProcessLogLine[] = [];
  for (let index = answer.length - 1; index >= 0; index--) {
    const line = answer[index]!;
    if (line.at !== request.query.until - 1 || !held.takes(line)) kept.push(line);
  }
  kept.reverse();
  const first = kept[0];
  const from = first === undefined ? answer.length : answer.indexOf(first);
  return {
    lines: kept,
    reachedStart: answer.length < request.query.lines,
    oldestGroup:
      first === undefined
        ? request.held
        : answer.slice(from).filter((line) => line.at === first.at),
  };
}
