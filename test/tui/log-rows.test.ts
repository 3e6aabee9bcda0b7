import { describe, expect, it } from 'vitest';
import type { ProcessLogLine } from '../../src/core/view.js';
import { type LogRow, lastTopOf, type RowLayout, visibleRows } from '../../src/tui/log-rows.js';

const line = (name: string, text: string): ProcessLogLine => ({
  name,
  at: 1,
  stream: 'stdout',
  text,
});

const layout = (overrides: Partial<RowLayout> = {}): RowLayout => ({
  width: 10,
  wrap: false,
  pattern: '',
  nameWidth: 0,
  named: () => false,
  ...overrides,
});

/** A row as the screen shows it, matches in [brackets]. */
const textOf = (row: LogRow) =>
  row.segments.map((segment) => (segment.match ? `[${segment.text}]` : segment.text)).join('');

describe('the rows of the log pane', () => {
  const lines = ['one', 'two', 'a line longer than ten', 'four'].map((text) => line('web', text));

  it('shows the newest lines while following, one row each when cut', () => {
    const { rows, lastTop } = visibleRows(lines, undefined, 2, layout());
    expect(rows.map(textOf)).toEqual(['a line longer than ten', 'four']);
    expect(lastTop).toBe(2);
    expect(visibleRows(lines, 0, 2, layout()).rows.map(textOf)).toEqual(['one', 'two']);
  });

  it('wraps a long line onto rows of the width, a match cut with it', () => {
    const wrapped = layout({ wrap: true, pattern: 'LONGER' });
    const { rows, lastTop } = visibleRows(lines, undefined, 4, wrapped);
    expect(rows.map(textOf)).toEqual(['a line [lon]', '[ger] than t', 'en', 'four']);
    // The newest line and the long one take 4 rows: `two` is the first line that fits above.
    expect(lastTop).toBe(2);
    expect(lastTopOf(lines, 5, wrapped)).toBe(1);
    // Paused at a line: from there down, as many rows as there are.
    expect(visibleRows(lines, 1, 3, wrapped).rows.map(textOf)).toEqual([
      'two',
      'a line [lon]',
      '[ger] than t',
    ]);
  });

  it('shows whose line it is when the pane shows several, names aligned', () => {
    const mixed = [line('worker-0', 'ready'), line('api', 'listening')];
    const named = layout({ width: 40, nameWidth: 8, named: () => true });
    expect(visibleRows(mixed, undefined, 5, named).rows.map(textOf)).toEqual([
      'worker-0 │ ready',
      'api      │ listening',
    ]);
  });

  it('shows the top of a line taller than the pane when paused at it', () => {
    const tall = [line('web', 'x'.repeat(35))];
    const wrapped = layout({ wrap: true });
    expect(visibleRows(tall, 0, 2, wrapped).rows.map(textOf)).toEqual([
      'x'.repeat(10),
      'x'.repeat(10),
    ]);
    expect(visibleRows(tall, undefined, 2, wrapped).rows.map(textOf)).toEqual([
      'x'.repeat(10),
      'x'.repeat(5),
    ]);
    expect(lastTopOf(tall, 2, wrapped)).toBe(0);
  });
});
