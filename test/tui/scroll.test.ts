import { describe, expect, it } from 'vitest';
import { scrolled, scrollNote } from '../../src/tui/scroll.js';

const NO_KEY = {
  upArrow: false,
  downArrow: false,
  pageUp: false,
  pageDown: false,
  home: false,
  end: false,
};

describe('scrolling', () => {
  it('moves by a line, a screen, or to either end, never past them', () => {
    // 30 lines in a room of 10: the top line goes from 0 to 20.
    expect(scrolled(0, '', { ...NO_KEY, upArrow: true }, 30, 10)).toBe(0);
    expect(scrolled(0, 'jjj', NO_KEY, 30, 10)).toBe(3);
    expect(scrolled(5, '', { ...NO_KEY, pageDown: true }, 30, 10)).toBe(14);
    expect(scrolled(19, '', { ...NO_KEY, pageDown: true }, 30, 10)).toBe(20);
    expect(scrolled(5, '', { ...NO_KEY, pageUp: true }, 30, 10)).toBe(0);
    expect(scrolled(5, 'G', NO_KEY, 30, 10)).toBe(20);
    expect(scrolled(5, '', { ...NO_KEY, home: true }, 30, 10)).toBe(0);
    expect(scrolled(0, 'j', NO_KEY, 5, 10)).toBe(0);
  });

  it('leaves other keys to others', () => {
    expect(scrolled(3, 'x', NO_KEY, 30, 10)).toBeUndefined();
  });

  it('says which lines show, only when not all do', () => {
    expect(scrollNote(12, 12, 40)).toBe('↕ 13–24 of 40');
    expect(scrollNote(0, 5, 5)).toBeUndefined();
  });
});
