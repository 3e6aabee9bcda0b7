/**
 * The circuit breakers of an application by name: to look one up, see them all at once,
 * and write them down before a restart so that they come back as they were.
 */

import type { Disposer } from '../core/subscription.js';
import { readSerializedBreaker, type SerializedBreaker } from './breaker-state.js';
import type { BreakerStats, CircuitBreakerPolicy } from './circuit-breaker.js';
import { Listeners, type PolicyListener } from './listeners.js';

export class BreakerRegistry {
  readonly #breakers = new Map<string, CircuitBreakerPolicy>();
  /** Restored states whose breaker is not made yet: it takes its state when it is added. */
  readonly #waiting = new Map<string, SerializedBreaker>();
  readonly #added = new Listeners<CircuitBreakerPolicy>();

  /**
   * Adds `breaker` under its name, in the state restored for that name if one waits for
   * it; a different breaker of that name is refused.
   */
  add(breaker: CircuitBreakerPolicy): CircuitBreakerPolicy {
    const known = this.#breakers.get(breaker.name);
    if (known && known !== breaker) {
      throw new TypeError(`a circuit breaker named ${breaker.name} is already registered`);
    }
    const waiting = this.#waiting.get(breaker.name);
    if (waiting) {
      breaker.restore(waiting);
      this.#waiting.delete(breaker.name);
    }
    this.#breakers.set(breaker.name, breaker);
    if (!known) this.#added.emit(breaker);
    return breaker;
  }

  /** Puts `breaker` in the place of the one of its name, taking over that one's state. */
  replace(breaker: CircuitBreakerPolicy): void {
    const known = this.#breakers.get(breaker.name);
    if (known) breaker.restore(known.toJSON());
    this.#breakers.set(breaker.name, breaker);
    if (known !== breaker) this.#added.emit(breaker);
  }

  /**
   * Told of each breaker added from now on, and of one put in the place of another
   * (`replace`): what watches every breaker (alerts) follows the registry as it grows.
   */
  onAdd(listener: PolicyListener<CircuitBreakerPolicy>): Disposer {
    return this.#added.add(listener);
  }

  get(name: string): CircuitBreakerPolicy | undefined {
    return this.#breakers.get(name);
  }

  names(): string[] {
    return [...this.#breakers.keys()];
  }

  /** Each breaker's state and counts, in the order they were added. */
  stats(): BreakerStats[] {
    return [...this.#breakers.values()].map((breaker) => breaker.stats());
  }

  /** Every breaker's state as plain data, for `JSON.stringify` and `restore`. */
  toJSON(): SerializedBreaker[] {
    return [...this.#breakers.values()].map((breaker) => breaker.toJSON());
  }

  /**
   * Takes up states written by `toJSON`, each by the breaker of its name; a state whose
   * breaker is not made yet waits for it (see `waiting`). All are checked before any is
   * taken up: a bad entry is refused with nothing changed.
   */
  restore(serialized: unknown): void {
    if (!Array.isArray(serialized)) {
      throw new TypeError('not serialized circuit breakers: expected an array');
    }
    const entries = serialized.map((entry, index) => {
      try {
        return readSerializedBreaker(entry);
      } catch (error) {
        throw new TypeError(`serialized circuit breaker ${index}: ${(error as Error).message}`);
      }
    });
    for (const entry of entries) {
      const breaker = this.#breakers.get(entry.name);
      if (breaker) breaker.restore(entry);
      else this.#waiting.set(entry.name, entry);
    }
  }

  /** Names of restored states no breaker has taken up yet. */
  waiting(): string[] {
    return [...this.#waiting.keys()];
  }
}
