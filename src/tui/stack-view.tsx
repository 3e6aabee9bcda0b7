/**
 * The dashboard's main view: the process table (the rows that fit, and a line saying which
 * when not all do), and the log pane below it.
 */
import { Text } from 'ink';
import type { ReactNode } from 'react';
import { ProcessTable } from './process-table.js';
import type { RowWindow } from './row-window.js';
import { scrollNote } from './scroll.js';
import type { Sort, TableRow } from './table-rows.js';
import type { Theme } from './theme.js';

export interface StackViewProps {
  readonly rows: readonly TableRow[];
  /** Which of the rows fit on the screen. */
  readonly shown: RowWindow;
  readonly selected: TableRow | undefined;
  readonly sort: Sort;
  readonly width: number;
  readonly theme: Theme;
  /** The log pane, when the screen has room for one. */
  readonly logs: ReactNode;
}

export function StackView({ rows, shown, selected, sort, width, theme, logs }: StackViewProps) {
  const note = scrollNote(shown.start, shown.end - shown.start, rows.length);
  return (
    <>
      <ProcessTable
        rows={rows.slice(shown.start, shown.end)}
        selected={selected?.key}
        sort={sort}
        width={width}
        theme={theme}
        now={Date.now()}
      />
      {note === undefined ? null : <Text dimColor={theme.colour}>{note}</Text>}
      {logs}
    </>
  );
}
