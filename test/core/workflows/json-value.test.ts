import { describe, expect, it } from 'vitest';
import { jsonProblem } from '../../../src/core/workflows/json-value.js';

describe('jsonProblem', () => {
  it('refuses text that PostgreSQL cannot store, in a value or a key, naming where', () => {
    expect(jsonProblem({ a: ['ok', 'nul\u0000'] })).toBe(
      '$.a[1] holds U+0000, which PostgreSQL cannot store',
    );
    expect(jsonProblem({ 'k\u0000': 1 })).toMatch(/^\$ key "k\\u0000" holds U\+0000/);
    expect(jsonProblem('\ud800')).toBe('$ holds half a surrogate pair, which is no text');
    expect(jsonProblem('x\udc00')).toMatch(/half a surrogate pair/);
  });

  it('takes whole surrogate pairs and every other character', () => {
    expect(jsonProblem({ '🦆': '🦆 ü \u0001 \uffff' })).toBeUndefined();
  });
});
