import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  decideRestart,
  describeExit,
  isSuccessfulExit,
} from '../../../src/core/process/restart.js';
import type { RestartSpec } from '../../../src/core/process/spec.js';
import { EMPTY_LEDGER, type RestartLedger } from '../../../src/core/process/state.js';
import { exitInfo } from '../helpers.js';

const SPEC: RestartSpec = {
  policy: 'always',
  maxRestarts: 3,
  windowMs: 60_000,
  delayMs: 1_000,
  factor: 2,
  maxDelayMs: 30_000,
  minUptimeMs: 1_000,
  exitCodes: [0],
};

const spec = (overrides: Partial<RestartSpec> = {}): RestartSpec => ({ ...SPEC, ...overrides });
const SHORT = 100;
const LONG = 5_000;

describe('isSuccessfulExit', () => {
  it('accepts the listed exit codes only', () => {
    const accepting = spec({ exitCodes: [0, 3] });
    expect(isSuccessfulExit(accepting, exitInfo({ code: 0 }))).toBe(true);
    expect(isSuccessfulExit(accepting, exitInfo({ code: 3 }))).toBe(true);
    expect(isSuccessfulExit(accepting, exitInfo({ code: 1 }))).toBe(false);
  });

  it('never counts a signal exit as success', () => {
    expect(isSuccessfulExit(SPEC, exitInfo({ code: null, signal: 'SIGTERM' }))).toBe(false);
  });
});

describe('describeExit', () => {
  it('names the exit code, or the signal that ended the run', () => {
    expect(describeExit(exitInfo({ code: 3 }))).toBe('exited with code 3');
    expect(describeExit(exitInfo({ code: null, signal: 'SIGKILL' }))).toBe('killed by SIGKILL');
  });
});

describe('decideRestart: policies', () => {
  const decide = (
    policy: RestartSpec['policy'],
    code: number | null,
    signal: string | null = null,
  ) =>
    decideRestart(spec({ policy }), EMPTY_LEDGER, exitInfo({ code, signal, runMs: LONG }), 10_000);

  it('never: completes on an accepted exit code', () => {
    expect(decide('never', 0)).toEqual({ action: 'complete' });
  });

  it('never: fails on any other code, saying how the run ended', () => {
    expect(decide('never', 3)).toEqual({ action: 'fail', reason: 'exited with code 3' });
    expect(decide('never', null, 'SIGSEGV')).toEqual({
      action: 'fail',
      reason: 'killed by SIGSEGV',
    });
  });

  it('on-failure: completes on an accepted exit code', () => {
    expect(decide('on-failure', 0)).toEqual({ action: 'complete' });
  });

  it('on-failure: restarts after a bad exit code or a signal', () => {
    expect(decide('on-failure', 1)).toMatchObject({ action: 'restart' });
    expect(decide('on-failure', null, 'SIGKILL')).toMatchObject({ action: 'restart' });
  });

  it('always: restarts even after a successful exit', () => {
    expect(decide('always', 0)).toMatchObject({ action: 'restart', delayMs: 1_000, attempt: 1 });
  });

  it('counts every code listed in exit_codes as success', () => {
    const accepting = spec({ policy: 'on-failure', exitCodes: [0, 3] });
    expect(decideRestart(accepting, EMPTY_LEDGER, exitInfo({ code: 3 }), 0)).toEqual({
      action: 'complete',
    });
  });

  it('treats an exit the supervisor caused (success = false) as a failure whatever the code', () => {
    const exit = exitInfo({ code: 0, runMs: LONG });
    expect(
      decideRestart(spec({ policy: 'on-failure' }), EMPTY_LEDGER, exit, 0, false),
    ).toMatchObject({ action: 'restart' });
    expect(decideRestart(spec({ policy: 'never' }), EMPTY_LEDGER, exit, 0, false)).toEqual({
      action: 'fail',
      reason: 'exited with code 0',
    });
  });
});

/** Feeds exits with the given run lengths, one every `gapMs`, through the policy. */
function exitsInARow(restartSpec: RestartSpec, runsMs: readonly number[], gapMs = 1_000) {
  let ledger: RestartLedger = EMPTY_LEDGER;
  return runsMs.map((runMs, index) => {
    const decision = decideRestart(restartSpec, ledger, exitInfo({ runMs }), (index + 1) * gapMs);
    if (decision.action === 'restart') ledger = decision.ledger;
    return decision;
  });
}

