/**
 * Fallback: when the work fails, answer with a value of our choosing instead. Not for an
 * abort by the caller, who asked for the call to end, not to be answered.
 */
import type { Disposer } from '../core/subscription.js';
import { Listeners, type PolicyListener } from './listeners.js';
import { NEVER_ABORTED, type Policy } from './policy.js';

/** The value to answer with, or a function of the error that gives it. */
export type FallbackValue<F> = F | ((error: unknown) => PromiseLike<F> | F);

export interface FallbackEvent {
  /** The failure the fallback answered for. */
  readonly error: unknown;
}

export interface FallbackPolicy<F> {
  execute<T>(
    fn: (context: { readonly signal: AbortSignal }) => PromiseLike<T> | T,
    signal?: AbortSignal,
  ): Promise<T | F>;
  onFallback(listener: PolicyListener<FallbackEvent>): Disposer;
}

export function fallback<F>(valueOrFn: FallbackValue<F>): FallbackPolicy<F> & Policy {
  const fallbacks = new Listeners<FallbackEvent>();
  return {
    async execute<T>(
      fn: (context: { readonly signal: AbortSignal }) => PromiseLike<T> | T,
      signal: AbortSignal = NEVER_ABORTED,
    ): Promise<T> {
      try {
        return await fn({ signal });
      } catch (error) {
        if (signal.aborted) throw error;
        fallbacks.emit({ error });
        // Typed as T for `Policy`: wrapped with others, the fallback's value takes the
        // place of the work's, which is the point of placing it there.
        const value =
          typeof valueOrFn === 'function'
            ? await (valueOrFn as (error: unknown) => PromiseLike<F> | F)(error)
            : valueOrFn;
        return value as unknown as T;
      }
    },
    onFallback: (listener) => fallbacks.add(listener),
  };
}
