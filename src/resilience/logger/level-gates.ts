/**
 * The levels of one logger and all its children and categories: the level, the category
 * rules, and for each category a gate holding the least severe level value it writes. A
 * line is one comparison against its gate; a change of level or rules updates the gates.
 */
import {
  type CategoryRule,
  categoryRule,
  parseCategoryRules,
  verdictOf,
  withRule,
} from './category-rules.js';
import { type AppLogLevel, thresholdOf } from './levels.js';

/** Shared by every logger of one category: lines below `threshold` are not written. */
export interface LevelGate {
  threshold: number;
}

export class LevelGates {
  #level: AppLogLevel;
  #rules: CategoryRule[];
  /** Few: one per category a program names, never one per child. */
  readonly #gates = new Map<string, LevelGate>();

  constructor(level: AppLogLevel, categories: string) {
    this.#level = level;
    this.#rules = parseCategoryRules(categories);
  }

  level(): AppLogLevel {
    return this.#level;
  }

  /** The gate of `category` (the logger's own name for lines of no category). */
  gate(category: string): LevelGate {
    let gate = this.#gates.get(category);
    if (!gate) {
      gate = { threshold: thresholdOf(this.#level, verdictOf(this.#rules, category)) };
      this.#gates.set(category, gate);
    }
    return gate;
  }

  setLevel(level: AppLogLevel): void {
    this.#level = level;
    this.#update();
  }

  /** Adds a rule after the others: it decides for the categories it matches. */
  setCategory(pattern: string, enabled: boolean): void {
    this.#rules = withRule(this.#rules, categoryRule(pattern, enabled));
    this.#update();
  }

  #update(): void {
    for (const [category, gate] of this.#gates) {
      gate.threshold = thresholdOf(this.#level, verdictOf(this.#rules, category));
    }
  }
}
