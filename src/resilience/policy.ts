/**
 * What every resilience policy shares: the work it runs, the context that work receives,
 * and `wrap`, which nests policies into one. Policies hold no cockatiel type in what they
 * export, so the library underneath can change without changing ours.
 */
import { parseDuration, type UnitInput } from '../core/units.js';

/** What the work a policy runs receives. */
export interface PolicyContext {
  /** Aborted when the work should stop: the caller gave up, or a timeout passed. */
  readonly signal: AbortSignal;
  /** Which attempt this is (1 for the first) when a retry runs the work; absent otherwise. */
  readonly attempt?: number;
}

/** The work a policy runs. */
export type Work<T> = (context: PolicyContext) => PromiseLike<T> | T;

/** Runs work under some rule: retried, timed out, behind a breaker, in a bulkhead… */
export interface Policy {
  /** Runs `fn` under this policy; `signal`, when aborted, ends the call as early as it can. */
  execute<T>(fn: Work<T>, signal?: AbortSignal): Promise<T>;
}

/**
 * The policies nested into one, the first outermost: each runs the next as its work. So
 * `wrap(retry, breaker, timeout)` gives each try its own deadline and its own pass through
 * the breaker, while `wrap(timeout, breaker, retry)` gives the whole call one deadline and
 * the breaker sees all the tries as one call. The attempt an outer retry counts reaches
 * the inner work, and so does the signal of every policy on the way.
 */
export function wrap(...policies: readonly Policy[]): Policy {
  return {
    execute<T>(fn: Work<T>, signal?: AbortSignal): Promise<T> {
      const run = (
        index: number,
        outer: PolicyContext | undefined,
        signal?: AbortSignal,
      ): Promise<T> => {
        const policy = policies[index];
        if (!policy) return Promise.resolve(fn(outer ?? { signal: signal ?? NEVER_ABORTED }));
        return policy.execute<T>(
          (context) => run(index + 1, { ...outer, ...context }, context.signal),
          signal,
        );
      };
      return run(0, undefined, signal);
    },
  };
}

/** The signal of a call whose caller gave none. */
export const NEVER_ABORTED: AbortSignal = new AbortController().signal;

/** A duration given as ms or as text (`'5s'`), in ms; a bad one is refused at once. */
export function durationMs(input: UnitInput, what: string): number {
  const ms = parseDuration(input);
  if (ms === undefined || ms < 0)
    throw new RangeError(`${what}: expected a duration, got ${input}`);
  return ms;
}
