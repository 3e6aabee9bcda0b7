/**
 * ResilientExecutor: runs work under its policies and answers with a result object instead
 * of throwing, so a caller branches on `success` and never forgets a catch. A failed or
 * refused call is answered by the fallback when there is one; a call its caller aborted
 * is not, since nobody waits for its answer.
 */
import type { RandomSource } from '../core/backoff.js';
import type { Clock } from './circuit-breaker.js';
import { asError, type ExecutionFacts, type ExecutionResult } from './execution-result.js';
import {
  buildPolicies,
  type ExecutorPolicySet,
  type ExecutorPolicySettings,
  runUnder,
} from './executor-policies.js';
import {
  type CallOutcome,
  ExecutorCounters,
  type ExecutorStats,
  isRefusal,
} from './executor-stats.js';
import type { FallbackValue } from './fallback.js';
import { NEVER_ABORTED, type Work } from './policy.js';

export interface ResilientExecutorOptions<F = never> extends ExecutorPolicySettings {
  /** Names the executor in its stats and metrics, and its breaker. */
  readonly name: string;
  /** Answers a failed or refused call: a value, or a function of the error. */
  readonly fallback?: FallbackValue<F>;
  /** `false`: the work runs once, bare, and its outcome is reported as is (no fallback). */
  readonly enabled?: boolean;
  /** For the breaker's time; `Date.now` if not given. */
  readonly clock?: Clock;
  /** For the retry's jitter; `Math.random` if not given. */
  readonly random?: RandomSource;
}

export interface ResilientExecutor<F = never> {
  readonly name: string;
  /** The policies it runs under, to watch them (`onRetry`, `onOpen`…). */
  readonly policies: ExecutorPolicySet;
  /** Runs `fn`; never rejects. `signal` aborts the call (reported as a failure). */
  execute<T>(fn: Work<T>, signal?: AbortSignal): Promise<ExecutionResult<T, F>>;
  /** The same executor (policies, breaker, counts) answering failures with `fallback`. */
  withFallback<G>(fallback: FallbackValue<G>): ResilientExecutor<G>;
  stats(): ExecutorStats;
}

/** What the views of one executor share; a registry may swap it when its preset changes. */
export interface ExecutorCore {
  readonly name: string;
  readonly enabled: boolean;
  readonly policies: ExecutorPolicySet;
  readonly counters: ExecutorCounters;
}

export function resilientExecutor<F = never>(
  options: ResilientExecutorOptions<F>,
): ResilientExecutor<F> {
  const core = executorCore(options, new ExecutorCounters(options.name));
  return executorOver(() => core, options.fallback);
}

export function executorCore(
  options: Omit<ResilientExecutorOptions<unknown>, 'fallback'>,
  counters: ExecutorCounters,
): ExecutorCore {
  const enabled = options.enabled ?? true;
  const policies = enabled ? buildPolicies(options.name, options, counters, options) : {};
  return { name: options.name, enabled, policies, counters };
}

/** An executor reading its core at each call, answering failures with `fallback`. */
export function executorOver<F>(
  coreOf: () => ExecutorCore,
  fallback?: FallbackValue<F>,
): ResilientExecutor<F> {
  return {
    get name() {
      return coreOf().name;
    },
    get policies() {
      return coreOf().policies;
    },
    execute: (fn, signal) => run(coreOf(), fallback, fn, signal),
    withFallback: (other) => executorOver(coreOf, other),
    stats: () => coreOf().counters.snapshot(),
  };
}

async function run<T, F>(
  core: ExecutorCore,
  fallback: FallbackValue<F> | undefined,
  fn: Work<T>,
  signal: AbortSignal = NEVER_ABORTED,
): Promise<ExecutionResult<T, F>> {
  const began = performance.now();
  const { counters, policies } = core;
  let attempts = 0;
  let lastTryError: unknown;
  const work: Work<T> = (context) => {
    attempts++;
    return fn(context);
  };
  const facts = (): ExecutionFacts => {
    const { breaker } = policies;
    const durationMs = performance.now() - began;
    return breaker
      ? { attempts, durationMs, breaker: { name: breaker.name, state: breaker.state() } }
      : { attempts, durationMs };
  };
  let failure: Error;
  try {
    const data = await (core.enabled
      ? runUnder(policies, work, signal, (error) => {
          lastTryError = error;
        })
      : work({ signal }));
    counters.calls.success++;
    return { success: true, data, usedFallback: false, ...facts() };
  } catch (thrown) {
    // A breaker that opened during the retries refuses the next try; how the tries before
    // it failed says more about what went wrong than that refusal does.
    const cause = attempts > 0 && isRefusal(thrown) ? lastTryError : thrown;
    failure = asError(cause);
    counters.calls[outcomeOf(cause, signal)]++;
  }
  if (fallback === undefined || !core.enabled || signal.aborted) {
    return { success: false, error: failure, usedFallback: false, ...facts() };
  }
  try {
    const data =
      typeof fallback === 'function'
        ? await (fallback as (error: unknown) => PromiseLike<F> | F)(failure)
        : fallback;
    counters.fallbacks++;
    return { success: true, data, usedFallback: true, error: failure, ...facts() };
  } catch (thrown) {
    // The fallback failed too: nothing answered, and its error is the one to look into.
    const error = asError(thrown);
    return { success: false, error, usedFallback: false, ...facts() };
  }
}

function outcomeOf(error: unknown, signal: AbortSignal): CallOutcome {
  if (signal.aborted) return 'aborted';
  return isRefusal(error) ? 'rejected' : 'failure';
}
