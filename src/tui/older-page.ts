/**
 * Reading a log back a page at a time, before the oldest line held, with none lost and none
 * twice. Several lines may share a millisecond: asking for lines `until` the oldest one's
 * time would lose those of its millisecond not held; asking past it would repeat those
 * held. So the page is asked up to and including that millisecond, `k` lines longer, k being
 * the lines of that millisecond held; one equal line per held one is then left out of it.
 */
import type { LogQuery, ProcessLogLine } from '../core/view.js';

export interface OlderRequest {
  /** What to ask `readLogs` for. */
  readonly query: LogQuery & { readonly lines: number; readonly until: number };
  /** The lines held of the oldest one's millisecond: the answer holds them too. */
  readonly held: readonly ProcessLogLine[];
}

/** What to ask for `page` lines before `lines` (held, oldest first); none for nothing held. */
export function olderRequest(
  lines: readonly ProcessLogLine[],
  page: number,
): OlderRequest | undefined {
  const oldest = lines[0];
  if (oldest === undefined) return undefined;
  // Every held line of that millisecond, not only the first ones: lines of several
  // instances arrive in the order they were read, not always in the files' order.
  const held = lines.filter((line) => line.at === oldest.at);
  return { query: { lines: page + held.length, until: oldest.at + 1 }, held };
}

/**
 * The page: the answer without the lines held (one left out per held line, equal by
 * process, stream and text). `reachedStart`: the answer was shorter than asked, so nothing
 * older is kept.
 */
export function olderPage(
  answer: readonly ProcessLogLine[],
  request: OlderRequest,
): { readonly lines: ProcessLogLine[]; readonly reachedStart: boolean } {
  const owed = new Map<string, number>();
  for (const line of request.held) owed.set(keyOf(line), (owed.get(keyOf(line)) ?? 0) + 1);
  // From the newest back: the held lines are the newest of their millisecond.
  const kept: ProcessLogLine[] = [];
  for (let index = answer.length - 1; index >= 0; index--) {
    const line = answer[index]!;
    const key = line.at === request.query.until - 1 ? keyOf(line) : undefined;
    const left = key === undefined ? 0 : (owed.get(key) ?? 0);
    if (left > 0) owed.set(key!, left - 1);
    else kept.push(line);
  }
  return { lines: kept.reverse(), reachedStart: answer.length < request.query.lines };
}

/**
 * The newest `count` lines of several processes' answers, merged by time: a tie keeps the
 * order of the answers, and one process's lines keep theirs (as the supervisor merges).
 */
export function newestMerged(
  answers: ReadonlyArray<readonly ProcessLogLine[]>,
  count: number,
): ProcessLogLine[] {
  const all = answers.flat();
  // A stable sort: lines of one process with the same time stay in their order.
  all.sort((a, b) => a.at - b.at);
  return all.length > count ? all.slice(all.length - count) : all;
}

function keyOf(line: ProcessLogLine): string {
  return `${line.name}\u0000${line.stream}\u0000${line.text}`;
}
