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
import { type Policy, wrap } from './policy.js';
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

export interface BuiltPolicies {
  readonly set: ExecutorPolicySet;
  /** All of them nested; undefined when there is none. */
  readonly nested: Policy | undefined;
}

export function buildPolicies(
  name: string,
  settings: ExecutorPolicySettings,
  counters: ExecutorCounters,
  sources: { readonly clock?: Clock; readonly random?: RandomSource },
): BuiltPolicies {
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
      // A refusal is not retried: the breaker stays open past any sensible wait, and a
      // full bulkhead is the caller's own slot.
      retryOn: (outcome: AttemptOutcome) =>
        !('error' in outcome && isRefusal(outcome.error)) &&
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
  const ordered = [set.bulkhead, set.retry, set.breaker, set.timeout].filter(
    (policy): policy is NonNullable<typeof policy> => policy !== undefined,
  );
  const nested =
    ordered.length === 0 ? undefined : ordered.length === 1 ? ordered[0] : wrap(...ordered);
  return { set, nested };
}

function timeoutOf(settings: TimeoutSettings): TimeoutPolicy {
  return typeof settings === 'object'
    ? timeout(settings.duration, settings.mode)
    : timeout(settings);
}

function isPolicy<P extends Policy>(value: P | object): value is P {
  return typeof (value as Partial<Policy>).execute === 'function';
}
