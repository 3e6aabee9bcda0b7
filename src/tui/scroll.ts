/**
 * Scrolling a text taller than its room: which key moves the top line where. Pure, so the
 * keys are tested without rendering.
 */
import type { Key } from 'ink';

/**
 * The first line shown after a key, or `undefined` when the key does not scroll: `↑`/`k`
 * and `↓`/`j` by a line (each of `jjj` typed faster than read counts), PgUp and PgDn by a
 * screen, `g`/Home to the top, `G`/End to the bottom. Never past either end.
 */
export function scrolled(
  top: number,
  input: string,
  key: Pick<Key, 'upArrow' | 'downArrow' | 'pageUp' | 'pageDown' | 'home' | 'end'>,
  count: number,
  room: number,
): number | undefined {
  const bottom = Math.max(0, count - room);
  const page = Math.max(1, room - 1);
  let next: number;
  if (key.upArrow) next = top - 1;
  else if (key.downArrow) next = top + 1;
  else if (key.pageUp) next = top - page;
  else if (key.pageDown) next = top + page;
  else if (key.home || input === 'g') next = 0;
  else if (key.end || input === 'G') next = bottom;
  else if (/^[jk]+$/.test(input)) next = top + stepsOf(input);
  else return undefined;
  return Math.min(bottom, Math.max(0, next));
}

/**
 * Lines to move for `j`s and `k`s: keys typed faster than they are read arrive as one
 * string (`jjj`), and each still counts; 0 for any other input.
 */
export function stepsOf(input: string): number {
  if (!/^[jk]+$/.test(input)) return 0;
  return [...input].reduce((steps, char) => steps + (char === 'j' ? 1 : -1), 0);
}

/** `↕ 13–24 of 40`: which lines show, when not all of them do; else `undefined`. */
export function scrollNote(top: number, shown: number, count: number): string | undefined {
  if (shown >= count) return undefined;
  return `↕ ${top + 1}–${top + shown} of ${count}`;
}
