/**
 * The log pane's lines as the rows of the screen: each line with its process in front when
 * the pane shows several, the parts a search matches marked, cut at the pane's width or
 * wrapped onto as many rows as it takes; and which lines fit in the rows there are, from
 * the first shown or back from the newest. Pure, so the layout is tested without rendering.
 */
import type { ProcessLogLine } from '../core/view.js';
import { splitMatches } from './log-buffer.js';
import { screenText } from './screen-text.js';

export interface Segment {
  readonly text: string;
  /** Part of a search's match: shown in reverse video. */
  readonly match: boolean;
  /** The process's name in front of the text. */
  readonly prefix: boolean;
}

export interface LogRow {
  /** The line's position in the buffer and the row within it: unique among the rows shown. */
  readonly key: string;
  /** The line's position in the buffer. */
  readonly index: number;
  readonly line: ProcessLogLine;
  readonly segments: readonly Segment[];
}

export interface RowLayout {
  /** Characters a row holds. */
  readonly width: number;
  /** Long lines take several rows (else they are cut at the width, ending in `…`). */
  readonly wrap: boolean;
  /** What a search matches; empty for none. */
  readonly pattern: string;
  /** The width of the names in front of the lines; 0: no name is shown. */
  readonly nameWidth: number;
  /** Whether `line` shows its process's name (the pane shows several processes or instances). */
  readonly named: (line: ProcessLogLine) => boolean;
}

/** `worker-1 │ `: the name in front of a line, as `overseer logs` and `up` print it. */
export function prefixOf(name: string, nameWidth: number): string {
  return `${name.padEnd(nameWidth)} │ `;
}

/** The rows of one line. */
export function rowsOfLine(line: ProcessLogLine, index: number, layout: RowLayout): LogRow[] {
  const segments: Segment[] = [];
  if (layout.named(line)) {
    segments.push({ text: prefixOf(line.name, layout.nameWidth), match: false, prefix: true });
  }
  for (const part of splitMatches(screenText(line.text), layout.pattern)) {
    segments.push({ ...part, prefix: false });
  }
  if (!layout.wrap) return [{ key: `${index}`, index, line, segments }];
  return cutIntoRows(segments, Math.max(1, layout.width)).map((row, part) => ({
    key: `${index}.${part}`,
    index,
    line,
    segments: row,
  }));
}

/** How many rows a line takes. */
export function rowCountOf(line: ProcessLogLine, layout: RowLayout): number {
  if (!layout.wrap) return 1;
  const prefix = layout.named(line) ? prefixOf(line.name, layout.nameWidth).length : 0;
  const length = prefix + [...screenText(line.text)].length;
  return Math.max(1, Math.ceil(length / Math.max(1, layout.width)));
}

/**
 * The rows that fill `height`: from line `top` on, or, with no top (following), back from
 * the newest line, the oldest of them cut at its start when it does not fit whole.
 * `lastTop`: the first line shown when the newest line shows at the bottom.
 */
export function visibleRows(
  lines: readonly ProcessLogLine[],
  top: number | undefined,
  height: number,
  layout: RowLayout,
): { readonly rows: LogRow[]; readonly lastTop: number } {
  const lastTop = lastTopOf(lines, height, layout);
  const rows: LogRow[] = [];
  if (height <= 0) return { rows, lastTop };
  if (top === undefined) {
    for (let index = lines.length - 1; index >= 0 && rows.length < height; index--) {
      rows.unshift(...rowsOfLine(lines[index]!, index, layout));
    }
    return { rows: rows.slice(Math.max(0, rows.length - height)), lastTop };
  }
  for (let index = top; index < lines.length && rows.length < height; index++) {
    rows.push(...rowsOfLine(lines[index]!, index, layout));
  }
  return { rows: rows.slice(0, height), lastTop };
}

/** The first line that fits in `height` rows when the newest line is at the bottom. */
export function lastTopOf(
  lines: readonly ProcessLogLine[],
  height: number,
  layout: RowLayout,
): number {
  if (!layout.wrap) return Math.max(0, lines.length - Math.max(1, height));
  let used = 0;
  let index = lines.length;
  while (index > 0) {
    used += rowCountOf(lines[index - 1]!, layout);
    if (used > height && index < lines.length) break;
    index -= 1;
  }
  return Math.max(0, index);
}

/** Segments cut into rows of `width` characters, a segment split where a row ends. */
function cutIntoRows(segments: readonly Segment[], width: number): Segment[][] {
  const rows: Segment[][] = [[]];
  let room = width;
  for (const segment of segments) {
    let chars = [...segment.text];
    while (chars.length > 0) {
      if (room === 0) {
        rows.push([]);
        room = width;
      }
      const piece = chars.slice(0, room);
      chars = chars.slice(room);
      rows[rows.length - 1]!.push({ ...segment, text: piece.join('') });
      room -= piece.length;
    }
  }
  return rows;
}
