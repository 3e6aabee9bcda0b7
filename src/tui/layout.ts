/**
 * How the screen's lines are shared: the header and footer take what they need, the process
 * table 60% of the rest at most (fewer when it has fewer rows), the log pane what is left
 * (all of it when zoomed, none on a screen too short for both). Pure, so every size is tested without a terminal.
 */

/**
 * Lines that are neither process rows nor the log pane: the header (2), a blank, the table's
 * titles, the scroll line, a blank, the status line, the keys; and one spare, since a frame
 * as tall as the screen scrolls it by a line.
 */
export const CHROME_LINES = 9;

/** Below this many lines for both, the table alone is shown (a log pane of 2 lines says nothing). */
const MIN_SHARED = 12;

/** The log pane's share, at least, of the lines the table and it share. */
const LOG_SHARE = 0.4;

/** The log pane's height where the screen says no height (a test's, a dumb terminal). */
const UNBOUNDED_LOG_HEIGHT = 8;

export interface Layout {
  /** Process rows that fit; `Infinity` when the screen has no height. */
  readonly tableRows: number;
  /** Lines of the log pane, its title included; 0: not shown. */
  readonly logHeight: number;
}

/** `rows`: how many rows the table has; the log pane takes the lines they leave. */
export function layoutOf(
  height: number,
  zoomed: boolean,
  rows: number = Number.POSITIVE_INFINITY,
): Layout {
  if (!Number.isFinite(height)) {
    return { tableRows: zoomed ? 1 : Number.POSITIVE_INFINITY, logHeight: UNBOUNDED_LOG_HEIGHT };
  }
  const shared = Math.max(0, height - CHROME_LINES);
  // Zoomed, the table keeps its titles and the selected row: the pane still says whose it is.
  if (zoomed) return { tableRows: 1, logHeight: Math.max(0, shared - 1) };
  if (shared < MIN_SHARED) return { tableRows: Math.max(1, shared), logHeight: 0 };
  const tableRows = Math.min(shared - Math.floor(shared * LOG_SHARE), Math.max(1, rows));
  return { tableRows, logHeight: shared - tableRows };
}
