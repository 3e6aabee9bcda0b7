/**
 * The dead letters of the project's workflows, in place of the dashboard's table: newest
 * first, as `overseer dlq` lists them, read again at the dashboard's cadence while shown.
 * `Enter` shows a letter in full (its error with the stack, the run's input); `r` retries
 * it and `D` or `x` drops it, each once confirmed, from the list or the letter. What an
 * action did, or why it failed, goes to the dashboard's status line; the question being
 * asked is the view's own last line. `w` goes to the runs.
 */
import { Box, Text } from 'ink';
import { DEFAULT_DASHBOARD_SETTINGS } from '../core/dashboard-settings.js';
import type { WorkflowsApi } from '../protocol/workflows-api.js';
import { type KeyRoute, useRoutedKeys } from './key-route.js';
import { letterDetailsLines } from './letter-lines.js';
import { indexOfId, movedSelection } from './list-selection.js';
import { confirmed } from './prompt.js';
import { scrolled } from './scroll.js';
import { linesRoom, ScrolledLines } from './scrolled-lines.js';
import { colourOf, type Theme } from './theme.js';
import { useLatestState } from './use-latest-state.js';
import { usePolled } from './use-polled.js';
import { messageOf } from './use-supervisor-view.js';
import { LETTER_COLUMNS, letterCellsOf } from './workflow-cells.js';
import { WorkflowList } from './workflow-list.js';
import { servesNoWorkflows } from './workflows-source.js';

export interface DeadLettersViewProps {
  /** Where the letters are read and acted on; none: the view says there is no store. */
  readonly workflows: WorkflowsApi | undefined;
  readonly width: number;
  /** Screen lines the view may fill, its own last line included. */
  readonly height: number;
  readonly theme: Theme;
  /** At most one `deadLetters()` per this many ms (`settings.tui.refresh`). */
  readonly refreshMs?: number;
  readonly keys: KeyRoute;
  /** `Esc` in the list: back to where the view was opened from. */
  readonly onBack: () => void;
  /** `w`: the runs. */
  readonly onRuns: () => void;
  /** Told what a retry or a drop did, or why it failed: the dashboard's status line. */
  readonly onStatus: (text: string, failed: boolean) => void;
}

type Action = 'retry' | 'drop';

interface Asking {
  readonly action: Action;
  readonly id: string;
}

/** The letter shown in full, and the first of its lines shown. */
interface Opened {
  readonly id: string;
  readonly top: number;
}

export function DeadLettersView({
  workflows,
  width,
  height,
  theme,
  refreshMs = DEFAULT_DASHBOARD_SETTINGS.refreshMs,
  keys,
  onBack,
  onRuns,
  onStatus,
}: DeadLettersViewProps) {
  const polled = usePolled(
    () => workflows!.deadLetters(),
    refreshMs,
    'dead-letters',
    workflows !== undefined,
  );
  const letters = polled.value ?? [];
  const [selectedId, setSelectedId, currentId] = useLatestState<string | undefined>(undefined);
  const [opened, setOpened, currentOpened] = useLatestState<Opened | undefined>(undefined);
  const [asking, setAsking, currentAsking] = useLatestState<Asking | undefined>(undefined);

  const selectedIndex = indexOfId(letters, selectedId);
  const shownLetter = opened && letters.find((letter) => letter.id === opened.id);
  const letterLines = shownLetter ? letterDetailsLines(shownLetter, Date.now()) : [];
  // The view's own last line is not the letter's.
  const letterHeight = Math.max(1, height - 1);

  const carryOut = ({ action, id }: Asking) => {
    if (workflows === undefined) return;
    onStatus(`${action === 'retry' ? 'retrying' : 'dropping'} dead letter ${id}…`, false);
    // Through a promise even if the call throws at once: a failed action changes nothing.
    Promise.resolve()
      .then(() =>
        action === 'retry'
          ? workflows
              .retryDeadLetter(id)
              .then((run) => `retried dead letter ${id}: run ${run.id} is ${run.status}`)
          : workflows.dropDeadLetter(id).then(() => `dropped dead letter ${id}`),
      )
      .then(
        (said) => {
          onStatus(said, false);
          // The letter is gone: its page would say only that.
          if (currentOpened()?.id === id) setOpened(undefined);
        },
        (error: unknown) => onStatus(`${action} dead letter ${id}: ${messageOf(error)}`, true),
      )
      .finally(polled.refreshSoon);
  };

  useRoutedKeys(keys, (input, key) => {
    const asked = currentAsking();
    if (asked !== undefined) {
      setAsking(undefined);
      if (confirmed(input)) carryOut(asked);
      else onStatus(`${asked.action} dead letter ${asked.id}: not done`, false);
      return;
    }
    const action: Action | undefined =
      input === 'r' ? 'retry' : input === 'D' || input === 'x' ? 'drop' : undefined;
    const open = currentOpened();
    if (open !== undefined) {
      if (key.escape) return setOpened(undefined);
      if (action !== undefined) return setAsking({ action, id: open.id });
      const room = linesRoom(letterLines.length, letterHeight);
      const next = scrolled(open.top, input, key, letterLines.length, room);
      if (next !== undefined) setOpened({ id: open.id, top: next });
      return;
    }
    const from = indexOfId(letters, currentId());
    const selected = letters[from];
    const moved = movedSelection(letters, from, input, key);
    if (moved !== undefined) {
      setSelectedId(moved);
    } else if (key.return && selected) {
      setOpened({ id: selected.id, top: 0 });
    } else if (action !== undefined && selected) {
      setAsking({ action, id: selected.id });
    } else if (input === 'w') {
      onRuns();
    } else if (key.escape) {
      onBack();
    }
  });

  const unserved = workflows === undefined || servesNoWorkflows(polled.error);
  const lastLine =
    asking !== undefined ? (
      <Text wrap="truncate-end" color={colourOf(theme, 'primary')}>
        {`${asking.action} dead letter ${asking.id}? y/n`}
      </Text>
    ) : polled.error !== undefined && !unserved ? (
      <Text wrap="truncate-end" color={colourOf(theme, 'error')}>
        {`dead letters: ${polled.error}`}
      </Text>
    ) : (
      <Text> </Text>
    );

  if (opened !== undefined) {
    return (
      <Box flexDirection="column" width={width}>
        {shownLetter ? (
          <ScrolledLines lines={letterLines} top={opened.top} height={letterHeight} theme={theme} />
        ) : (
          <Text>{`dead letter ${opened.id} is no longer listed`}</Text>
        )}
        {lastLine}
      </Box>
    );
  }

  const title = 'dead letters';
  return (
    <WorkflowList
      title={title}
      columns={LETTER_COLUMNS}
      items={letters}
      cellsOf={letterCellsOf}
      selectedIndex={selectedIndex}
      answered={polled.value !== undefined}
      error={polled.error}
      unserved={unserved}
      given={workflows !== undefined}
      reading="reading dead letters…"
      empty={'no dead letter'}
      lastLine={lastLine}
      width={width}
      height={height}
      theme={theme}
    />
  );
}
