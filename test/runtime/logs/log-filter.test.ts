/**
 * A query's filters applied to one line.
 */
import { describe, expect, it } from 'vitest';
import type { LogQuery } from '../../../src/core/view.js';
import { matches } from '../../../src/runtime/logs/log-filter.js';

describe('matches', () => {
  it('a grep with the g or y flag passes every matching line, not every other one', () => {
    const line = (text: string) => ({ at: 0, stream: 'stdout' as const, text });
    for (const flags of ['g', 'y', 'gi']) {
      const query: LogQuery = { grep: new RegExp('error', flags) };
      const passed = ['error one', 'error two', 'error three'].filter((text) =>
        matches(line(text), query),
      );
      expect(passed, flags).toEqual(['error one', 'error two', 'error three']);
    }
  });
});
