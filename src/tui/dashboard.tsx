/**
 * `overseer top` on a terminal: a live process table over any `SupervisorApi`, with keys to
 * select a process and start, stop or restart it. An action that fails says why in the
 * status line; nothing it does ends the dashboard but `q` and Ctrl-C, or a supervisor that
 * goes away.
 */
import { Box, Text, useApp, useInput, useStdout } from 'ink';
import { useEffect, useState } from 'react';
import type { SupervisorApi } from '../protocol/api.js';
import { Footer } from './footer.js';
import { Header } from './header.js';
import { ProcessTable } from './process-table.js';
import { filterRows } from './row-filter.js';
import { rowWindow } from './row-window.js';
import { type Theme, themeOf } from './theme.js';
import { messageOf, useSupervisorView } from './use-supervisor-view.js';

/**
 * Lines that are not process rows: the header (2), a blank, the table's titles, the
 * scroll line, a blank, the status line, the keys; and one spare, since a frame as tall as
 * the screen scrolls it by a line.
 */
const CHROME_LINES = 9;

/** How often, at most, the rows are read again. */
export const DEFAULT_REFRESH_MS = 500;

const ACTIONS = {
  s: { verb: 'start', doing: 'starting', done: 'started' },
  x: { verb: 'stop', doing: 'stopping', done: 'stopped' },
  r: { verb: 'restart', doing: 'restarting', done: 'restarted' },
} as const;

export interface DashboardProps {
  readonly api: SupervisorApi;
  readonly project?: string;
  /** At most one `list()` per this many ms; 500 by default. */
  readonly refreshMs?: number;
  /** The colours (`settings.tui.theme`), off when `NO_COLOR` is set. */
  readonly theme?: Theme;
}

export function Dashboard({
  api,
  project,
  refreshMs = DEFAULT_REFRESH_MS,
  theme = themeOf(),
}: DashboardProps) {
  const { exit } = useApp();
  const { width, height } = useTerminalSize();
  const view = useSupervisorView(api, refreshMs, (error) => exit(error));
  const [selectedName, setSelectedName] = useState<string>();
  const [filter, setFilter] = useState('');
  const [typing, setTyping] = useState<string>();
  const [status, setStatus] = useState<{ text: string; failed: boolean }>();

  const rows = filterRows(view.processes, typing ?? filter);
  const selectedIndex = Math.max(
    0,
    rows.findIndex((row) => row.name === selectedName),
  );
  const selected = rows[selectedIndex];
  const shown = rowWindow(rows.length, selectedIndex, height - CHROME_LINES);

  const act = (key: keyof typeof ACTIONS) => {
    if (selected === undefined) return;
    const { verb, doing, done } = ACTIONS[key];
    const name = selected.name;
    setStatus({ text: `${doing} ${name}…`, failed: false });
    // Through a promise even if the call throws at once: a failed action never ends the dashboard.
    Promise.resolve()
      .then(() => api[verb](name))
      .then(
        () => setStatus({ text: `${done} ${name}`, failed: false }),
        (error: unknown) =>
          setStatus({ text: `${verb} ${name}: ${messageOf(error)}`, failed: true }),
      );
    view.refreshSoon();
  };

  useInput((input, key) => {
    if (typing !== undefined) {
      if (key.escape) {
        setTyping(undefined);
        setFilter('');
      } else if (key.return) {
        setFilter(typing);
        setTyping(undefined);
      } else if (key.backspace || key.delete) {
        setTyping(typing.slice(0, -1));
      } else if (!key.ctrl && !key.meta && input !== '') {
        setTyping(typing + input);
      }
      return;
    }
    const move = key.upArrow ? -1 : key.downArrow ? 1 : stepsOf(input);
    if (move !== 0 && rows.length > 0) {
      // From the state as it is by now: keys read in one go come before the next render.
      setSelectedName((current) => {
        const from = Math.max(
          0,
          rows.findIndex((row) => row.name === current),
        );
        return rows[Math.min(rows.length - 1, Math.max(0, from + move))]!.name;
      });
    } else if (input === '/') {
      setTyping(filter);
    } else if (key.escape) {
      setFilter('');
    } else if (input === 's' || input === 'x' || input === 'r') {
      act(input);
    } else if (input === 'q') {
      exit();
    }
  });

  return (
    <Box flexDirection="column" width={width}>
      <Header
        project={project}
        processes={view.processes}
        health={view.health}
        stats={view.stats}
        theme={theme}
      />
      <Box marginTop={1}>
        <ProcessTable
          processes={rows.slice(shown.start, shown.end)}
          selected={selected?.name}
          width={width}
          theme={theme}
          now={Date.now()}
        />
      </Box>
      {shown.end - shown.start < rows.length ? (
        <Text dimColor={theme.colour}>{`↕ ${shown.start + 1}–${shown.end} of ${rows.length}`}</Text>
      ) : null}
      <Footer
        // A supervisor that stops answering says more than the last action did.
        status={
          view.refreshError === undefined ? status : { text: view.refreshError, failed: true }
        }
        typing={typing}
        filter={filter}
        theme={theme}
      />
    </Box>
  );
}

/**
 * Rows to move for `j`s and `k`s: keys typed faster than they are read arrive as one
 * string (`jjj`), and each still counts.
 */
function stepsOf(input: string): number {
  if (!/^[jk]+$/.test(input)) return 0;
  return [...input].reduce((steps, char) => steps + (char === 'j' ? 1 : -1), 0);
}

/** The terminal's size, following its resizes. */
function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => sizeOf(stdout));
  useEffect(() => {
    const resized = () => setSize(sizeOf(stdout));
    stdout.on('resize', resized);
    return () => {
      stdout.off('resize', resized);
    };
  }, [stdout]);
  return size;
}

interface TerminalSize {
  readonly width: number;
  readonly height: number;
}

/** A stream that says no width is taken as 80 wide; one that says no height has no bound. */
function sizeOf(stdout: NodeJS.WriteStream): TerminalSize {
  return { width: stdout.columns || 80, height: stdout.rows || Number.POSITIVE_INFINITY };
}
