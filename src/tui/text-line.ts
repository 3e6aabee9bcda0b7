/**
 * A line of the dashboard's long views (a process's details, a task's result) as pure
 * data: pieces of text, each in its look, so the views are laid out and tested without
 * rendering, and scrolled line by line.
 */
import type { Look } from './status-look.js';

export interface Piece {
  readonly text: string;
  readonly look?: Look;
  readonly bold?: boolean;
}

export type TextLine = readonly Piece[];

/** A line of plain text. */
export function plain(text: string): TextLine {
  return [{ text }];
}

/** A section's title: bold. */
export function title(text: string): TextLine {
  return [{ text, bold: true }];
}

/** The lines of `sections`, a blank line between each two that are not empty. */
export function joinSections(sections: readonly (readonly TextLine[])[]): TextLine[] {
  return sections
    .filter((lines) => lines.length > 0)
    .flatMap((lines, index) => (index === 0 ? lines : [plain(''), ...lines]));
}

/** The line's text without its looks: for tests and for measuring. */
export function textOf(line: TextLine): string {
  return line.map((piece) => piece.text).join('');
}
