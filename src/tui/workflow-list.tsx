/**
 * The list half of a workflows view (runs, dead letters): its title with the count, the
 * plain "no store" answer, "reading…" until the first answer, the rows that fit the pane
 * around the selection, the scroll note and the view's own last line.
 */
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { MARK_WIDTH } from './cell-line.js';
import { CellTable } from './cell-table.js';
import type { Cell } from './process-cells.js';
import { rowWindow } from './row-window.js';
import { scrollNote } from './scroll.js';
import type { Theme } from './theme.js';
import { fittedWidths } from './workflow-cells.js';
import { NOT_SERVED, noStoreText } from './workflows-source.js';

export interface WorkflowListProps<T extends { readonly id: string }> {
  readonly title: string;
  readonly columns: readonly string[];
  readonly items: readonly T[];
  readonly cellsOf: (item: T, now: number) => Cell[];
  readonly selectedIndex: number;
  /** Whether the list was answered at least once. */
  readonly answered: boolean;
  /** Why the list could not be read, if it could not. */
  readonly error: string | undefined;
  /** The project serves no workflows store (none given, or the daemon has none). */
  readonly unserved: boolean;
  /** Whether a store was given at all: without, the reason is ours, not the daemon's. */
  readonly given: boolean;
  /** Said until the first answer: `reading runs…`. */
  readonly reading: string;
  /** Said in place of the rows when there are none. */
  readonly empty: string;
  readonly lastLine: ReactNode;
  readonly width: number;
  readonly height: number;
  readonly theme: Theme;
}

export function WorkflowList<T extends { readonly id: string }>(props: WorkflowListProps<T>) {
  const { title, items, selectedIndex, width, theme } = props;
  if (props.unserved) {
    return (
      <Box flexDirection="column" width={width}>
        <Text bold>{title}</Text>
        <Text>{noStoreText(props.given ? props.error! : NOT_SERVED)}</Text>
      </Box>
    );
  }
  // The title, the table's titles and the view's own last line are not rows.
  const rowsRoom = Math.max(1, props.height - 3);
  const fits = items.length <= rowsRoom;
  const shown = rowWindow(items.length, selectedIndex, fits ? rowsRoom : rowsRoom - 1);
  const note = scrollNote(shown.start, shown.end - shown.start, items.length);
  const now = Date.now();
  const rows = items.map((item) => ({ key: item.id, cells: props.cellsOf(item, now) }));
  const widths = fittedWidths(
    props.columns,
    rows.map((row) => row.cells),
    width - MARK_WIDTH,
  );
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate-end">
        {props.answered ? `${title} [${items.length}]` : title}
      </Text>
      {!props.answered && props.error === undefined ? (
        <Text>{props.reading}</Text>
      ) : (
        <CellTable
          titles={props.columns}
          rows={rows.slice(shown.start, shown.end)}
          widths={widths}
          selected={items[selectedIndex]?.id}
          theme={theme}
          empty={props.empty}
        />
      )}
      {note === undefined ? null : <Text dimColor={theme.colour}>{note}</Text>}
      {props.lastLine}
    </Box>
  );
}
