/**
 * The policies an executor runs its work under, built once from its settings and nested
 * in the one order that serves a caller: the bulkhead outermost (a call holds its slot
 * through its retries, so the limit counts callers, not tries), then the retry, then the
 * breaker (each try passes it, so a breaker that opens mid-way stops the retries), then the
 * deadline of each try.
 */
import type { RandomSource } from '../core/backoff.js';
import { type BulkheadOptions, type BulkheadPolicy, bulkhead } from './bulkhead.js';
import { type CircuitBreakerPolicy, type Clock, circuitBreaker } from './circuit-breaker.js';
import { type ExecutorCounters, isRefusal } from './executor-stats.js';
import type { Policy, PolicyContext, Work } from './policy.js';
import type { BreakerSettings, ExecutorPolicies, TimeoutSettings } from './presets.js';
import { type AttemptOutcome, type RetryPolicy, retry } from './retry.js';
import { type TimeoutPolicy, timeout } from './timeout.js';

/** An executor's settings: a breaker or bulkhead may be given made, to share it by name. */
export interface ExecutorPolicySettings extends Omit<ExecutorPolicies, 'breaker' | 'bulkhead'> {
  readonly breaker?: BreakerSettings | CircuitBreakerPolicy | false;
  readonly bulkhead?: BulkheadOptions | BulkheadPolicy | false;
}

/** The policies of an executor, each there to be watched (`onRetry`, `onOpen`…). */
export interface ExecutorPolicySet {
  readonly retry?: RetryPolicy;
  readonly breaker?: CircuitBreakerPolicy;
  readonly timeout?: TimeoutPolicy;
  readonly bulkhead?: BulkheadPolicy;
}

export function buildPolicies(
  name: string,
  settings: ExecutorPolicySettings,
  counters: ExecutorCounters,
  sources: { readonly clock?: Clock; readonly random?: RandomSource },
): ExecutorPolicySet {
  const set: {
    retry?: RetryPolicy;
    breaker?: CircuitBreakerPolicy;
    timeout?: TimeoutPolicy;
    bulkhead?: BulkheadPolicy;
  } = {};
  if (settings.bulkhead) {
    set.bulkhead = isPolicy(settings.bulkhead) ? settings.bulkhead : bulkhead(settings.bulkhead);
    set.bulkhead.onReject(() => counters.bulkheadRejections++);
  }
  if (settings.retry) {
    const { retryOn } = settings.retry;
    set.retry = retry({
      ...settings.retry,
      // A refusal is not retried, nor a failure that just opened the breaker: it stays
      // open past any sensible wait, and the try after would only be refused. A full
      // bulkhead is the caller's own slot.
      retryOn: (outcome: AttemptOutcome) =>
        !('error' in outcome && isRefusal(outcome.error)) &&
        set.breaker?.state().kind !== 'open' &&
        (retryOn ? retryOn(outcome) : 'error' in outcome),
      ...(sources.random && { random: sources.random }),
    });
    set.retry.onRetry(() => counters.retries++);
  }
  if (settings.breaker) {
    set.breaker = isPolicy(settings.breaker)
      ? settings.breaker
      : circuitBreaker({
          name,
          ...settings.breaker,
          ...(sources.clock && { clock: sources.clock }),
          ...(sources.random && { random: sources.random }),
        });
  }
  if (settings.timeout !== undefined && settings.timeout !== false) {
    set.timeout = timeoutOf(settings.timeout);
    set.timeout.onTimeout(() => counters.timeouts++);
  }
  return set;
}

/**
 * Runs `work` under `set`, nested in the executor's order, each layer's context reaching
 * the work (the retry's attempt included). `onTryFailed` hears how each try failed as the
 * retry saw it (past the breaker and the deadline: a `TimeoutError`, not the abort the
 * work met), refusals aside.
 */
export function runUnder<T>(
  set: ExecutorPolicySet,
  work: Work<T>,
  signal: AbortSignal,
  onTryFailed: (error: unknown) => void,
): Promise<T> {
  const { bulkhead, retry, breaker, timeout } = set;
  const timed: Work<T> = timeout
    ? (context) =>
        timeout.execute((inner) => work(withSignal(context, inner.signal)), context.signal)
    : work;
  // The breaker hands the work the signal it was given: the context goes on as it is.
  const guarded: Work<T> = breaker
    ? (context) => breaker.execute(() => timed(context), context.signal)
    : timed;
  const tried = async (context: PolicyContext): Promise<T> => {
    try {
      return await guarded(context);
    } catch (error) {
      if (!isRefusal(error)) onTryFailed(error);
      throw error;
    }
  };
  // The retry's context is the whole of it: the caller's signal and the attempt.
  const retried = retry ? (context: PolicyContext) => retry.execute(tried, context.signal) : tried;
  return bulkhead ? bulkhead.execute(retried, signal) : retried({ signal });
}

function timeoutOf(settings: TimeoutSettings): TimeoutPolicy {
  return typeof settings === 'object'
    ? timeout(settings.duration, settings.mode)
    : timeout(settings);
}

function isPolicy<P extends Policy>(value: P | object): value is P {
  return typeof (value as Partial<Policy>).execute === 'function';
}

/** `context` with `signal` in place of its own; itself when that is the same signal. */
function withSignal(context: PolicyContext, signal: AbortSignal): PolicyContext {
  if (signal === context.signal) return context;
  return context.attempt === undefined ? { signal } : { signal, attempt: context.attempt };
}
