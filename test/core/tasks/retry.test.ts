/** What follows a try of a task that did not succeed: pure, no clock. */
import { describe, expect, it } from 'vitest';
import { judgeTry, type TryEnd } from '../../../src/core/tasks/retry.js';
import type { TaskRetrySpec } from '../../../src/core/tasks/task.js';

const RETRY: TaskRetrySpec = {
  attempts: 3,
  backoff: { initialMs: 100, factor: 2, maxMs: 150, jitter: { kind: 'none' } },
  exitCodes: undefined,
  signals: undefined,
  onTimeout: false,
};

const exited = (code: number | null, signal: string | null = null): TryEnd => ({
  kind: 'exited',
  code,
  signal,
});

describe('judgeTry', () => {
  it('ends a try that exited with a success code as succeeded, whatever the attempt', () => {
    expect(judgeTry(RETRY, [0], 1, exited(0))).toEqual({
      next: 'end',
      status: 'succeeded',
      reason: null,
    });
    expect(judgeTry(RETRY, [0, 2], 3, exited(2)).next).toBe('end');
  });

  it('retries a failure after the backoff, doubling up to its cap', () => {
    expect(judgeTry(RETRY, [0], 1, exited(1))).toEqual({
      next: 'retry',
      delayMs: 100,
      reason: 'exited with code 1; attempt 2 of 3 in 100 ms',
    });
    expect(judgeTry(RETRY, [0], 2, exited(1))).toMatchObject({ next: 'retry', delayMs: 150 });
  });

  it('ends failed once the attempts are spent, saying how many', () => {
    expect(judgeTry(RETRY, [0], 3, exited(1))).toEqual({
      next: 'end',
      status: 'failed',
      reason: 'exited with code 1 (after 3 attempts)',
    });
  });

  it('never retries with one attempt, and says nothing of attempts then', () => {
    expect(judgeTry({ ...RETRY, attempts: 1 }, [0], 1, exited(4))).toEqual({
      next: 'end',
      status: 'failed',
      reason: 'exited with code 4',
    });
  });

  it('retries only the exit codes and signals listed, when some are', () => {
    const listed = { ...RETRY, exitCodes: [75], signals: ['SIGKILL'] };
    expect(judgeTry(listed, [0], 1, exited(1)).next).toBe('end');
    expect(judgeTry(listed, [0], 1, exited(75)).next).toBe('retry');
    expect(judgeTry(listed, [0], 1, exited(null, 'SIGSEGV'))).toMatchObject({
      next: 'end',
      reason: 'killed by SIGSEGV',
    });
    expect(judgeTry(listed, [0], 1, exited(null, 'SIGKILL')).next).toBe('retry');
  });

  it('ends a timed-out try as timed_out, retried only when asked', () => {
    expect(judgeTry(RETRY, [0], 1, { kind: 'timed_out' }, 500)).toEqual({
      next: 'end',
      status: 'timed_out',
      reason: 'timed out after 500 ms',
    });
    expect(judgeTry({ ...RETRY, onTimeout: true }, [0], 1, { kind: 'timed_out' }, 500).next).toBe(
      'retry',
    );
  });

  it('never retries a cancelled, refused or unstartable try', () => {
    for (const end of [
      { kind: 'cancelled', reason: 'cancelled on request' },
      { kind: 'refused', reason: 'sandbox: no' },
      { kind: 'spawn-failed', reason: 'spawn error: ENOENT' },
    ] as const) {
      expect(judgeTry(RETRY, [0], 1, end)).toMatchObject({ next: 'end', reason: end.reason });
    }
    expect(judgeTry(RETRY, [0], 1, { kind: 'refused', reason: 'x' })).toMatchObject({
      status: 'refused',
    });
  });

  it('retries a try a limit ended, unless the limit said stop', () => {
    const restart = { kind: 'ended', reason: 'memory 300MB over limit 256MB', retryable: true };
    expect(judgeTry(RETRY, [0], 1, restart as TryEnd).next).toBe('retry');
    expect(judgeTry(RETRY, [0], 1, { ...restart, retryable: false } as TryEnd)).toEqual({
      next: 'end',
      status: 'failed',
      reason: 'memory 300MB over limit 256MB',
    });
  });
});
