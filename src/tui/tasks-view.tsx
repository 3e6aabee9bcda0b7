/**
 * The supervisor's recent tasks, in place of the dashboard's table: those not ended first,
 * then ended ones newest first (as `listTasks()` gives them), read again at the dashboard's
 * cadence. `c` cancels the selected task once confirmed; `Enter` shows it in full (its
 * result, output tail included), `Esc` goes back. Takes at most `height` lines.
 */
import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import type { TaskView } from '../core/tasks/task.js';
import type { SupervisorApi } from '../protocol/api.js';
import { DEFAULT_REFRESH_MS } from './bounded-refresh.js';
import { rowWindow } from './row-window.js';
import { scrolled, scrollNote, stepsOf } from './scroll.js';
import { linesRoom, ScrolledLines } from './scrolled-lines.js';
import { taskResultLines } from './task-result-lines.js';
import { TaskTable } from './task-table.js';
import { colourOf, type Theme } from './theme.js';
import { useLatest, useLiveState } from './use-live-state.js';
import { usePolled } from './use-polled.js';
import { messageOf } from './use-supervisor-view.js';

export interface TasksViewProps {
  readonly api: SupervisorApi;
  readonly width: number;
  /** Screen lines the view may fill, its status and keys' lines included. */
  readonly height: number;
  readonly theme: Theme;
  /** At most one `listTasks()` per this many ms; the dashboard's 500 by default. */
  readonly refreshMs?: number;
  /** Whether keys are this view's (false while another part of the dashboard has them). */
  readonly active: boolean;
  /** `Esc` in the list: back to where the tasks were opened from. */
  readonly onBack: () => void;
  /** Told what a cancel did, or why it failed, as the view's own status line says it. */
  readonly onStatus?: (text: string, failed: boolean) => void;
}

const LIST_KEYS = '↑/↓ j/k select  Enter result  c cancel  Esc back';
const RESULT_KEYS = '↑/↓ j/k PgUp/PgDn g/G scroll  c cancel  Esc list';

/** The status line, the keys' line, and the table's titles. */
const LIST_CHROME_LINES = 3;
/** The status line and the keys' line. */
const RESULT_CHROME_LINES = 2;

export function TasksView({
  api,
  width,
  height,
  theme,
  refreshMs = DEFAULT_REFRESH_MS,
  active,
  onBack,
  onStatus,
}: TasksViewProps) {
  const polled = usePolled(() => api.listTasks(), refreshMs, 'tasks');
  const tasks = polled.value ?? [];
  // What the keys act on is read as it is now (see use-live-state.ts).
  const selectedId = useLiveState<string | undefined>(undefined);
  const openedState = useLiveState<{ id: string; top: number } | undefined>(undefined);
  const confirmingState = useLiveState<string | undefined>(undefined);
  const [status, setStatus] = useState<{ text: string; failed: boolean }>();
  const opened = openedState.value;
  const confirming = confirmingState.value;

  const selectedIndex = indexOf(tasks, selectedId.value);
  const selected = tasks[selectedIndex];
  const shownTask = opened && tasks.find((task) => task.id === opened.id);
  const resultLines = shownTask ? taskResultLines(shownTask, Date.now()) : [];
  const resultHeight = Math.max(1, height - RESULT_CHROME_LINES);
  const rendered = useLatest({ tasks, resultLines, resultHeight });

  const tell = (text: string, failed: boolean) => {
    setStatus({ text, failed });
    onStatus?.(text, failed);
  };

  const cancel = (id: string) => {
    tell(`cancelling task ${id}…`, false);
    // Through a promise even if the call throws at once: a failed cancel ends nothing.
    Promise.resolve()
      .then(() => api.cancelTask(id))
      .then(
        (view: TaskView) =>
          tell(
            `${view.status === 'cancelled' ? 'cancelled' : 'cancelling'} task ${id} (${view.name})`,
            false,
          ),
        (error: unknown) => tell(`cancel task ${id}: ${messageOf(error)}`, true),
      )
      .finally(polled.refreshSoon);
  };

  useInput(
    (input, key) => {
      const confirmingNow = confirmingState.now();
      const openedNow = openedState.now();
      const { tasks, resultLines, resultHeight } = rendered.current;
      if (confirmingNow !== undefined) {
        confirmingState.set(undefined);
        if (input === 'y' || input === 'Y') cancel(confirmingNow);
        else setStatus(undefined);
        return;
      }
      if (openedNow !== undefined) {
        if (key.escape) {
          openedState.set(undefined);
        } else if (input === 'c') {
          confirmingState.set(openedNow.id);
        } else {
          const room = linesRoom(resultLines.length, resultHeight);
          const next = scrolled(openedNow.top, input, key, resultLines.length, room);
          if (next !== undefined) openedState.set({ id: openedNow.id, top: next });
        }
        return;
      }
      const selectedNow = tasks[indexOf(tasks, selectedId.now())];
      const move = key.upArrow ? -1 : key.downArrow ? 1 : stepsOf(input);
      if (move !== 0 && tasks.length > 0) {
        const to = Math.min(tasks.length - 1, Math.max(0, indexOf(tasks, selectedId.now()) + move));
        selectedId.set(tasks[to]!.id);
      } else if (key.return && selectedNow) {
        openedState.set({ id: selectedNow.id, top: 0 });
      } else if (input === 'c' && selectedNow) {
        confirmingState.set(selectedNow.id);
      } else if (key.escape) {
        onBack();
      }
    },
    { isActive: active },
  );

  const statusLine =
    confirming !== undefined ? (
      <Text wrap="truncate-end" color={colourOf(theme, 'warning')}>
        {`cancel task ${confirming}? y/n`}
      </Text>
    ) : (
      <Text
        wrap="truncate-end"
        color={status?.failed || polled.error ? colourOf(theme, 'error') : undefined}
      >
        {polled.error === undefined ? (status?.text ?? ' ') : `tasks: ${polled.error}`}
      </Text>
    );

  if (opened !== undefined) {
    return (
      <Box flexDirection="column" width={width}>
        {shownTask ? (
          <ScrolledLines lines={resultLines} top={opened.top} height={resultHeight} theme={theme} />
        ) : (
          <Text>{`task ${opened.id} is no longer listed`}</Text>
        )}
        {statusLine}
        <Text wrap="truncate-end" dimColor={theme.colour}>
          {RESULT_KEYS}
        </Text>
      </Box>
    );
  }

  const rowsRoom = Math.max(1, height - LIST_CHROME_LINES);
  const fits = tasks.length <= rowsRoom;
  const shown = rowWindow(tasks.length, selectedIndex, fits ? rowsRoom : rowsRoom - 1);
  const note = scrollNote(shown.start, shown.end - shown.start, tasks.length);
  return (
    <Box flexDirection="column" width={width}>
      {polled.value === undefined && polled.error === undefined ? (
        <Text>reading tasks…</Text>
      ) : (
        <TaskTable
          tasks={tasks.slice(shown.start, shown.end)}
          selected={selected?.id}
          width={width}
          theme={theme}
          now={Date.now()}
        />
      )}
      {note === undefined ? null : <Text dimColor={theme.colour}>{note}</Text>}
      {statusLine}
      <Text wrap="truncate-end" dimColor={theme.colour}>
        {LIST_KEYS}
      </Text>
    </Box>
  );
}

/** The index of the task `id` among `tasks`; the first when it is not (or no longer) there. */
function indexOf(tasks: readonly TaskView[], id: string | undefined): number {
  return Math.max(
    0,
    tasks.findIndex((task) => task.id === id),
  );
}
