/**
 * Pieces shared by a run's and a dead letter's lines: a JSON value as indented lines (cut
 * at a bound, since an input may be megabytes; each line is cut at the pane's edge when
 * drawn), an error with its stack, and `key  value` facts.
 */
import type { Json, StoredError } from '../core/workflows/records.js';
import { screenText } from './screen-text.js';
import type { Look } from './status-look.js';
import { plain, type TextLine, title } from './text-line.js';

/** Most lines of one JSON value shown: the rest is counted, not drawn. */
export const MAX_JSON_LINES = 200;

export const ERROR_LOOK: Look = { symbol: '', role: 'error' };
export const DIM_LOOK: Look = { symbol: '', dim: true };

/** `name` as a title, then `value` indented, at most `MAX_JSON_LINES` lines of it. */
export function jsonSection(name: string, value: Json | undefined): TextLine[] {
  if (value === undefined) return [];
  const lines = JSON.stringify(value, null, 2).split('\n');
  const shown = lines.slice(0, MAX_JSON_LINES).map((line) => plain(screenText(line)));
  const left = lines.length - MAX_JSON_LINES;
  return [
    title(name),
    ...shown,
    ...(left > 0 ? [[{ text: `… ${left} more lines`, look: DIM_LOOK }] as TextLine] : []),
  ];
}

/** `Error: message`, then the stack's other lines (the stack repeats the message first). */
export function errorLines(error: StoredError): TextLine[] {
  const headline = `${error.name}: ${error.message}`.split('\n');
  const stack = (error.stack ?? '').split('\n');
  const frames = stack.filter((line) => /^\s+at /.test(line));
  return [
    ...headline.map((line): TextLine => [{ text: screenText(line), look: ERROR_LOOK }]),
    ...frames.map((line) => plain(screenText(line))),
  ];
}

/** `key  value` lines, the keys padded to one width. */
export function factLines(facts: readonly (readonly [string, string])[]): TextLine[] {
  const width = Math.max(...facts.map(([key]) => key.length));
  return facts.map(([key, value]) => plain(`${key.padEnd(width)}  ${value}`));
}
