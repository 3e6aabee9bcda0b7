import { describe, expect, it } from 'vitest';
import {
  categoryRule,
  parseCategoryRules,
  verdictOf,
  withRule,
} from '../../../src/resilience/logger/category-rules.js';
import { thresholdOf } from '../../../src/resilience/logger/levels.js';

describe('DEBUG patterns', () => {
  it.each([
    ['app:db', 'app:db', 'enabled'],
    ['app:db', 'app:dbx', 'unmatched'],
    ['app:db', 'app', 'unmatched'],
    ['app:*', 'app:db', 'enabled'],
    ['app:*', 'app:db:pool', 'enabled'],
    ['app:*', 'app', 'unmatched'],
    ['app:*', 'other:db', 'unmatched'],
    ['*', 'anything:at:all', 'enabled'],
    ['*:db', 'app:db', 'enabled'],
    ['app:*,-app:noisy', 'app:noisy', 'disabled'],
    ['app:*,-app:noisy', 'app:quiet', 'enabled'],
    ['app:* -app:noisy', 'app:noisy', 'disabled'],
    ['  app:db ,, app:cache  ', 'app:cache', 'enabled'],
    // An exclusion wins wherever it stands in the value, as with the debug package.
    ['-app:noisy,app:*', 'app:noisy', 'disabled'],
    ['-app:*', 'app:db', 'disabled'],
    ['', 'app:db', 'unmatched'],
    ['-', 'app:db', 'unmatched'],
    ['app.db', 'appxdb', 'unmatched'],
    ['app:(db)', 'app:(db)', 'enabled'],
  ])('%j makes %s %s', (debug, category, verdict) => {
    expect(verdictOf(parseCategoryRules(debug), category)).toBe(verdict);
  });

  it('lets a rule added later decide over earlier ones, replacing one of the same pattern', () => {
    let rules = parseCategoryRules('app:*,-app:noisy');
    rules = withRule(rules, categoryRule('app:noisy', true));
    expect(verdictOf(rules, 'app:noisy')).toBe('enabled');
    rules = withRule(rules, categoryRule('app:*', false));
    expect(verdictOf(rules, 'app:noisy')).toBe('disabled');
    rules = withRule(rules, categoryRule('app:*', true));
    expect(rules.map((rule) => rule.pattern)).toEqual(['app:noisy', 'app:*']);
  });

  it('refuses an empty pattern or several in one', () => {
    expect(() => categoryRule(' ', true)).toThrow(TypeError);
    expect(() => categoryRule('a,b', true)).toThrow(/one pattern/);
  });
});

describe('the level a category writes from', () => {
  it.each([
    ['info', 'unmatched', 30],
    ['info', 'enabled', 20],
    ['trace', 'enabled', 10],
    ['info', 'disabled', 40],
    ['error', 'disabled', 50],
    ['error', 'enabled', 20],
    ['silent', 'enabled', Number.POSITIVE_INFINITY],
  ] as const)('at %s, a category %s writes from %d', (level, verdict, threshold) => {
    expect(thresholdOf(level, verdict)).toBe(threshold);
  });
});
