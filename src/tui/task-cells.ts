/**
 * The tasks view's table as cells: what each column says of a task, and how wide each
 * column may be on a terminal of a given width (the command, the one column of free text,
 * gives way first). Pure, so the layout is tested without rendering.
 */
import type { TaskView } from '../core/tasks/task.js';
import { formatBytes, formatDuration } from '../core/units.js';
import { type Cell, GAP } from './process-cells.js';
import { TASK_STATUS_LOOK } from './task-look.js';

export const TASK_COLUMNS = [
  'ID',
  'NAME',
  'STATUS',
  'ATTEMPTS',
  'EXIT',
  'DURATION',
  'CPU',
  'PEAK MEM',
  'COMMAND',
] as const;

/** Below this many characters a command says nothing useful: the column is left out. */
const MIN_COMMAND_WIDTH = 8;

/** The cells of one task, in the order of `TASK_COLUMNS`. */
export function taskCellsOf(task: TaskView, now: number): Cell[] {
  const look = TASK_STATUS_LOOK[task.status];
  const { result } = task;
  return [
    { text: task.id },
    { text: task.name },
    { text: `${look.symbol} ${task.status}`, look },
    { text: String(task.attempts) },
    { text: exitText(task) },
    { text: durationOf(task, now) },
    { text: result ? formatDuration(result.resourceUsage.cpuMs, 'elapsed') : '-' },
    { text: result ? formatBytes(result.resourceUsage.peakMemoryBytes) : '-' },
    { text: commandText(task.command) },
  ];
}

/** How the last try ended: the signal, else the exit code; `-` before the end. */
export function exitText(task: TaskView): string {
  const { result } = task;
  if (!result) return '-';
  return result.signal ?? (result.exitCode === null ? '-' : String(result.exitCode));
}

/** How long it ran: to its end, or so far while it runs; `-` before its first try. */
export function durationOf(task: TaskView, now: number): string {
  if (task.result) return formatDuration(task.result.durationMs, 'elapsed');
  if (task.startedAt === null) return '-';
  return formatDuration(Math.max(0, now - Date.parse(task.startedAt)), 'elapsed');
}

/** A command as typed: a string as it is, an argv joined with spaces (quoted where needed). */
export function commandText(command: string | readonly string[]): string {
  if (typeof command === 'string') return command;
  return command.map((arg) => (/^[^\s"'\\]+$/.test(arg) ? arg : JSON.stringify(arg))).join(' ');
}

/**
 * The width of each column on a terminal `width` characters wide: as wide as its widest
 * cell, but the command gives way first, and is left out (width 0) when too little is left.
 */
export function taskColumnWidths(rows: readonly (readonly Cell[])[], width: number): number[] {
  const natural = TASK_COLUMNS.map((title, column) =>
    Math.max(title.length, ...rows.map((cells) => cells[column]?.text.length ?? 0)),
  );
  const last = TASK_COLUMNS.length - 1;
  const fixed = natural.slice(0, last).reduce((sum, w) => sum + w + GAP, 0);
  const room = width - fixed;
  natural[last] = room < MIN_COMMAND_WIDTH ? 0 : Math.min(natural[last]!, room);
  return natural;
}
