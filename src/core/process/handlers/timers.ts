/**
 * Deadlines and limits: a timer that fired (backoff over, min_uptime reached, stop
 * deadline, max_runtime, start_timeout, the breaker's cooldown) and a resource limit breached.
 */
import { maxRuntimeBreach } from '../../limits/limits.js';
import { halfOpen } from '../breaker.js';
import { startTimeoutReason } from '../reasons.js';
import { activeRun } from '../state.js';
import type { Handlers } from '../step-builder.js';

/** A limit breached, a timer fired. */
export const TIMER_HANDLERS: Handlers<'limit' | 'timer'> = {
  limit: (step, input) => {
    const run = activeRun(step.record.state);
    if (run) step.applyBreach(run, input.breach);
  },

  timer: (step, input) => {
    const { state } = step.record;
    if (input.timer === 'backoff' && state.status === 'backoff') {
      return step.enterPending(true, false);
    }
    if (input.timer === 'cooldown' && state.status === 'failed' && state.retryAt !== undefined) {
      step.record = { ...step.record, breaker: halfOpen(step.record.breaker) };
      return step.enterPending(true, false);
    }
    const run = activeRun(state);
    const maxRuntimeMs = step.spec.limits?.maxRuntimeMs;
    if (input.timer === 'max-runtime' && run && maxRuntimeMs !== undefined) {
      return step.applyBreach(run, maxRuntimeBreach(maxRuntimeMs, step.now - run.since));
    }
    if (input.timer === 'start-timeout' && state.status === 'starting' && run) {
      return step.beginStop(run, {
        kind: 'recover',
        reason: startTimeoutReason(step.spec, step.record),
      });
    }
    if (input.timer === 'min-uptime' && state.status === 'starting' && run) {
      if (!step.spec.readiness) step.becomeRunning(run);
      return;
    }
    if (input.timer === 'stop-deadline' && state.status === 'stopping' && !state.killed) {
      step.record = { ...step.record, state: { ...state, killed: true } };
      step.emit('kill', {});
    }
  },
};
