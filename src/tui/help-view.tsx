/**
 * `?`: every key of every pane, from the one keymap the footer reads too; scrolled when
 * taller than the screen (it is, on 80×24), its own keys reached through a key route.
 */

import { type KeyRoute, useRoutedKeys } from './key-route.js';
import { KEYMAP, type Pane } from './keymap.js';
import { scrolled } from './scroll.js';
import { linesRoom, ScrolledLines } from './scrolled-lines.js';
import type { Look } from './status-look.js';
import { plain, type TextLine } from './text-line.js';
import type { Theme } from './theme.js';
import { useLatestState } from './use-latest-state.js';

const TITLES: Readonly<Record<Exclude<Pane, 'help'>, string>> = {
  table: 'Processes',
  logs: 'Log pane (Tab from the table)',
  details: 'Details (Enter on a process)',
  tasks: 'Tasks (t)',
  workflows: 'Workflow runs (w)',
  letters: 'Dead letters (d)',
};

const TITLE_LOOK: Look = { symbol: '', role: 'primary' };

export interface HelpViewProps {
  /** Lines the view may fill. */
  readonly height: number;
  readonly theme: Theme;
  /** Scrolling keys (↑ ↓ k j PgUp PgDn g G); any other key is left to the dashboard. */
  readonly keys: KeyRoute;
}

export function HelpView({ height, theme, keys }: HelpViewProps) {
  const lines = helpLines();
  const room = linesRoom(lines.length, height);
  const [top, setTop, currentTop] = useLatestState(0);
  useRoutedKeys(keys, (input, key) => {
    const next = scrolled(currentTop(), input, key, lines.length, room);
    if (next === undefined) return false;
    setTop(next);
    return true;
  });
  return <ScrolledLines lines={lines} top={top} height={height} theme={theme} />;
}

/** Each pane's title, then its keys, a blank line between panes. */
function helpLines(): TextLine[] {
  const panes = Object.keys(TITLES) as Array<keyof typeof TITLES>;
  const keyWidth = Math.max(...panes.flatMap((pane) => KEYMAP[pane].map((key) => key.keys.length)));
  return panes.flatMap((pane, index) => [
    ...(index === 0 ? [] : [plain('')]),
    [{ text: TITLES[pane], bold: true, look: TITLE_LOOK }],
    ...KEYMAP[pane].map((key) => plain(`  ${key.keys.padEnd(keyWidth)}  ${key.does}`)),
  ]);
}
