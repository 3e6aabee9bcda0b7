/**
 * A window of `height` lines of a longer text, from line `top`, each cut at the edge
 * rather than wrapped (so one line of text is one line of screen and scrolling counts
 * right), and a last line that says which lines show when not all of them do. Takes
 * exactly `height` lines when the text is taller, fewer when it is not.
 */
import { Box, Text } from 'ink';
import { Painted } from './painted.js';
import { scrollNote } from './scroll.js';
import type { TextLine } from './text-line.js';
import type { Theme } from './theme.js';

export interface ScrolledLinesProps {
  readonly lines: readonly TextLine[];
  readonly top: number;
  /** Screen lines to fill, the scroll note included. */
  readonly height: number;
  readonly theme: Theme;
}

export function ScrolledLines({ lines, top, height, theme }: ScrolledLinesProps) {
  const room = linesRoom(lines.length, height);
  const from = Math.min(top, Math.max(0, lines.length - room));
  const note = scrollNote(from, room, lines.length);
  return (
    <Box flexDirection="column">
      {lines.slice(from, from + room).map((line, index) => (
        // Lines have no identity beyond their place in the window.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <Text key={index} wrap="truncate-end">
          {line.length === 0 || line.every((piece) => piece.text === '') ? ' ' : null}
          {line.map((piece, column) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: pieces never move within a line
            <Text key={column} bold={piece.bold === true}>
              <Painted look={piece.look} theme={theme}>
                {piece.text}
              </Painted>
            </Text>
          ))}
        </Text>
      ))}
      {note === undefined ? null : <Text dimColor={theme.colour}>{note}</Text>}
    </Box>
  );
}

/** Lines of text that fit in `height` screen lines: one goes to the scroll note when needed. */
export function linesRoom(count: number, height: number): number {
  return count <= height ? count : Math.max(1, height - 1);
}
