import { describe, expect, it } from 'vitest';
import { sparkline } from '../../src/tui/sparkline.js';

describe('sparkline', () => {
  it('draws the lowest value as ▁ and the highest as █, the others between', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8)).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([10, 20, 10], 3)).toBe('▁█▁');
  });

  it('keeps the last values that fit, scaled among themselves', () => {
    expect(sparkline([100, 0, 1, 2], 3)).toBe('▁▅█');
  });

  it('draws a flat series flat, and nothing without values or room', () => {
    expect(sparkline([5, 5, 5], 10)).toBe('▁▁▁');
    expect(sparkline([], 10)).toBe('');
    expect(sparkline([1, 2], 0)).toBe('');
  });
});
