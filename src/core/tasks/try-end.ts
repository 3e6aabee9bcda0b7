/** How a try of a task ended, read from its process record once it is at rest. */
import type { ProcessRecord } from '../process/state.js';
import type { TryEnd } from './retry.js';

/** What the runner knows of a try beside its record. */
export interface TryCircumstances {
  /** Why it was cancelled, when it was. */
  readonly cancelling: string | undefined;
  /** It ran past the task's timeout and was stopped. */
  readonly timedOut: boolean;
  /** The action of its last limit breach, if any. */
  readonly lastBreachAction: string | undefined;
}

export function tryEndOf(record: ProcessRecord, circumstances: TryCircumstances): TryEnd {
  const state = record.state;
  // It ran to its end by itself before a cancel or a timeout reached it: that end stands.
  if (state.status === 'completed') {
    return { kind: 'exited', code: state.lastExit.code, signal: state.lastExit.signal };
  }
  if (circumstances.cancelling !== undefined) {
    return { kind: 'cancelled', reason: circumstances.cancelling };
  }
  if (circumstances.timedOut) return { kind: 'timed_out' };
  if (state.status !== 'failed') return { kind: 'cancelled', reason: 'stopped by the supervisor' };
  const exit = state.lastExit;
  if (exit === null) {
    // Nothing ran: the sandbox said no, or the OS could not start it.
    return state.reason.startsWith('sandbox')
      ? { kind: 'refused', reason: state.reason }
      : { kind: 'spawn-failed', reason: state.reason };
  }
  if (exit.cause !== undefined) {
    // The supervisor ended it for a limit: worth another try unless the limit says stop.
    return {
      kind: 'ended',
      reason: exit.cause,
      retryable: circumstances.lastBreachAction !== 'stop',
    };
  }
  return { kind: 'exited', code: exit.code, signal: exit.signal };
}
