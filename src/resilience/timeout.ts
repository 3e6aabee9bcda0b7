/**
 * Timeout: a deadline for work, on cockatiel's timeout. Its rejections are translated to
 * ours: `TimeoutError` when the deadline passed, the caller's abort error when the caller
 * aborted first.
 */
import { timeout as cockatielTimeout, TaskCancelledError, TimeoutStrategy } from 'cockatiel';
import type { Disposer } from '../core/subscription.js';
import type { UnitInput } from '../core/units.js';
import { abortErrorOf, TimeoutError } from './errors.js';
import { Listeners, type PolicyListener } from './listeners.js';
import { durationMs, NEVER_ABORTED, type Policy, type Work } from './policy.js';

/**
 * `cooperative`: at the deadline the work's signal aborts and the call waits for the work to
 * end, then rejects with `TimeoutError`: nothing runs on behind the caller's back.
 * `aggressive`: the call rejects with `TimeoutError` at the deadline; the work's signal is
 * aborted too, but whatever it does after is no longer awaited.
 */
export type TimeoutMode = 'cooperative' | 'aggressive';

export interface TimeoutEvent {
  readonly timeoutMs: number;
}

export interface TimeoutPolicy extends Policy {
  /** When the deadline passes, before the call rejects. */
  onTimeout(listener: PolicyListener<TimeoutEvent>): Disposer;
}

export function timeout(duration: UnitInput, mode: TimeoutMode = 'cooperative'): TimeoutPolicy {
  const timeoutMs = durationMs(duration, 'timeout');
  const timeouts = new Listeners<TimeoutEvent>();
  const inner = cockatielTimeout(timeoutMs, {
    strategy: mode === 'cooperative' ? TimeoutStrategy.Cooperative : TimeoutStrategy.Aggressive,
    // The work's signal stays as the deadline left it, so that afterwards it still tells
    // whether the deadline passed.
    abortOnReturn: false,
  });

  return {
    async execute<T>(fn: Work<T>, signal: AbortSignal = NEVER_ABORTED): Promise<T> {
      let workSignal: AbortSignal | undefined;
      const timedOut = () => workSignal?.aborted === true && !signal.aborted;
      const expired = (): never => {
        timeouts.emit({ timeoutMs });
        throw new TimeoutError(timeoutMs);
      };
      try {
        const result = await inner.execute(async (context) => {
          workSignal = context.signal;
          return await fn({ signal: context.signal });
        }, watched(signal));
        return timedOut() ? expired() : result;
      } catch (error) {
        if (timedOut()) return expired();
        if (error instanceof TaskCancelledError && signal.aborted) throw abortErrorOf(signal);
        throw error;
      }
    },
    onTimeout: (listener) => timeouts.add(listener),
  };
}

/**
 * The caller's signal for cockatiel to follow; none for one that can never abort, since
 * cockatiel follows a signal it is given with a listener added and removed on every call.
 */
function watched(signal: AbortSignal): AbortSignal | undefined {
  return signal === NEVER_ABORTED ? undefined : signal;
}
