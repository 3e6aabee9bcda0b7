import { describe, expect, it } from 'vitest';
import type { Cell } from '../../src/tui/process-cells.js';
import { fittedWidths, LETTER_COLUMNS } from '../../src/tui/workflow-cells.js';

const UUID = '5ea96287-637c-4ee2-bc74-99b7d0eda10a';

/** A letter's cells as the table has them, with `error` as its last. */
function letterRow(error: string): Cell[] {
  return [UUID, 'order', 'order-7', 'charge #0', '3', '1m0s ago', error].map((text) => ({ text }));
}

describe('the width of the workflow tables’ columns', () => {
  it('gives every column its widest cell when the terminal is wide enough', () => {
    const widths = fittedWidths(LETTER_COLUMNS, [letterRow('card declined')], 200);
    expect(widths).toEqual([36, 8, 7, 9, 8, 8, 13]);
  });

  it('cuts the ids to leave the error room on 80 columns, then leaves the error out', () => {
    const error = 'card declined by the issuer after three tries of the same card';
    const at80 = fittedWidths(LETTER_COLUMNS, [letterRow(error)], 78);
    expect(at80[0]).toBeLessThan(36);
    expect(at80[0]).toBeGreaterThanOrEqual(10);
    expect(at80.reduce((sum, width) => sum + width + 2, -2)).toBeLessThanOrEqual(78);
    expect(at80[6]).toBeGreaterThanOrEqual(8);
    const narrow = fittedWidths(LETTER_COLUMNS, [letterRow(error)], 50);
    expect(narrow[0]).toBe(10);
    expect(narrow[6]).toBe(0);
  });

  it('cuts no id when the error fits beside it', () => {
    const widths = fittedWidths(LETTER_COLUMNS, [letterRow('no')], 120);
    expect(widths[0]).toBe(36);
    expect(widths[6]).toBe(5);
  });
});
