/**
 * A table of cells with a line of titles: one line per row, the selected row marked `›`,
 * and a dim line saying why there is none when there is none. The workflow views' tables.
 */
import { Box, Text } from 'ink';
import { CellLine } from './cell-line.js';
import type { Cell } from './process-cells.js';
import type { Theme } from './theme.js';

export interface CellTableProps {
  readonly titles: readonly string[];
  readonly rows: readonly { readonly key: string; readonly cells: readonly Cell[] }[];
  readonly widths: readonly number[];
  readonly selected: string | undefined;
  readonly theme: Theme;
  /** Said in place of the rows when there are none. */
  readonly empty: string;
}

export function CellTable({ titles, rows, widths, selected, theme, empty }: CellTableProps) {
  const header: Cell[] = titles.map((title) => ({ text: title }));
  return (
    <Box flexDirection="column">
      <CellLine cells={header} widths={widths} theme={theme} bold />
      {rows.map((row) => (
        <CellLine
          key={row.key}
          cells={row.cells}
          widths={widths}
          theme={theme}
          selected={row.key === selected}
        />
      ))}
      {rows.length === 0 ? <Text dimColor={theme.colour}>{empty}</Text> : null}
    </Box>
  );
}
