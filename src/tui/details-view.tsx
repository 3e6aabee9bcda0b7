/**
 * The details of one process, in place of the dashboard's table: everything `overseer
 * inspect NAME` shows, from `api.get(name)` read again at the dashboard's cadence, with
 * sparklines of the recent samples the dashboard kept. Scrolls when taller than its room;
 * `Esc` goes back. Takes exactly `height` lines (fewer while the details are short).
 */
import { Box, Text, useInput } from 'ink';
import type { SupervisorApi } from '../protocol/api.js';
import { DEFAULT_REFRESH_MS } from './bounded-refresh.js';
import { detailsLines } from './details-lines.js';
import type { Sample } from './sample-history.js';
import { scrolled } from './scroll.js';
import { linesRoom, ScrolledLines } from './scrolled-lines.js';
import { plain } from './text-line.js';
import { colourOf, type Theme } from './theme.js';
import { useLatest, useLiveState } from './use-live-state.js';
import { usePolled } from './use-polled.js';

export interface DetailsViewProps {
  readonly api: SupervisorApi;
  /** The process shown: an instance's own name (`web-1`), as the rows have it. */
  readonly name: string;
  /** Its recent samples, oldest first: `useSampleHistory(rows).series(name)`. */
  readonly history: readonly Sample[];
  readonly width: number;
  /** Screen lines the view may fill, its keys' line included. */
  readonly height: number;
  readonly theme: Theme;
  /** Whether keys are this view's (false while another part of the dashboard has them). */
  readonly active: boolean;
  /** `Esc`: back to where the details were opened from. */
  readonly onBack: () => void;
  /** At most one `get()` per this many ms; the dashboard's 500 by default. */
  readonly refreshMs?: number;
}

const KEYS = '↑/↓ j/k PgUp/PgDn g/G scroll  Esc back';

export function DetailsView({
  api,
  name,
  history,
  width,
  height,
  theme,
  active,
  onBack,
  refreshMs = DEFAULT_REFRESH_MS,
}: DetailsViewProps) {
  const details = usePolled(() => api.get(name), refreshMs, name);
  // Read by the keys as it is now (see use-live-state.ts).
  const scroll = useLiveState({ name, top: 0 });
  // Another process opens at its top.
  const topOf = (current: { name: string; top: number }) =>
    current.name === name ? current.top : 0;
  const top = topOf(scroll.value);

  const lines =
    details.value === undefined
      ? [plain(details.error === undefined ? `reading ${name}…` : '')]
      : detailsLines(details.value, history, width, Date.now());
  const bodyHeight = Math.max(1, height - 1);
  const rendered = useLatest({ count: lines.length, room: linesRoom(lines.length, bodyHeight) });

  useInput(
    (input, key) => {
      if (key.escape) {
        onBack();
        return;
      }
      const { count, room } = rendered.current;
      const next = scrolled(topOf(scroll.now()), input, key, count, room);
      if (next !== undefined) scroll.set({ name, top: next });
    },
    { isActive: active },
  );

  return (
    <Box flexDirection="column" width={width}>
      <ScrolledLines lines={lines} top={top} height={bodyHeight} theme={theme} />
      {details.error === undefined ? (
        <Text wrap="truncate-end" dimColor={theme.colour}>
          {KEYS}
        </Text>
      ) : (
        <Text wrap="truncate-end" color={colourOf(theme, 'error')}>
          {`${name}: ${details.error}  (Esc back)`}
        </Text>
      )}
    </Box>
  );
}
