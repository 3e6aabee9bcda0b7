/**
 * The listeners of one kind of policy event. A listener is told, never asked: one that
 * throws is ignored, so that watching a call can never break it.
 */
import type { Disposer } from '../core/subscription.js';

export type PolicyListener<E> = (event: E) => void;

export class Listeners<E> {
  readonly #listeners = new Set<PolicyListener<E>>();

  /** Adds `listener`; the disposer removes it. */
  add(listener: PolicyListener<E>): Disposer {
    // Wrapped so that the same function added twice is called twice and removed once each.
    const entry: PolicyListener<E> = (event) => listener(event);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  /** How many listeners there are. */
  get size(): number {
    return this.#listeners.size;
  }

  emit(event: E): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch {
        // A failing listener is the listener's problem; the call it watches goes on.
      }
    }
  }
}
