/**
 * `logPolicyEvents`: the events of resilience policies as log lines, at the level each
 * deserves: an opened breaker or a call given up on is a warning, a retry or a fallback is
 * information, a refused call of an open breaker is debug (the opening said it already).
 */
import type { Disposer } from '../../core/subscription.js';
import type { BulkheadPolicy } from '../bulkhead.js';
import type { CircuitBreakerPolicy } from '../circuit-breaker.js';
import type { FallbackPolicy } from '../fallback.js';
import type { AttemptOutcome, RetryPolicy } from '../retry.js';
import type { TimeoutPolicy } from '../timeout.js';
import type { AppLogger } from './app-logger.js';

/** The policies to log; `name` says what they guard in the lines of those that have none. */
export interface PolicyEventSources {
  readonly name?: string;
  readonly breaker?: Pick<CircuitBreakerPolicy, 'onOpen' | 'onHalfOpen' | 'onClose' | 'onReject'>;
  readonly retry?: Pick<RetryPolicy, 'attempts' | 'onRetry' | 'onGiveUp'>;
  readonly timeout?: Pick<TimeoutPolicy, 'onTimeout'>;
  readonly bulkhead?: Pick<BulkheadPolicy, 'onReject'>;
  readonly fallback?: Pick<FallbackPolicy<unknown>, 'onFallback'>;
}

/** Subscribes `logger` to the policies' events; the disposer ends every subscription. */
export function logPolicyEvents(logger: AppLogger, sources: PolicyEventSources): Disposer {
  const { breaker, retry, timeout, bulkhead, fallback } = sources;
  const subject = sources.name ? `${sources.name}: ` : '';
  const disposers: Disposer[] = [];
  if (breaker) {
    disposers.push(
      breaker.onOpen(({ name, until, error }) =>
        logger.warn(
          { policy: 'breaker', breaker: name, until: iso(until), err: error },
          `breaker ${name} opened until ${iso(until)}: ${messageOf(error)}`,
        ),
      ),
      breaker.onHalfOpen(({ name }) =>
        logger.info(
          { policy: 'breaker', breaker: name },
          `breaker ${name} half-open: the next call is a trial`,
        ),
      ),
      breaker.onClose(({ name }) =>
        logger.info({ policy: 'breaker', breaker: name }, `breaker ${name} closed`),
      ),
      breaker.onReject(({ name, retryAt }) =>
        logger.debug(
          { policy: 'breaker', breaker: name, retryAt: iso(retryAt) },
          `breaker ${name} refused a call: open until ${iso(retryAt)}`,
        ),
      ),
    );
  }
  if (retry) {
    disposers.push(
      retry.onRetry(({ attempt, delayMs, outcome }) =>
        logger.info(
          {
            policy: 'retry',
            attempt: attempt + 1,
            attempts: retry.attempts,
            delayMs,
            // A retry is the policy doing its job: the message is enough, the stack would
            // repeat on every attempt; the give-up carries it.
            ...('error' in outcome
              ? { error: messageOf(outcome.error) }
              : { result: 'refused by retryOn' }),
          },
          `${subject}retry ${attempt + 1} of ${retry.attempts} in ${Math.round(delayMs)} ms after ${describe(outcome)}`,
        ),
      ),
      retry.onGiveUp(({ attempts, outcome }) =>
        logger.warn(
          { policy: 'retry', attempts, ...fieldsOf(outcome) },
          `${subject}gave up after ${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}: ${describe(outcome)}`,
        ),
      ),
    );
  }
  if (timeout) {
    disposers.push(
      timeout.onTimeout(({ timeoutMs }) =>
        logger.warn({ policy: 'timeout', timeoutMs }, `${subject}timed out after ${timeoutMs} ms`),
      ),
    );
  }
  if (bulkhead) {
    disposers.push(
      bulkhead.onReject(({ limit, queue }) =>
        logger.warn(
          { policy: 'bulkhead', limit, queue },
          `${subject}bulkhead full (${limit} running, ${queue} queued): call refused`,
        ),
      ),
    );
  }
  if (fallback) {
    disposers.push(
      fallback.onFallback(({ error }) =>
        logger.info(
          { policy: 'fallback', err: error },
          `${subject}fallback used after ${messageOf(error)}`,
        ),
      ),
    );
  }
  return () => {
    for (const dispose of disposers.splice(0)) dispose();
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The outcome as fields: the error, serialized with its stack, or that a result was refused. */
function fieldsOf(outcome: AttemptOutcome): object {
  return 'error' in outcome ? { err: outcome.error } : { result: 'refused by retryOn' };
}

function describe(outcome: AttemptOutcome): string {
  return 'error' in outcome ? messageOf(outcome.error) : 'a result retryOn refused';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
