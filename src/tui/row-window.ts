/**
 * Which rows fit on the screen: at most `room` of them, the selected one always among
 * them, so a stack taller than the terminal scrolls instead of pushing the header away (a
 * frame taller than the screen cannot be redrawn in place).
 */
export interface RowWindow {
  /** Index of the first row shown. */
  readonly start: number;
  /** Index after the last row shown. */
  readonly end: number;
}

export function rowWindow(count: number, selected: number, room: number): RowWindow {
  if (count <= room) return { start: 0, end: count };
  const shown = Math.max(1, room);
  const start = Math.min(Math.max(0, selected - Math.floor(shown / 2)), count - shown);
  return { start, end: start + shown };
}
