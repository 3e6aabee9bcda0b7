/**
 * The project's durable workflow runs, in place of the dashboard's table: newest first, as
 * `overseer workflows` lists them, read again at the dashboard's cadence while shown. `f`
 * narrows them to one status, then the next; `Enter` shows a run in full (its steps, error,
 * dead letters, input and output), read again at the same cadence, and the list is not read
 * meanwhile; `Esc` goes back. `d` goes to the dead letters.
 */
import { Box, Text } from 'ink';
import { DEFAULT_DASHBOARD_SETTINGS } from '../core/dashboard-settings.js';
import { RUN_STATUSES, type RunStatus } from '../core/workflows/records.js';
import type { WorkflowsApi } from '../protocol/workflows-api.js';
import { type KeyRoute, useRoutedKeys } from './key-route.js';
import { indexOfId, movedSelection } from './list-selection.js';
import { runDetailsLines } from './run-lines.js';
import { scrolled } from './scroll.js';
import { linesRoom, ScrolledLines } from './scrolled-lines.js';
import { colourOf, type Theme } from './theme.js';
import { useLatestState } from './use-latest-state.js';
import { usePolled } from './use-polled.js';
import { RUN_COLUMNS, runCellsOf } from './workflow-cells.js';
import { WorkflowList } from './workflow-list.js';
import { servesNoWorkflows } from './workflows-source.js';

export interface WorkflowsViewProps {
  /** Where the runs are read; none: the view says there is no store. */
  readonly workflows: WorkflowsApi | undefined;
  readonly width: number;
  /** Screen lines the view may fill, its own last line included. */
  readonly height: number;
  readonly theme: Theme;
  /** At most one read per this many ms (`settings.tui.refresh`). */
  readonly refreshMs?: number;
  readonly keys: KeyRoute;
  /** `Esc` in the list: back to where the view was opened from. */
  readonly onBack: () => void;
  /** `d`: the dead letters. */
  readonly onLetters: () => void;
}

/** The run shown in full, and the first of its lines shown. */
interface Opened {
  readonly id: string;
  readonly top: number;
}

export function WorkflowsView({
  workflows,
  width,
  height,
  theme,
  refreshMs = DEFAULT_DASHBOARD_SETTINGS.refreshMs,
  keys,
  onBack,
  onLetters,
}: WorkflowsViewProps) {
  const [status, setStatus, currentStatus] = useLatestState<RunStatus | undefined>(undefined);
  const [selectedId, setSelectedId, currentId] = useLatestState<string | undefined>(undefined);
  const [opened, setOpened, currentOpened] = useLatestState<Opened | undefined>(undefined);
  const listed = usePolled(
    () => workflows!.runs(status === undefined ? {} : { status }),
    refreshMs,
    `runs:${status ?? 'all'}`,
    workflows !== undefined && opened === undefined,
  );
  const details = usePolled(
    () => workflows!.run(opened!.id),
    refreshMs,
    `run:${opened?.id ?? ''}`,
    workflows !== undefined && opened !== undefined,
  );
  const runs = listed.value ?? [];
  const selectedIndex = indexOfId(runs, selectedId);
  const detailLines = details.value ? runDetailsLines(details.value, Date.now()) : [];
  // The view's own last line is not the run's.
  const detailsHeight = Math.max(1, height - 1);

  useRoutedKeys(keys, (input, key) => {
    const open = currentOpened();
    if (open !== undefined) {
      if (key.escape) return setOpened(undefined);
      const room = linesRoom(detailLines.length, detailsHeight);
      const next = scrolled(open.top, input, key, detailLines.length, room);
      if (next !== undefined) setOpened({ id: open.id, top: next });
      return;
    }
    const from = indexOfId(runs, currentId());
    const selected = runs[from];
    const moved = movedSelection(runs, from, input, key);
    if (moved !== undefined) {
      setSelectedId(moved);
    } else if (key.return && selected) {
      setOpened({ id: selected.id, top: 0 });
    } else if (/^f+$/.test(input)) {
      // Each of `ff` typed faster than read counts.
      setStatus([...input].reduce((status) => nextStatus(status), currentStatus()));
    } else if (input === 'd') {
      onLetters();
    } else if (key.escape) {
      onBack();
    }
  });

  const unserved = workflows === undefined || servesNoWorkflows(listed.error);
  const failure = opened !== undefined ? details.error : unserved ? undefined : listed.error;
  const lastLine =
    failure !== undefined ? (
      <Text wrap="truncate-end" color={colourOf(theme, 'error')}>
        {`workflows: ${failure}`}
      </Text>
    ) : (
      <Text> </Text>
    );

  if (opened !== undefined) {
    return (
      <Box flexDirection="column" width={width}>
        {details.value === undefined ? (
          <Text>{details.error === undefined ? `reading run ${opened.id}…` : ' '}</Text>
        ) : (
          <ScrolledLines
            lines={detailLines}
            top={opened.top}
            height={detailsHeight}
            theme={theme}
          />
        )}
        {lastLine}
      </Box>
    );
  }

  const title = `workflow runs${status === undefined ? '' : ` (${status})`}`;
  return (
    <WorkflowList
      title={title}
      columns={RUN_COLUMNS}
      items={runs}
      cellsOf={runCellsOf}
      selectedIndex={selectedIndex}
      answered={listed.value !== undefined}
      error={listed.error}
      unserved={unserved}
      given={workflows !== undefined}
      reading="reading runs…"
      empty={status === undefined ? 'no workflow run yet' : `no ${status} run`}
      lastLine={lastLine}
      width={width}
      height={height}
      theme={theme}
    />
  );
}

/** All statuses, then each in turn, then all again. */
function nextStatus(current: RunStatus | undefined): RunStatus | undefined {
  const index = current === undefined ? -1 : RUN_STATUSES.indexOf(current);
  return RUN_STATUSES[index + 1];
}
