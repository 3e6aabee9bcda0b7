/**
 * The process table: one line per process, columns fitted to the terminal's width (the
 * reason gives way first), the selected row marked `›` (and in reverse video where the
 * terminal shows it).
 */
import { Box, Text } from 'ink';
import type { ProcessInfo } from '../core/view.js';
import { Painted } from './painted.js';
import { type Cell, COLUMNS, cellsOf, columnWidths, GAP, padOrCut } from './process-cells.js';
import type { Theme } from './theme.js';

/** The selection's mark before each row: it shows without colour or reverse video too. */
const MARK_WIDTH = 2;

export interface ProcessTableProps {
  readonly processes: readonly ProcessInfo[];
  readonly selected: string | undefined;
  readonly width: number;
  readonly theme: Theme;
  readonly now: number;
}

export function ProcessTable({ processes, selected, width, theme, now }: ProcessTableProps) {
  const rows = processes.map((process) => cellsOf(process, now));
  const widths = columnWidths(rows, width - MARK_WIDTH);
  const header: Cell[] = COLUMNS.map((title) => ({ text: title }));
  return (
    <Box flexDirection="column">
      <Line cells={header} widths={widths} theme={theme} bold />
      {rows.map((cells, index) => {
        const name = processes[index]!.name;
        return (
          <Line
            key={name}
            cells={cells}
            widths={widths}
            theme={theme}
            selected={name === selected}
          />
        );
      })}
      {processes.length === 0 ? <Text dimColor={theme.colour}>no process to show</Text> : null}
    </Box>
  );
}

function Line({
  cells,
  widths,
  theme,
  bold = false,
  selected = false,
}: {
  readonly cells: readonly Cell[];
  readonly widths: readonly number[];
  readonly theme: Theme;
  readonly bold?: boolean;
  readonly selected?: boolean;
}) {
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
