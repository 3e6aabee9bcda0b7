/**
 * The process table: one line per row, columns fitted to the terminal's width (the reason
 * gives way first), the selected row marked `›` (and in reverse video where the terminal
 * shows it), a process's instances folded under a `▸` row or unfolded under a `▾` one, and
 * the column the rows are sorted by marked in the titles.
 */
import { Box, Text } from 'ink';
import { CellLine, MARK_WIDTH } from './cell-line.js';
import { type Cell, COLUMNS, cellsOf, columnWidths } from './process-cells.js';
import type { Sort, SortKey, TableRow } from './table-rows.js';
import type { Theme } from './theme.js';

const SORTED_COLUMN: Readonly<Record<Exclude<SortKey, 'config'>, (typeof COLUMNS)[number]>> = {
  name: 'NAME',
  cpu: 'CPU',
  memory: 'MEM',
  restarts: 'RESTARTS',
  score: 'SCORE',
};

export interface ProcessTableProps {
  readonly rows: readonly TableRow[];
  /** The key of the selected row. */
  readonly selected: string | undefined;
  readonly sort: Sort;
  readonly width: number;
  readonly theme: Theme;
  readonly now: number;
}

export function ProcessTable({ rows, selected, sort, width, theme, now }: ProcessTableProps) {
  const cells = rows.map((row) => [{ text: nameOf(row) }, ...cellsOf(row.info, now).slice(1)]);
  const widths = columnWidths(cells, width - MARK_WIDTH, { score: sort.key === 'score' });
  const header: Cell[] = COLUMNS.map((title) => ({ text: titleOf(title, sort) }));
  return (
    <Box flexDirection="column">
      <CellLine cells={header} widths={widths} theme={theme} bold />
      {rows.map((row, index) => (
        <CellLine
          key={row.key}
          cells={cells[index]!}
          widths={widths}
          theme={theme}
          selected={row.key === selected}
        />
      ))}
      {rows.length === 0 ? <Text dimColor={theme.colour}>no process to show</Text> : null}
    </Box>
  );
}

/** `▸ web ×3` folded, `▾ web ×3` unfolded, `  web-0` under it. */
function nameOf(row: TableRow): string {
  if (row.family !== undefined) {
    return `${row.family.unfolded ? '▾' : '▸'} ${row.key} ×${row.family.instances}`;
  }
  return row.nested ? `  ${row.key}` : row.key;
}

/** `CPU↓`: the rows are sorted by it, largest first (`↑` the other way round). */
function titleOf(title: (typeof COLUMNS)[number], sort: Sort): string {
  if (sort.key === 'config' || SORTED_COLUMN[sort.key] !== title) return title;
  const largestFirst = sort.key === 'name' ? sort.reversed : !sort.reversed;
  return `${title}${largestFirst ? '↓' : '↑'}`;
}
