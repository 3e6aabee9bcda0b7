/**
 * One line of a table of cells: each cell padded or cut to its column's width (a column of
 * width 0 left out), painted in its look, the selected line marked `›` (and in reverse
 * video where the terminal shows it).
 */
import { Text } from 'ink';
import { Painted } from './painted.js';
import { type Cell, GAP, padOrCut } from './process-cells.js';
import type { Theme } from './theme.js';

/** The selection's mark before each line: it shows without colour or reverse video too. */
export const MARK_WIDTH = 2;

export interface CellLineProps {
  readonly cells: readonly Cell[];
  readonly widths: readonly number[];
  readonly theme: Theme;
  readonly bold?: boolean;
  readonly selected?: boolean;
}

export function CellLine({ cells, widths, theme, bold = false, selected = false }: CellLineProps) {
  const shown = cells.flatMap((cell, column) => {
    const width = widths[column]!;
    if (width === 0) return [];
    const last = column === cells.length - 1;
    return [{ cell, text: padOrCut(cell.text, width) + (last ? '' : ' '.repeat(GAP)) }];
  });
  return (
    <Text wrap="truncate-end" bold={bold} inverse={selected}>
      {selected ? '› ' : ' '.repeat(MARK_WIDTH)}
      {shown.map(({ cell, text }, column) => (
        // Columns never move within a line: their index is their identity.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <Painted key={column} look={cell.look} theme={theme}>
          {text}
        </Painted>
      ))}
    </Text>
  );
}
