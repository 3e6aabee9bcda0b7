/**
 * What a process does when asked to start, stop or restart, and when the supervisor itself
 * ends a run to recover it (liveness, limits).
 */
import { refusalOf } from '../refusal.js';
import { activeRun, pidOf } from '../state.js';
import type { Handlers } from '../step-builder.js';

/** Requests of a user, and the supervisor ending a run to recover it. */
export const REQUEST_HANDLERS: Handlers<'start' | 'stop' | 'restart' | 'signal' | 'recover'> = {
  start: (step, input) => {
    const { state } = step.record;
    const refusal = refusalOf('start', step.spec.name, state.status);
    if (refusal) return step.reject(refusal.message);
    // A process with a schedule runs now, and its schedule goes on (or stays on).
    step.armSchedule();
    if (state.status === 'stopping') return step.setIntent({ kind: 'restart', cause: input.cause });
    step.enterPending(false, state.status === 'failed', input.cause);
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
      case 'failed':
        if (state.retryAt === undefined) break;
        // Its breaker would try it again: a stop means it should not, and a later start
        // gets a whole budget, as a start of a failed process does.
        step.cancelRetry();
        step.closeBreaker();
        return step.settle({ status: 'stopped', since: step.now, lastExit: state.lastExit });
    }
    step.reject(refusalOf('stop', step.spec.name, state.status)!.message);
  },

  restart: (step, input) => {
    const { state } = step.record;
    const run = activeRun(state);
    const intent = { kind: 'restart', cause: input.cause } as const;
    if (run) return step.beginStop(run, intent);
    switch (state.status) {
      case 'stopping':
        return step.setIntent(intent);
      case 'backoff':
        step.emit('disarm-timer', { timer: 'backoff' });
        return step.enterPending(true, false, input.cause);
      case 'pending':
      case 'starting':
        return;
      case 'scheduled':
        // Nothing runs to restart: it runs now, and its schedule stays on.
        return step.enterPending(false, false);
      default:
        step.armSchedule();
        return step.enterPending(true, state.status === 'failed', input.cause);
    }
  },

  // Refused without a child to receive it; otherwise passed on, and the run goes on.
  signal: (step, input) => {
    const { state } = step.record;
    const refusal = refusalOf('signal', step.spec.name, state.status);
    if (refusal) return step.reject(refusal.message);
    // Spawn asked, no pid yet: nothing would receive it, and announcing it would say it did.
    if (pidOf(state) === null) {
      return step.reject(`${step.spec.name} is starting and has no pid yet: nothing received it`);
    }
    step.emit('relay', { signal: input.signal });
    step.announce('process:signalled', { signal: input.signal });
  },

  recover: (step, input) => {
    const run = activeRun(step.record.state);
    if (run) step.beginStop(run, { kind: 'recover', reason: input.reason });
  },
};
