/**
 * A probe's verdict counted into its tally: what a start waits on, the process's `health`,
 * readiness that makes it `running`, liveness that fails it into a restart.
 */
import { healthSource, nextTally } from '../probe-tally.js';
import { startingReason } from '../reasons.js';
import { activeRun } from '../state.js';
import type { Handlers } from '../step-builder.js';

/** A probe verdict. */
export const PROBE_HANDLERS: Handlers<'probe'> = {
  probe: (step, input) => {
    const { state } = step.record;
    const run = activeRun(state);
    const probeSpec = step.spec[input.probe];
    if (!run || !probeSpec) return;
    const tally = nextTally(
      step.record.probes[input.probe],
      input.ok ? null : (input.message ?? 'failed'),
      probeSpec.failureThreshold,
      step.now,
    );
    step.record = { ...step.record, probes: { ...step.record.probes, [input.probe]: tally } };
    // What a start waits on changed (a first failure, or a new message): say so once, not
    // at every check, so the supervisor's log shows it without flooding.
    if (
      state.status === 'starting' &&
      input.probe === 'readiness' &&
      tally.lastFailure?.count === 1
    ) {
      step.announce('process:starting', { reason: startingReason(step.spec, step.record) });
    }
    // Failures while starting only mean "not ready yet": health turns bad once it was ready.
    const verdict = state.status === 'starting' && !tally.passing ? null : tally.passing;
    if (healthSource(step.spec) === input.probe && verdict !== null) {
      step.setHealth(verdict ? 'healthy' : 'unhealthy');
    }
    if (input.probe === 'readiness' && input.ok && state.status === 'starting') {
      return step.becomeRunning(run);
    }
    if (input.probe === 'liveness' && tally.passing === false && state.status === 'running') {
      step.beginStop(run, {
        kind: 'recover',
        reason: `liveness probe failed ${tally.failures} times in a row`,
      });
    }
  },
};
