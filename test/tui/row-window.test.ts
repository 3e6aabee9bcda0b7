import { describe, expect, it } from 'vitest';
import { rowWindow } from '../../src/tui/row-window.js';

describe('the rows that fit on the screen', () => {
  it('are all of them when they fit', () => {
    expect(rowWindow(5, 4, 10)).toEqual({ start: 0, end: 5 });
  });

  it('keep the selected row in view, near the middle, within the rows', () => {
    expect(rowWindow(40, 0, 10)).toEqual({ start: 0, end: 10 });
    expect(rowWindow(40, 20, 10)).toEqual({ start: 15, end: 25 });
    expect(rowWindow(40, 39, 10)).toEqual({ start: 30, end: 40 });
  });

  it('show the selected row even with no room', () => {
    expect(rowWindow(40, 7, -3)).toEqual({ start: 7, end: 8 });
  });
});
