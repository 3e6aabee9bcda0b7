/** How a try ended, from its record at rest and what the runner knows of it. */
import { describe, expect, it } from 'vitest';
import type { ExitInfo, ProcessRecord, ProcessState } from '../../../src/core/process/state.js';
import { tryEndOf } from '../../../src/core/tasks/try-end.js';

const EXIT: ExitInfo = { code: 0, signal: null, killedAfterTimeout: false, runMs: 5, at: 10 };
const PLAIN = { cancelling: undefined, timedOut: false, lastBreachAction: undefined };

function record(state: ProcessState): ProcessRecord {
  return { state } as ProcessRecord;
}

describe('tryEndOf', () => {
  it('regression: a try that completed by itself is no cancel, even when a cancel was on its way', () => {
    const completed = record({ status: 'completed', since: 10, lastExit: EXIT });
    expect(tryEndOf(completed, { ...PLAIN, cancelling: 'cancelled on request' })).toEqual({
      kind: 'exited',
      code: 0,
      signal: null,
    });
    expect(tryEndOf(completed, { ...PLAIN, timedOut: true }).kind).toBe('exited');
  });

  it('reads a stopped try as cancelled or timed out, by what the runner asked', () => {
    const stopped = record({ status: 'stopped', since: 10, lastExit: { ...EXIT, code: 143 } });
    expect(tryEndOf(stopped, { ...PLAIN, cancelling: 'x' })).toEqual({
      kind: 'cancelled',
      reason: 'x',
    });
    expect(tryEndOf(stopped, { ...PLAIN, timedOut: true })).toEqual({ kind: 'timed_out' });
  });

  it('tells a refusal and a spawn error from an exit, and a limit from both', () => {
    const failed = (reason: string, lastExit: ExitInfo | null) =>
      record({ status: 'failed', since: 10, reason, lastExit });
    expect(tryEndOf(failed('sandbox: no', null), PLAIN).kind).toBe('refused');
    expect(tryEndOf(failed('spawn error: ENOENT', null), PLAIN).kind).toBe('spawn-failed');
    const limited = failed('memory over', { ...EXIT, cause: 'memory 120MB over limit 100MB' });
    expect(tryEndOf(limited, { ...PLAIN, lastBreachAction: 'stop' })).toEqual({
      kind: 'ended',
      reason: 'memory 120MB over limit 100MB',
      retryable: false,
    });
    expect(tryEndOf(limited, { ...PLAIN, lastBreachAction: 'restart' })).toMatchObject({
      retryable: true,
    });
    expect(tryEndOf(failed('exited with code 3', { ...EXIT, code: 3 }), PLAIN)).toEqual({
      kind: 'exited',
      code: 3,
      signal: null,
    });
  });
});
