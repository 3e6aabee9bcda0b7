/**
 * Probe verdicts counted into a tally, and the probe a process's `health` follows.
 */
import type { ProcessSpec } from './spec.js';
import type { Health, ProbeKind, ProbeTally } from './state.js';

/** Health before any probe has answered for a run: `none` for a process without probes. */
export function initialHealth(spec: ProcessSpec): Health {
  return spec.readiness || spec.liveness ? 'unknown' : 'none';
}

/** The probe whose verdict is the process's `health`: readiness, else liveness. */
export function healthSource(spec: ProcessSpec): ProbeKind | null {
  if (spec.readiness) return 'readiness';
  if (spec.liveness) return 'liveness';
  return null;
}

/**
 * One result counted in (`failure`: what a failed check saw, `null` for a pass): a success
 * clears failures; enough failures in a row make it failing. Failures in a row with the same
 * message are counted together, from the first of them.
 */
export function nextTally(
  tally: ProbeTally,
  failure: string | null,
  failureThreshold: number,
  now: number,
): ProbeTally {
  if (failure === null) return { failures: 0, passing: true, lastFailure: null };
  const failures = tally.failures + 1;
  const previous = tally.lastFailure;
  const lastFailure =
    previous?.message === failure
      ? { ...previous, count: previous.count + 1 }
      : { message: failure, count: 1, since: now };
  return {
    failures,
    passing: failures >= failureThreshold ? false : tally.passing,
    lastFailure,
  };
}
