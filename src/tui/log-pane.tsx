/**
 * The log pane: the output of the process the owner names (every instance of it merged),
 * or of every process, following the newest lines; scrolled back, following pauses while
 * new lines are counted, and past the oldest line held older ones are read from the log
 * files. A plain-text search marks its matches and steps through them. Always exactly
 * `height` lines tall: a title line, then the lines. Its keys come through `keys`, from the
 * dashboard that reads them.
 */
import { Box, Text } from 'ink';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ProcessLogLine } from '../core/view.js';
import type { SupervisorApi } from '../protocol/api.js';
import { type KeyRoute, useRoutedKeys } from './key-route.js';
import { findMatches, type LogBuffer, scrollTo, stepMatch } from './log-buffer.js';
import { type LogRow, lastTopOf, type RowLayout, type Segment, visibleRows } from './log-rows.js';
import { searchStatusOf, stateOf, subjectOf } from './log-title.js';
import { stepsOf } from './scroll.js';
import { colourOf, type Theme } from './theme.js';
import { useLatestState } from './use-latest-state.js';
import { EVERY_PROCESS, useLogFollow } from './use-log-follow.js';

export interface LogPaneProps {
  readonly api: SupervisorApi;
  /** The process (or instance) to follow; undefined: none is selected (`a` still shows them all). */
  readonly name: string | undefined;
  /** Lines the pane takes, its title line included. */
  readonly height: number;
  /** Characters a line takes. */
  readonly width: number;
  /** Lines kept in memory (`settings.tui.log_lines`). */
  readonly logLines: number;
  /** New lines are shown at most once per this many ms. */
  readonly refreshMs: number;
  readonly theme: Theme;
  /** Where the pane puts its key handler, for the owner to call while the pane has the focus. */
  readonly keys: KeyRoute;
  /** Told a search's result (`match 3 of 12`, `no match for "x"`), and '' once it is cleared. */
  readonly onStatus?: (text: string) => void;
}

