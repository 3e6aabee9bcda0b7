/**
 * From `pending` to a spawned child: the scheduler's word (admit, wait, a dependency that
 * failed) and the outcome of the spawn (a pid, an error, a sandbox refusal).
 */

import { SPAWNING } from '../reasons.js';
import { FRESH_TALLY } from '../state.js';
import { type Handlers, startTimeoutOf } from '../step-builder.js';

/** Admission by the scheduler and the outcome of the spawn. */
export const SPAWN_HANDLERS: Handlers<
  'admit' | 'wait' | 'dependency-failed' | 'spawned' | 'spawn-failed' | 'sandbox-refused'
> = {
  admit: (step) => {
    const { state } = step.record;
    if (state.status !== 'pending') return;
    step.record = {
      ...step.record,
      state: { status: 'starting', since: step.now, pid: null, restarting: state.restarting },
      probes: { readiness: FRESH_TALLY, liveness: FRESH_TALLY },
    };
    step.emit('spawn', {});
    step.announce('process:starting', { reason: SPAWNING });
  },

  wait: (step, input) => {
    const { state } = step.record;
    if (state.status !== 'pending') return;
    if (state.reason === input.reason && state.blocked === input.blocked) return;
    step.setState({ ...state, reason: input.reason, blocked: input.blocked });
    step.announce('process:pending', {
      reason: input.reason,
      ...(input.blocked && { blocked: true as const }),
    });
  },

  'dependency-failed': (step, input) => {
    if (step.record.state.status !== 'pending') return;
    step.fail(input.reason, null);
  },

  spawned: (step, input) => {
    const { state } = step.record;
    if (state.status !== 'starting' || state.pid !== null) {
      // The process was stopped while its spawn was under way: end the stray child.
      return step.emit('kill', {});
    }
    step.record = { ...step.record, state: { ...state, pid: input.pid } };
    step.announce('process:started', { pid: input.pid });
    if (state.restarting) {
      step.announce('process:restarted', { pid: input.pid });
      step.emit('restart-dependents', {});
    }
    if (step.spec.readiness) step.emit('probe', { probe: 'readiness', run: true });
    else
      step.emit('arm-timer', {
        timer: 'min-uptime',
        at: state.since + step.spec.restart.minUptimeMs,
      });
    const maxRuntimeMs = step.spec.limits?.maxRuntimeMs;
    if (maxRuntimeMs !== undefined) {
      step.emit('arm-timer', { timer: 'max-runtime', at: state.since + maxRuntimeMs });
    }
    const startTimeoutMs = startTimeoutOf(step.spec);
    if (startTimeoutMs !== undefined) {
      step.emit('arm-timer', { timer: 'start-timeout', at: state.since + startTimeoutMs });
    }
  },

  'spawn-failed': (step, input) => {
    if (step.record.state.status !== 'starting') return;
    step.fail(`spawn error: ${input.message}`, null);
  },

  'sandbox-refused': (step, input) => {
    if (step.record.state.status !== 'starting') return;
    step.fail(`sandbox: ${input.message}`, null);
  },
};
