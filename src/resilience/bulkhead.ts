/**
 * Bulkhead: at most `limit` calls run at once, at most `queue` more wait their turn, and
 * the rest are refused at once with `BulkheadFullError`. On cockatiel's bulkhead.
 */
import {
  BulkheadRejectedError,
  bulkhead as cockatielBulkhead,
  TaskCancelledError,
} from 'cockatiel';
import type { Disposer } from '../core/subscription.js';
import { abortErrorOf, BulkheadFullError } from './errors.js';
import { Listeners, type PolicyListener } from './listeners.js';
import { NEVER_ABORTED, type Policy, type Work } from './policy.js';

export interface BulkheadOptions {
  /** How many calls may run at once. */
  readonly limit: number;
  /** How many more may wait for a free slot (0: none wait). */
  readonly queue?: number;
}

export interface BulkheadRejectEvent {
  readonly limit: number;
  readonly queue: number;
}

export interface BulkheadPolicy extends Policy {
  /** Calls running now. */
  running(): number;
  /** Calls waiting now. */
  queued(): number;
  onReject(listener: PolicyListener<BulkheadRejectEvent>): Disposer;
}

export function bulkhead(options: BulkheadOptions): BulkheadPolicy {
  const { limit, queue = 0 } = options;
  if (!Number.isInteger(limit) || limit < 1 || !Number.isInteger(queue) || queue < 0) {
    throw new RangeError('bulkhead: limit must be a whole number ≥ 1 and queue one ≥ 0');
  }
  const inner = cockatielBulkhead(limit, queue);
  const rejections = new Listeners<BulkheadRejectEvent>();

  return {
    async execute<T>(fn: Work<T>, signal: AbortSignal = NEVER_ABORTED): Promise<T> {
      try {
        return await inner.execute((context) => fn({ signal: context.signal }), signal);
      } catch (error) {
        if (error instanceof BulkheadRejectedError) {
          rejections.emit({ limit, queue });
          throw new BulkheadFullError(limit, queue);
        }
        if (error instanceof TaskCancelledError && signal.aborted) throw abortErrorOf(signal);
        throw error;
      }
    },
    running: () => limit - inner.executionSlots,
    queued: () => queue - inner.queueSlots,
    onReject: (listener) => rejections.add(listener),
  };
}
