/**
 * The supervisor's recent tasks, in place of the dashboard's table: those not ended first,
 * then ended ones newest first (as `listTasks()` gives them), read again at the dashboard's
 * cadence. `c` cancels the selected task once confirmed; `Enter` shows it in full (its
 * result, output tail included), `Esc` goes back. Its keys are told by the dashboard's
 * footer (`KEYMAP.tasks`); its last line is its own: the question being asked, or what the
 * last cancel did.
 */
import { Box, Text } from 'ink';
import { useState } from 'react';
import { DEFAULT_DASHBOARD_SETTINGS } from '../core/dashboard-settings.js';
import type { TaskView } from '../core/tasks/task.js';
import type { SupervisorApi } from '../protocol/api.js';
import type { StatusLine } from './footer.js';
import { type KeyRoute, useRoutedKeys } from './key-route.js';
import { indexOfId, movedSelection } from './list-selection.js';
import { confirmed } from './prompt.js';
import { rowWindow } from './row-window.js';
import { scrolled, scrollNote } from './scroll.js';
import { linesRoom, ScrolledLines } from './scrolled-lines.js';
import { taskResultLines } from './task-result-lines.js';
import { TaskTable } from './task-table.js';
import { colourOf, type Theme } from './theme.js';
import { useLatestState } from './use-latest-state.js';
import { usePolled } from './use-polled.js';
import { messageOf } from './use-supervisor-view.js';

export interface TasksViewProps {
  readonly api: SupervisorApi;
  readonly width: number;
  /** Screen lines the view may fill, its own last line included. */
  readonly height: number;
  readonly theme: Theme;
  /** At most one `listTasks()` per this many ms (`settings.tui.refresh`). */
  readonly refreshMs?: number;
  /** Where the view puts its key handler, for the dashboard to call while it shows. */
  readonly keys: KeyRoute;
  /** `Esc` in the list: back to where the tasks were opened from. */
  readonly onBack: () => void;
  /**
   * Told what a cancel did, or why it failed, for the dashboard's status line; given, the
   * view's own last line keeps to the question (`cancel task t-12? y/n`).
   */
  readonly onStatus?: (text: string, failed: boolean) => void;
}

/** The task shown in full, and the first of its lines shown. */
interface Opened {
  readonly id: string;
  readonly top: number;
}

export function TasksView({
  api,
  width,
  height,
  theme,
  refreshMs = DEFAULT_DASHBOARD_SETTINGS.refreshMs,
  keys,
  onBack,
  onStatus,
}: TasksViewProps) {
  const polled = usePolled(() => api.listTasks(), refreshMs, 'tasks');
  const tasks = polled.value ?? [];
  // Read by the next key as this one left them (see use-latest-state.ts).
  const [selectedId, setSelectedId, currentId] = useLatestState<string | undefined>(undefined);
  const [opened, setOpened, currentOpened] = useLatestState<Opened | undefined>(undefined);
  const [asking, setAsking, currentAsking] = useLatestState<string | undefined>(undefined);
  const [status, setStatus] = useState<StatusLine>();

  const selectedIndex = indexOfId(tasks, selectedId);
  const shownTask = opened && tasks.find((task) => task.id === opened.id);
  const resultLines = shownTask ? taskResultLines(shownTask, Date.now()) : [];
  // The view's own last line is not the result's.
  const resultHeight = Math.max(1, height - 1);

  const tell = (text: string, failed: boolean) => {
    if (onStatus) onStatus(text, failed);
    else setStatus({ text, failed });
  };

  const cancel = (id: string) => {
    tell(`cancelling task ${id}…`, false);
    // Through a promise even if the call throws at once: a failed cancel ends nothing.
    Promise.resolve()
      .then(() => api.cancelTask(id))
      .then(
        (view: TaskView) => {
          const done = view.status === 'cancelled' ? 'cancelled' : 'cancelling';
          tell(`${done} task ${id} (${view.name})`, false);
        },
        (error: unknown) => tell(`cancel task ${id}: ${messageOf(error)}`, true),
      )
      .finally(polled.refreshSoon);
  };

  useRoutedKeys(keys, (input, key) => {
    const asked = currentAsking();
    if (asked !== undefined) {
      setAsking(undefined);
      if (confirmed(input)) cancel(asked);
      else tell(`cancel task ${asked}: not done`, false);
      return;
    }
    const open = currentOpened();
    if (open !== undefined) {
      if (key.escape) return setOpened(undefined);
      if (input === 'c') return setAsking(open.id);
      const room = linesRoom(resultLines.length, resultHeight);
      const next = scrolled(open.top, input, key, resultLines.length, room);
      if (next !== undefined) setOpened({ id: open.id, top: next });
      return;
    }
    const from = indexOfId(tasks, currentId());
    const selected = tasks[from];
    const moved = movedSelection(tasks, from, input, key);
    if (moved !== undefined) {
      setSelectedId(moved);
    } else if (key.return && selected) {
      setOpened({ id: selected.id, top: 0 });
    } else if (input === 'c' && selected) {
      setAsking(selected.id);
    } else if (key.escape) {
      onBack();
    }
  });

  const lastLine =
    asking !== undefined ? (
      <Text wrap="truncate-end" color={colourOf(theme, 'primary')}>
        {`cancel task ${asking}? y/n`}
      </Text>
    ) : polled.error !== undefined ? (
      <Text wrap="truncate-end" color={colourOf(theme, 'error')}>
        {`tasks: ${polled.error}`}
      </Text>
    ) : (
      <Text wrap="truncate-end" color={status?.failed ? colourOf(theme, 'error') : undefined}>
        {status?.text ?? ' '}
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
        {lastLine}
      </Box>
    );
  }

  // The table's titles and the view's own last line are not rows.
  const rowsRoom = Math.max(1, height - 2);
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
          selected={tasks[selectedIndex]?.id}
          width={width}
          theme={theme}
          now={Date.now()}
        />
      )}
      {note === undefined ? null : <Text dimColor={theme.colour}>{note}</Text>}
      {lastLine}
    </Box>
  );
}
