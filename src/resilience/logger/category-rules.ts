/**
 * Which categories are turned up to debug and which are turned down, in the syntax of the
 * `debug` package's `DEBUG` variable: patterns separated by commas or spaces, `*` for any
 * run of characters, `-` in front to exclude. Pure, so that the table of what matches what
 * is tested on its own.
 */

/** What a category's rules make of it. */
export type CategoryVerdict = 'enabled' | 'disabled' | 'unmatched';

/** One pattern: the categories it matches are enabled, or disabled. */
export interface CategoryRule {
  readonly pattern: string;
  readonly enabled: boolean;
  readonly matches: (category: string) => boolean;
}

/**
 * The rules of a `DEBUG` value. Within one value an exclusion wins wherever it stands, as
 * with the `debug` package: the inclusions come first and the exclusions after them, and
 * the last rule that matches decides (see `verdictOf`).
 */
export function parseCategoryRules(text: string): CategoryRule[] {
  const words = text.split(/[\s,]+/).filter((word) => word !== '' && word !== '-');
  const included = words.filter((word) => !word.startsWith('-'));
  const excluded = words.filter((word) => word.startsWith('-')).map((word) => word.slice(1));
  return [
    ...included.map((pattern) => categoryRule(pattern, true)),
    ...excluded.map((pattern) => categoryRule(pattern, false)),
  ];
}

export function categoryRule(pattern: string, enabled: boolean): CategoryRule {
  const trimmed = pattern.trim();
  if (trimmed === '' || /[\s,]/.test(trimmed)) {
    throw new TypeError(
      `category pattern: expected one pattern such as app:db or app:*, got ${JSON.stringify(pattern)}`,
    );
  }
  return { pattern: trimmed, enabled, matches: patternMatcher(trimmed) };
}

/**
 * The rules with `rule` added last. An earlier rule of the same pattern is dropped: it
 * matches the same categories and the new one overrides it for all of them, so turning a
 * category on and off at run time does not grow the list.
 */
export function withRule(rules: readonly CategoryRule[], rule: CategoryRule): CategoryRule[] {
  return [...rules.filter((kept) => kept.pattern !== rule.pattern), rule];
}

/** The last rule matching `category` decides; no rule matching leaves it to the level. */
export function verdictOf(rules: readonly CategoryRule[], category: string): CategoryVerdict {
  for (let index = rules.length - 1; index >= 0; index--) {
    const rule = rules[index]!;
    if (rule.matches(category)) return rule.enabled ? 'enabled' : 'disabled';
  }
  return 'unmatched';
}

/** `app:*` as a test of a whole category name; `*` alone matches every one. */
function patternMatcher(pattern: string): (category: string) => boolean {
  if (pattern === '*') return () => true;
  if (!pattern.includes('*')) return (category) => category === pattern;
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const regex = new RegExp(`^${source}$`);
  return (category) => regex.test(category);
}
