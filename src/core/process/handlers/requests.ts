/**
 * What a process does when asked to start, stop or restart, and when the supervisor itself
 * ends a run to recover it (liveness, limits).
 */
import { refusalOf } from '../refusal.js';
import { activeRun } from '../state.js';
import type { Handlers } from '../step-builder.js';

/** Requests of a user, and the supervisor ending a run to recover it. */
export const REQUEST_HANDLERS: Handlers<'start' | 'stop' | 'restart' | 'recover'> = {
  start: (step) => {
    const { state } = step.record;
    const refusal = refusalOf('start', step.spec.name, state.status);
    if (refusal) return step.reject(refusal.message);
    // A process with a schedule runs now, and its schedule goes on (or stays on).
    step.armSchedule();
    if (state.status === 'stopping') return step.setIntent({ kind: 'restart' });
    step.enterPending(false, state.status === 'failed');
  },

  stop: (step) => {
    const { state } = step.record;
    const run = activeRun(state);
    const refused = !run && refusalOf('stop', step.spec.name, state.status);
    // Stopping a process with a schedule stops the schedule too.
    if (!refused) step.disarmSchedule();
    if (run) return step.beginStop(run, { kind: 'stop' });
    switch (state.status) {
      case 'scheduled':
        return step.settle({ status: 'stopped', since: step.now, lastExit: state.lastExit });
      case 'pending':
      case 'backoff':
        step.emit('disarm-timer', { timer: 'backoff' });
        return step.settle({
          status: 'stopped',
          since: step.now,
          lastExit: state.status === 'backoff' ? state.lastExit : null,
        });
      case 'starting':
        // Spawn requested, no pid yet: a child that still appears is ended on `spawned`.
        return step.settle({ status: 'stopped', since: step.now, lastExit: null });
      case 'stopping':
        return step.setIntent({ kind: 'stop' });
      default:
        return step.reject(refusalOf('stop', step.spec.name, state.status)!.message);
    }
  },

  restart: (step) => {
    const { state } = step.record;
    const run = activeRun(state);
    if (run) return step.beginStop(run, { kind: 'restart' });
    switch (state.status) {
      case 'stopping':
        return step.setIntent({ kind: 'restart' });
      case 'backoff':
        step.emit('disarm-timer', { timer: 'backoff' });
        return step.enterPending(true, false);
      case 'pending':
      case 'starting':
        return;
      case 'scheduled':
        // Nothing runs to restart: it runs now, and its schedule stays on.
        return step.enterPending(false, false);
      default:
        step.armSchedule();
        return step.enterPending(true, state.status === 'failed');
    }
  },

  recover: (step, input) => {
    const run = activeRun(step.record.state);
    if (run) step.beginStop(run, { kind: 'recover', reason: input.reason });
  },
};
