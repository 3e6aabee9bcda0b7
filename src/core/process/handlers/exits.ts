/**
 * A child that exited: the end of its run, then whatever the supervisor had asked for
 * (stop, restart, recover, halt) or, when nothing was asked, the restart policy.
 */

import type { ExitInfo, StopIntent } from '../state.js';
import type { Handlers } from '../step-builder.js';

/** The exit of the child. */
export const EXIT_HANDLERS: Handlers<'exited'> = {
  exited: (step, input) => {
    const { state } = step.record;
    if (state.status !== 'starting' && state.status !== 'running' && state.status !== 'stopping')
      return;
    const intent = state.status === 'stopping' ? state.intent : null;
    const exit: ExitInfo = {
      code: input.code,
      signal: input.signal,
      killedAfterTimeout: state.status === 'stopping' && state.killed,
      runMs: step.now - state.since,
      at: step.now,
      // The supervisor's own reason outlives the run: `backoff` and `failed` show it.
      ...((intent?.kind === 'recover' || intent?.kind === 'halt') && { cause: intent.reason }),
    };
    step.endRun(exit, intent ? describeIntent(intent) : null);
    if (intent === null) return step.applyRestartPolicy(exit, null);
    if (intent.kind === 'stop')
      return step.settle({ status: 'stopped', since: step.now, lastExit: exit });
    if (intent.kind === 'restart') return step.enterPending(true, false, intent.cause);
    if (intent.kind === 'replace') return step.enterPending(false, false);
    if (intent.kind === 'halt') return step.fail(intent.reason, exit);
    step.applyRestartPolicy(exit, intent.reason);
  },
};

/** Why a run the supervisor was stopping ended, for its exit event. */
function describeIntent(intent: StopIntent): string {
  switch (intent.kind) {
    case 'stop':
      return 'stop requested';
    case 'restart':
      return intent.cause ?? 'restart requested';
    case 'replace':
      return 'replaced by the next scheduled run (overlap: replace)';
    case 'recover':
    case 'halt':
      return intent.reason;
  }
}
