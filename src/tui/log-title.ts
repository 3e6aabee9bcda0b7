/**
 * What the log pane says of itself in words: its title line (whose logs, following or
 * paused, the search) and a search's result. Pure, so the words are tested without rendering.
 */
import type { LogBuffer } from './log-buffer.js';

export interface PaneState {
  readonly buffer: LogBuffer;
  readonly readingBack: boolean;
}

/** `worker (2 instances)`, `api`, `all processes` (`all`), `no process selected`. */
export function subjectOf(name: string | undefined, instances: number | undefined): string {
  if (name === undefined) return 'no process selected';
  if (name === 'all') return 'all processes';
  return instances !== undefined && instances > 1 ? `${name} (${instances} instances)` : name;
}

/**
 * `following`, or, scrolled back, `paused — 37 new lines, G to follow`; and what is
 * going on at the start: older lines being read, or none left.
 */
export function stateOf({ buffer, readingBack }: PaneState): string {
  const parts: string[] = [];
  if (buffer.top === undefined) {
    parts.push('following');
  } else {
    const count = buffer.newSincePaused;
    parts.push(
      count === 0
        ? 'paused, G to follow'
        : `paused — ${count} new ${count === 1 ? 'line' : 'lines'}, G to follow`,
    );
  }
  if (readingBack) parts.push('reading older lines…');
  else if (buffer.atStart && buffer.top === 0) parts.push('start of the log');
  return parts.join(' · ');
}

/**
 * A search's result: `match 3 of 12` once at a match, `12 matches` before, `no match for
 * "x"`; nothing without a pattern.
 */
export function searchStatusOf(
  pattern: string,
  matchCount: number,
  current: number | undefined,
): string | undefined {
  if (pattern === '') return undefined;
  if (matchCount === 0) return `no match for ${JSON.stringify(pattern)}`;
  if (current !== undefined) return `match ${current + 1} of ${matchCount}`;
  return `${matchCount} ${matchCount === 1 ? 'match' : 'matches'} for ${JSON.stringify(pattern)}, n next`;
}