export function LogPane({
  api,
  name,
  height,
  width,
  logLines,
  refreshMs,
  theme,
  keys,
  onStatus,
}: LogPaneProps) {
  const [everyProcess, setEveryProcess] = useState(false);
  const [wrap, setWrap] = useState(false);
  // Read by the next key as the keys before it left it (see use-latest-state.ts).
  const [typing, setTyping, currentTyping] = useLatestState<string | undefined>(undefined);
  const [pattern, setPattern] = useState('');
  // The line of the current match: its index moves as lines come and go.
  const [currentMatch, setCurrentMatch] = useState<ProcessLogLine>();
  const followed = everyProcess ? EVERY_PROCESS : name;
  const logs = useLogFollow(api, followed, logLines, refreshMs);
  const { buffer } = logs;

  const searched = typing ?? pattern;
  const bodyRows = Math.max(0, height - 1 - (logs.problem === undefined ? 0 : 1));
  const named = (line: ProcessLogLine) => followed === EVERY_PROCESS || line.name !== followed;
  const nameWidth = buffer.lines.reduce(
    (widest, line) => (named(line) ? Math.max(widest, line.name.length) : widest),
    0,
  );
  const layout: RowLayout = { width, wrap, pattern: searched, nameWidth, named };
  const matches = useMemo(() => findMatches(buffer.lines, searched), [buffer.lines, searched]);
  const currentIndex = currentMatch === undefined ? -1 : buffer.lines.indexOf(currentMatch);
  const matchPosition = matches.indexOf(currentIndex);
  const status = searchStatusOf(
    searched,
    matches.length,
    matchPosition < 0 ? undefined : matchPosition,
  );
  useTellChanges(status ?? '', '', onStatus);

  const lastTop = (of: LogBuffer) => lastTopOf(of.lines, bodyRows, layout);
  const shown = (of: LogBuffer) => visibleRows(of.lines, of.top, bodyRows, layout).rows;
  const scrollBy = (delta: number) => {
    const beyond = (buffer.top ?? lastTop(buffer)) + delta;
    if (beyond < 0 && !buffer.atStart) {
      // Past the oldest line held: read older ones, then scroll into them as far as was asked.
      logs.readBack((read) => scrollTo(read, (read.top ?? 0) + beyond, lastTop(read)));
    }
    logs.change((current) => {
      const last = lastTop(current);
      return scrollTo(current, (current.top ?? last) + delta, last);
    });
  };
  const jump = (direction: 1 | -1) => {
    const rows = shown(buffer);
    const from =
      currentIndex >= 0
        ? currentIndex
        : direction === 1
          ? (rows[0]?.index ?? 0)
          : (rows.at(-1)?.index ?? buffer.lines.length - 1);
    const position = stepMatch(matches, from, direction, currentIndex >= 0);
    if (position === undefined) return;
    const target = buffer.lines[matches[position]!]!;
    setCurrentMatch(target);
    logs.change((current) => {
      const index = current.lines.indexOf(target);
      if (index < 0 || shown(current).some((row) => row.index === index)) return current;
      return scrollTo(current, index - Math.floor(bodyRows / 3), lastTop(current));
    });
  };
  const page = Math.max(1, bodyRows - 1);

  // Says whether the key was the pane's: the dashboard acts on the others (Tab, Esc with no
  // search to clear, q, ?). While a search is typed, every key is the pane's.
  useRoutedKeys(keys, (input, key) => {
    const typed = currentTyping();
    if (typed !== undefined) {
      if (key.escape) {
        setTyping(undefined);
        setPattern('');
        setCurrentMatch(undefined);
      } else if (key.return) {
        setPattern(typed);
        setTyping(undefined);
      } else if (key.backspace || key.delete) {
        setTyping((current) => current?.slice(0, -1));
      } else if (!key.ctrl && !key.meta && input !== '') {
        // From the text as it is by now: keys read in one go come before the next render.
        setTyping((current) => (current === undefined ? current : current + input));
      }
      return true;
    }
    const steps = key.upArrow ? -1 : key.downArrow ? 1 : stepsOf(input);
    if (steps !== 0) scrollBy(steps);
    else if (key.pageUp) scrollBy(-page);
    else if (key.pageDown) scrollBy(page);
    else if (input === 'g' || key.home)
      logs.change((current) => scrollTo(current, 0, lastTop(current)));
    else if (input === 'G' || key.end) logs.follow();
    else if (input === '/') {
      setTyping('');
      setCurrentMatch(undefined);
    } else if (input === 'n') jump(1);
    else if (input === 'N') jump(-1);
    else if (input === 'w') setWrap((current) => !current);
    else if (input === 'a') {
      setEveryProcess((current) => !current);
      setCurrentMatch(undefined);
    } else if (key.escape && pattern !== '') {
      setPattern('');
      setCurrentMatch(undefined);
    } else return false;
    return true;
  });

  if (height <= 0) return null;
  const rows = visibleRows(buffer.lines, buffer.top, bodyRows, layout).rows;
  const blank = Math.max(0, bodyRows - rows.length);
  const paused = buffer.top !== undefined;
  return (
    <Box flexDirection="column" height={height} width={width}>
      <Text wrap="truncate-end">
        <Text bold>logs</Text>
        {` · ${subjectOf(followed, logs.instances)} · `}
        {typing === undefined ? (
          <>
            <Text color={paused ? colourOf(theme, 'warning') : undefined}>{stateOf(logs)}</Text>
            {wrap ? ' · wrap' : ''}
            {status === undefined ? '' : ` · ${status}`}
          </>
        ) : (
          // What is typed goes before the rest, which the width may cut.
          `/${typing}▏ Enter keeps, Esc clears`
        )}
      </Text>
      {rows.map((row) => (
        <RowLine key={row.key} row={row} theme={theme} />
      ))}
      {Array.from({ length: blank }, (_, index) => (
        // Blank rows hold the pane's height: a position is all they are.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <Text key={`blank ${index}`} dimColor={theme.colour}>
          {index === 0 && buffer.lines.length === 0 && logs.problem === undefined && followed
            ? 'no output yet'
            : ' '}
        </Text>
      ))}
      {logs.problem === undefined ? null : (
        <Text wrap="truncate-end" color={colourOf(theme, 'error')}>
          {logs.problem}
        </Text>
      )}
    </Box>
  );
}

/** One row of a line: stderr in the error colour, the process's name in front, matches reversed. */
function RowLine({ row, theme }: { readonly row: LogRow; readonly theme: Theme }) {
  const stderr = row.line.stream === 'stderr';
  return (
    <Text wrap="truncate-end" color={stderr ? colourOf(theme, 'error') : undefined}>
      {row.segments.map((segment, index) => (
        // Segments never move within a row: their index is their identity.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <SegmentText key={index} segment={segment} theme={theme} />
      ))}
    </Text>
  );
}

function SegmentText({ segment, theme }: { readonly segment: Segment; readonly theme: Theme }) {
  return (
    <Text inverse={segment.match} color={segment.prefix ? colourOf(theme, 'primary') : undefined}>
      {segment.text}
    </Text>
  );
}

/** Tells `listener` each new `value`: not the first, while it is still `initial`. */
function useTellChanges<T>(value: T, initial: T, listener: ((value: T) => void) | undefined) {
  const told = useRef(initial);
  const listenerRef = useRef(listener);
  listenerRef.current = listener;
  useEffect(() => {
    if (Object.is(value, told.current)) return;
    told.current = value;
    listenerRef.current?.(value);
  }, [value]);
}
