/**
 * Terminal output: what a closed output means, colours only on a terminal that wants them
 * (`NO_COLOR`, `FORCE_COLOR`, `TERM=dumb` respected), tables, and short renderings of
 * durations and sizes.
 */
import { styleText } from 'node:util';
import { formatDuration } from '../core/units.js';

let markStdoutClosed: () => void = () => {};

/**
 * Resolves once stdout's reader has gone (see `tolerateClosedOutput`). A command whose only
 * job is to print (`logs`, `top`) ends then; one that acts goes on without printing.
 */
export const stdoutClosed: Promise<void> = new Promise((resolve) => {
  markStdoutClosed = resolve;
});

/**
 * Makes a closed stdout or stderr mean "stop writing there", not a crash: the reader of a
 * pipe that went away (`overseer logs -f | head`, a `tee` ended by the same Ctrl-C) or a
 * terminal that hung up makes the next write fail (EPIPE, EIO), which Node reports as an
 * 'error' event that, unheard, would kill the CLI with a stack trace. Heard here, the
 * stream is closed and every later write to it is dropped. For the executable only: it
 * changes `process.stdout` and `process.stderr` for the whole process.
 */
export function tolerateClosedOutput(): void {
  process.stdout.on('error', () => markStdoutClosed());
  // Diagnostics that cannot be shown are dropped; the command goes on.
  process.stderr.on('error', () => {});
}

type Style = Parameters<typeof styleText>[0];

export interface Painter {
  (style: Style, text: string): string;
  readonly enabled: boolean;
}

/** A painter for `stream`: plain text unless colour is wanted there. */
export function painterFor(stream: NodeJS.WriteStream, env = process.env): Painter {
  const enabled = wantsColour(stream, env);
  const paint = (style: Style, text: string) => (enabled ? styleText(style, text) : text);
  return Object.assign(paint, { enabled });
}

function wantsColour(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): boolean {
  if ('NO_COLOR' in env && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** Colour per status, so a column of statuses reads at a glance. */
export const STATUS_STYLE: Readonly<Record<string, Style>> = {
  running: 'green',
  completed: 'green',
  starting: 'cyan',
  pending: 'gray',
  stopping: 'yellow',
  stopped: 'gray',
  backoff: 'yellow',
  scheduled: 'blue',
  failed: 'red',
  healthy: 'green',
  unhealthy: 'red',
  unknown: 'gray',
  none: 'gray',
};

const PROCESS_COLOURS: readonly Style[] = [
  'cyan',
  'magenta',
  'yellow',
  'green',
  'blue',
  'redBright',
];

/** A stable colour per process name, for prefixed log lines. */
export function colourOf(name: string): Style {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return PROCESS_COLOURS[hash % PROCESS_COLOURS.length]!;
}

/**
 * Left-aligned columns separated by two spaces. Widths are measured without colour
 * codes, so painted cells line up.
 */
export function renderTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = header.map((title, column) =>
    Math.max(visibleLength(title), ...rows.map((row) => visibleLength(row[column] ?? ''))),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === cells.length - 1
          ? cell
          : cell + ' '.repeat(widths[column]! - visibleLength(cell)),
      )
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal escape codes is the point
const ANSI = /\u001b\[[0-9;]*m/g;

function visibleLength(text: string): number {
  return text.replace(ANSI, '').length;
}

/** An elapsed time as a cell: `850ms`, `12s`, `5m12s`, `3h4m`, `2d3h`; `-` when there is none. */
export function formatUptime(ms: number | null): string {
  return ms === null ? '-' : formatDuration(ms, 'elapsed');
}

// The cells of sizes and shares are core's, shared with the dashboard.
export { formatBytes, formatPercent } from '../core/units.js';