describe('decideRestart: backoff', () => {
  it('doubles the delay for each short run in a row: delay × factor^(n-1)', () => {
    const decisions = exitsInARow(spec({ maxRestarts: 10 }), [SHORT, SHORT, SHORT, SHORT]);
    expect(decisions.map((d) => d.action === 'restart' && d.delayMs)).toEqual([
      1_000, 2_000, 4_000, 8_000,
    ]);
  });

  it('honours another factor', () => {
    const decisions = exitsInARow(spec({ factor: 3 }), [SHORT, SHORT, SHORT]);
    expect(decisions.map((d) => d.action === 'restart' && d.delayMs)).toEqual([
      1_000, 3_000, 9_000,
    ]);
  });

  it('caps the delay at max_delay', () => {
    const decisions = exitsInARow(spec({ maxRestarts: 10, maxDelayMs: 5_000 }), [
      SHORT,
      SHORT,
      SHORT,
      SHORT,
      SHORT,
    ]);
    expect(decisions.map((d) => d.action === 'restart' && d.delayMs)).toEqual([
      1_000, 2_000, 4_000, 5_000, 5_000,
    ]);
  });

  it('resets to delay after a run that lasted min_uptime', () => {
    const decisions = exitsInARow(spec({ maxRestarts: 10 }), [SHORT, SHORT, SHORT, LONG, SHORT]);
    expect(decisions.map((d) => d.action === 'restart' && d.delayMs)).toEqual([
      1_000, 2_000, 4_000, 1_000, 1_000,
    ]);
    const last = decisions.at(-1);
    expect(last?.action === 'restart' && last.ledger.shortRuns).toBe(1);
  });

  it('counts a run of exactly min_uptime as long enough', () => {
    const ledger: RestartLedger = { recent: [], shortRuns: 2 };
    const decision = decideRestart(SPEC, ledger, exitInfo({ runMs: 1_000 }), 0);
    expect(decision).toMatchObject({ action: 'restart', delayMs: 1_000 });
    expect(decision.action === 'restart' && decision.ledger.shortRuns).toBe(0);
  });

  it('backoffDelay: delay for no or one short run, then the exponent grows', () => {
    expect(backoffDelay(SPEC, 0)).toBe(1_000);
    expect(backoffDelay(SPEC, 1)).toBe(1_000);
    expect(backoffDelay(SPEC, 2)).toBe(2_000);
    expect(backoffDelay(spec({ factor: 1 }), 6)).toBe(1_000);
  });
});

describe('decideRestart: the restart budget', () => {
  it('allows exactly max_restarts restarts in the window, then fails with a reason', () => {
    const decisions = exitsInARow(SPEC, [SHORT, SHORT, SHORT, SHORT]);
    expect(decisions.map((d) => d.action)).toEqual(['restart', 'restart', 'restart', 'fail']);
    expect(decisions.map((d) => d.action === 'restart' && d.attempt).slice(0, 3)).toEqual([
      1, 2, 3,
    ]);
    expect(decisions[3]).toEqual({
      action: 'fail',
      reason: 'restart budget spent: exited with code 1 after 3 restarts within 1m',
    });
  });

  it('fails at the first exit when max_restarts is 0', () => {
    expect(decideRestart(spec({ maxRestarts: 0 }), EMPTY_LEDGER, exitInfo(), 0)).toMatchObject({
      action: 'fail',
      reason: expect.stringContaining('after 0 restarts'),
    });
  });

  it('lets restarts older than the window expire (sliding window)', () => {
    // One exit every 25 s: only the two previous restarts are still within 60 s at each
    // exit, so 8 exits in a row never spend the budget of 3.
    const decisions = exitsInARow(SPEC, Array(8).fill(LONG), 25_000);
    expect(decisions.every((d) => d.action === 'restart')).toBe(true);
    const last = decisions.at(-1);
    expect(last?.action === 'restart' && last.ledger.recent).toEqual([150_000, 175_000, 200_000]);
    expect(last?.action === 'restart' && last.attempt).toBe(3);
    expect(decisions.filter((d) => d.action === 'restart')).toHaveLength(8);
  });

  it('expires a restart exactly one window old', () => {
    const ledger: RestartLedger = { recent: [0, 30_000, 40_000], shortRuns: 0 };
    expect(decideRestart(SPEC, ledger, exitInfo(), 60_000)).toMatchObject({
      action: 'restart',
      attempt: 3,
      ledger: { recent: [30_000, 40_000, 60_000] },
    });
    expect(decideRestart(SPEC, ledger, exitInfo(), 59_999)).toMatchObject({ action: 'fail' });
  });

  it('names the exit and the window in the reason (a 90 s window is not `1m`)', () => {
    const ledger: RestartLedger = { recent: [0], shortRuns: 0 };
    const exit = exitInfo({ code: null, signal: 'SIGKILL' });
    expect(decideRestart(spec({ maxRestarts: 1, windowMs: 90_000 }), ledger, exit, 1)).toEqual({
      action: 'fail',
      reason: 'restart budget spent: killed by SIGKILL after 1 restarts within 1m30s',
    });
  });

  it('returns a new ledger and leaves the one it was given untouched', () => {
    const ledger: RestartLedger = { recent: [1_000], shortRuns: 1 };
    const decision = decideRestart(SPEC, ledger, exitInfo({ runMs: SHORT }), 2_000);
    expect(decision).toMatchObject({
      action: 'restart',
      ledger: { recent: [1_000, 2_000], shortRuns: 2 },
    });
    expect(ledger).toEqual({ recent: [1_000], shortRuns: 1 });
  });
});
