/**
 * The details of one process, in place of the dashboard's table: everything `overseer
 * inspect NAME` shows, from `api.get(name)` read again at the dashboard's cadence, with
 * sparklines of the recent samples the dashboard kept. Scrolls when taller than its room;
 * `Esc` goes back. Its keys are told by the dashboard's footer (`KEYMAP.details`).
 */
import { Box, Text } from 'ink';
import { DEFAULT_DASHBOARD_SETTINGS } from '../core/dashboard-settings.js';
import type { SupervisorApi } from '../protocol/api.js';
import { detailsLines } from './details-lines.js';
import { type KeyRoute, useRoutedKeys } from './key-route.js';
import type { Sample } from './sample-history.js';
import { scrolled } from './scroll.js';
import { linesRoom, ScrolledLines } from './scrolled-lines.js';
import { plain } from './text-line.js';
import { colourOf, type Theme } from './theme.js';
import { useLatestState } from './use-latest-state.js';
import { usePolled } from './use-polled.js';

export interface DetailsViewProps {
  readonly api: SupervisorApi;
  /** The process shown: an instance's own name (`web-1`), as the rows have it. */
  readonly name: string;
  /** Its recent samples, oldest first: `useSampleHistory(rows).series(name)`. */
  readonly history: readonly Sample[];
  readonly width: number;
  /** Screen lines the view fills: all of them once the details are taller. */
  readonly height: number;
  readonly theme: Theme;
  /** Where the view puts its key handler, for the dashboard to call while it shows. */
  readonly keys: KeyRoute;
  /** `Esc`: back to where the details were opened from. */
  readonly onBack: () => void;
  /** At most one `get()` per this many ms (`settings.tui.refresh`). */
  readonly refreshMs?: number;
}

export function DetailsView({
  api,
  name,
  history,
  width,
  height,
  theme,
  keys,
  onBack,
  refreshMs = DEFAULT_DASHBOARD_SETTINGS.refreshMs,
}: DetailsViewProps) {
  const details = usePolled(() => api.get(name), refreshMs, name);
  // Read by the next key as this one left it (see use-latest-state.ts).
  const [scroll, setScroll, currentScroll] = useLatestState({ name, top: 0 });
  // Another process opens at its top.
  const topOf = (at: { name: string; top: number }) => (at.name === name ? at.top : 0);

  const lines =
    details.value === undefined
      ? [plain(details.error === undefined ? `reading ${name}…` : '')]
      : detailsLines(details.value, history, width, Date.now());
  // Why the details cannot be read takes the first line, above the last ones read.
  const bodyHeight = Math.max(1, details.error === undefined ? height : height - 1);
  const room = linesRoom(lines.length, bodyHeight);

  useRoutedKeys(keys, (input, key) => {
    if (key.escape) return onBack();
    const next = scrolled(topOf(currentScroll()), input, key, lines.length, room);
    if (next !== undefined) setScroll({ name, top: next });
  });

  return (
    <Box flexDirection="column" width={width}>
      {details.error === undefined ? null : (
        <Text wrap="truncate-end" color={colourOf(theme, 'error')}>
          {`${name}: ${details.error}`}
        </Text>
      )}
      <ScrolledLines lines={lines} top={topOf(scroll)} height={bodyHeight} theme={theme} />
    </Box>
  );
}
