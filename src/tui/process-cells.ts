/**
 * The dashboard's process table as cells: what each column says of a row, and how wide
 * each column may be on a terminal of a given width. Pure, so the layout is tested without
 * rendering.
 */
import { DEFAULTS } from '../core/defaults.js';
import { DEGRADED_BELOW, FAILING_BELOW } from '../core/limits/stack-health.js';
import { reasonText } from '../core/reason-text.js';
import { formatBytes, formatDuration, formatPercent } from '../core/units.js';
import type { ProcessInfo } from '../core/view.js';
import { HEALTH_LOOK, type Look, STATUS_LOOK } from './status-look.js';

export interface Cell {
  readonly text: string;
  readonly look?: Look;
}

export const COLUMNS = [
  'NAME',
  'NAMESPACE',
  'STATUS',
  'HEALTH',
  'SCORE',
  'PID',
  'RESTARTS',
  'UPTIME',
  'CPU',
  'MEM',
  'REASON',
] as const;

/** Columns are separated by this many spaces. */
export const GAP = 2;

/** Below this many characters a reason says nothing useful: the column is left out. */
const MIN_REASON_WIDTH = 8;

/** The cells of one row, in the order of `COLUMNS`. */
export function cellsOf(process: ProcessInfo, now: number): Cell[] {
  const status = STATUS_LOOK[process.status];
  return [
    { text: process.name },
    { text: process.namespace },
    { text: `${status.symbol} ${process.status}`, look: status },
    { text: process.health, look: HEALTH_LOOK[process.health] },
    { text: String(process.healthScore), look: scoreLook(process.healthScore) },
    { text: process.pid === null ? '-' : String(process.pid) },
    { text: String(process.restarts) },
    { text: process.uptimeMs === null ? '-' : formatDuration(process.uptimeMs, 'elapsed') },
    { text: formatPercent(process.cpuPercent) },
    { text: formatBytes(process.memoryBytes) },
    { text: reasonText(process, now) },
  ];
}

/** A score in the colour of what it makes of the stack's health, as `ps` paints it. */
function scoreLook(score: number): Look {
  const role = score >= DEGRADED_BELOW ? 'success' : score >= FAILING_BELOW ? 'warning' : 'error';
  return { symbol: '', role };
}

/**
 * The width of each column on a terminal `width` characters wide: as wide as its widest
 * cell, but the reason, the one column of free text, gives way first; it is left out (width
 * 0) when too little is left for it. Whatever still does not fit is cut at the edge. As in
 * `ps`, NAMESPACE is left out while every row is in `default`; SCORE too while every score
 * is a full 100, unless `keep.score` (the rows are sorted by it). Where the other columns
 * do not fit either, some give way whole (`GIVE_WAY`) rather than be cut.
 */
export function columnWidths(
  rows: readonly (readonly Cell[])[],
  width: number,
  keep: { readonly score?: boolean } = {},
): number[] {
  const natural = COLUMNS.map((title, column) =>
    Math.max(title.length, ...rows.map((cells) => cells[column]?.text.length ?? 0)),
  );
  const namespaceColumn = COLUMNS.indexOf('NAMESPACE');
  if (rows.every((cells) => cells[namespaceColumn]?.text === DEFAULTS.namespace)) {
    natural[namespaceColumn] = 0;
  }
  const reasonColumn = COLUMNS.length - 1;
  // No row has anything to say: no column to say it in.
  if (rows.every((cells) => cells[reasonColumn]?.text === '')) natural[reasonColumn] = 0;
  const scoreColumn = COLUMNS.indexOf('SCORE');
  if (!keep.score && rows.every((cells) => cells[scoreColumn]?.text === '100')) {
    natural[scoreColumn] = 0;
  }
  const fixedWidth = () =>
    natural.slice(0, reasonColumn).reduce((sum, w) => (w === 0 ? sum : sum + w + GAP), 0);
  // Too narrow for every column: the least telling give way, one at a time.
  for (const title of GIVE_WAY) {
    if (fixedWidth() <= width) break;
    natural[COLUMNS.indexOf(title)] = 0;
  }
  const room = width - fixedWidth();
  natural[reasonColumn] = room < MIN_REASON_WIDTH ? 0 : Math.min(natural[reasonColumn]!, room);
  return natural;
}

/**
 * The columns left out, in this order, on a terminal too narrow for them all (80 columns
 * with namespaces and scores): what the status and the figures already say, then what
 * `ps` and `inspect` tell.
 */
const GIVE_WAY: readonly (typeof COLUMNS)[number][] = [
  'SCORE',
  'HEALTH',
  'NAMESPACE',
  'PID',
  'UPTIME',
  'RESTARTS',
];

/** `text` padded or cut to `width`, a cut one ending in `…`. */
export function padOrCut(text: string, width: number): string {
  if (text.length <= width) return text.padEnd(width);
  return width <= 1 ? text.slice(0, width) : `${text.slice(0, width - 1)}…`;
}
