/**
 * A process on a schedule: brought up, it waits for its first fire (`scheduled`) rather than
 * running; each fire runs it, or, while a run is still going, does what `overlap` says.
 */
import { decideFire, nextFire } from '../../triggers.js';
import { activeRun, type ExitInfo, isSettled, type ProcessState } from '../state.js';
import type { Handlers, StepBuilder } from '../step-builder.js';
import { REQUEST_HANDLERS } from './requests.js';

/** `up` of the stack, and a fire of the schedule. */
export const SCHEDULE_HANDLERS: Handlers<'up' | 'fire'> = {
  up: (step) => {
    const { state } = step.record;
    const schedule = step.spec.schedule;
    if (!schedule) return REQUEST_HANDLERS.start(step, { type: 'start' });
    // Already up: waiting for a fire, or a run under way.
    if (!isSettled(state)) return;
    step.armSchedule();
    if (schedule.runOnStart) return step.enterPending(false, state.status === 'failed');
    step.enterScheduled(lastExitOf(state), null);
  },

  fire: (step, input) => {
    const memory = step.record.schedule;
    const schedule = step.spec.schedule;
    // Off (stopped on request) since this fire was armed, or a fire time already taken.
    if (!memory || !schedule || memory.nextFireAt === null) return;
    if (memory.lastFireAt !== null && input.at <= memory.lastFireAt) return;
    const { state } = step.record;
    const action = decideFire(schedule.overlap, isBusy(state), memory.queued);
    // After the fire time and after now: a fire found late (a suspended host) is not run
    // again for every fire time missed meanwhile.
    const next = nextFire(schedule, Math.max(step.now, input.at));
    step.setSchedule({
      nextFireAt: next,
      lastFireAt: input.at,
      queued: memory.queued || action === 'queue',
    });
    if (next === null) step.emit('disarm-fire', {});
    else step.emit('arm-fire', { at: next });
    step.announce('process:fired', { fireAt: input.at, action });
    if (action === 'run') return step.enterPending(false, state.status === 'failed');
    if (action === 'replace') replace(step, state);
  },
};

/** A run under way: waiting for a slot, starting, running, between attempts, or ending. */
function isBusy(state: ProcessState): boolean {
  return state.status !== 'scheduled' && !isSettled(state);
}

/** Ends the run under way so that a new one starts (`overlap: replace`). */
function replace(step: StepBuilder, state: ProcessState): void {
  const run = activeRun(state);
  if (run) return step.beginStop(run, { kind: 'replace' });
  if (state.status === 'stopping') return step.setIntent({ kind: 'replace' });
  if (state.status === 'backoff') {
    step.emit('disarm-timer', { timer: 'backoff' });
    step.enterPending(false, false);
  }
  // `pending`, or spawning with no pid yet: the run about to start is the fire's.
}

function lastExitOf(state: ProcessState): ExitInfo | null {
  return 'lastExit' in state ? state.lastExit : null;
}
