/**
 * The workflow runs' and dead letters' tables as cells: what each column says of a run or a
 * letter, and how wide each column may be on a terminal of a given width (the last column,
 * the one of free text, gives way first). Pure, so the layout is tested without rendering.
 */
import { formatDuration } from '../core/units.js';
import type { DeadLetterView, RunView } from '../core/workflows/views.js';
import { type Cell, GAP } from './process-cells.js';
import { RUN_STATUS_LOOK, runStatusText } from './workflow-look.js';

export const RUN_COLUMNS = [
  'ID',
  'WORKFLOW',
  'STATUS',
  'STEPS',
  'FAILURES',
  'UPDATED',
  'WORKER',
] as const;

export const LETTER_COLUMNS = [
  'ID',
  'WORKFLOW',
  'RUN',
  'STEP',
  'ATTEMPTS',
  'FAILED',
  'ERROR',
] as const;

/** Below this many characters the last column says nothing useful: it is left out. */
const MIN_FREE_WIDTH = 8;

/** What the last column is given, when ids are cut to make room for it: an error's gist. */
const WANTED_FREE_WIDTH = 40;

/** An id cut shorter than this (its first 9 characters and `…`) is hard to tell from another. */
const MIN_ID_WIDTH = 10;

/** The cells of one run, in the order of `RUN_COLUMNS`. */
export function runCellsOf(run: RunView, now: number): Cell[] {
  return [
    { text: run.id },
    { text: run.workflow },
    { text: runStatusText(run.status), look: RUN_STATUS_LOOK[run.status] },
    { text: String(run.stepsDone) },
    { text: String(run.failures) },
    { text: agoText(run.updatedAt, now) },
    // A worker other than the one running it only held it once: not worth a look.
    { text: run.status === 'running' ? (run.owner ?? '-') : '-' },
  ];
}

/** The cells of one dead letter, in the order of `LETTER_COLUMNS`. */
export function letterCellsOf(letter: DeadLetterView, now: number): Cell[] {
  return [
    { text: letter.id },
    { text: letter.workflow },
    { text: letter.runId },
    { text: `${letter.step} #${letter.stepIndex}` },
    { text: String(letter.attempts) },
    { text: agoText(letter.failedAt, now) },
    { text: firstLine(letter.error.message), look: { symbol: '', role: 'error' } },
  ];
}

/** `3m20s ago`, from an ISO time; under a second (or a clock running behind), `just now`. */
export function agoText(iso: string, now: number): string {
  const ms = now - Date.parse(iso);
  return ms < 1_000 ? 'just now' : `${formatDuration(ms, 'elapsed')} ago`;
}

/** A message's first line, for a cell. */
export function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

/**
 * The width of each of `columns` on a terminal `width` characters wide: as wide as its
 * widest cell, but the last gives way first; the ids (a letter's is a 36-character UUID)
 * are cut, down to `MIN_ID_WIDTH`, to leave it up to `WANTED_FREE_WIDTH`, the full id being
 * one Enter away; the last is left out (width 0) when too little is left still.
 */
export function fittedWidths(
  columns: readonly string[],
  rows: readonly (readonly Cell[])[],
  width: number,
): number[] {
  const widths = columns.map((title, column) =>
    Math.max(title.length, ...rows.map((cells) => cells[column]?.text.length ?? 0)),
  );
  const last = columns.length - 1;
  const fixed = () => widths.slice(0, last).reduce((sum, w) => sum + w + GAP, 0);
  const lacking = Math.min(widths[last]!, WANTED_FREE_WIDTH) - (width - fixed());
  if (lacking > 0) widths[0] = Math.max(MIN_ID_WIDTH, widths[0]! - lacking);
  const room = width - fixed();
  widths[last] = room < MIN_FREE_WIDTH ? 0 : Math.min(widths[last]!, room);
  return widths;
}
