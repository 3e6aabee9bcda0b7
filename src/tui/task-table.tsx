/**
 * The tasks' table: one line per task, columns fitted to the terminal's width (the command
 * gives way first), the selected task marked `›`. Takes a line for the titles and one per
 * task given (or one saying there is none).
 */
import { Box, Text } from 'ink';
import type { TaskView } from '../core/tasks/task.js';
import { CellLine, MARK_WIDTH } from './cell-line.js';
import type { Cell } from './process-cells.js';
import { TASK_COLUMNS, taskCellsOf, taskColumnWidths } from './task-cells.js';
import type { Theme } from './theme.js';

export interface TaskTableProps {
  readonly tasks: readonly TaskView[];
  readonly selected: string | undefined;
  readonly width: number;
  readonly theme: Theme;
  readonly now: number;
}

export function TaskTable({ tasks, selected, width, theme, now }: TaskTableProps) {
  const rows = tasks.map((task) => taskCellsOf(task, now));
  const widths = taskColumnWidths(rows, width - MARK_WIDTH);
  const header: Cell[] = TASK_COLUMNS.map((title) => ({ text: title }));
  return (
    <Box flexDirection="column">
      <CellLine cells={header} widths={widths} theme={theme} bold />
      {rows.map((cells, index) => {
        const id = tasks[index]!.id;
        return (
          <CellLine
            key={id}
            cells={cells}
            widths={widths}
            theme={theme}
            selected={id === selected}
          />
        );
      })}
      {tasks.length === 0 ? (
        <Text dimColor={theme.colour}>no task yet: `overseer run -- COMMAND` queues one</Text>
      ) : null}
    </Box>
  );
}
