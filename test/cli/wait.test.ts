/** The words commands that wait print: a process's progress, a wait that ran out, a bad timeout. */
import { describe, expect, it } from 'vitest';
import { painterFor } from '../../src/cli/output.js';
import {
  describeProgress,
  describeTimeout,
  isWaiting,
  parseWaitTimeout,
} from '../../src/cli/wait.js';
import type { ProcessInfo } from '../../src/core/view.js';

const plain = painterFor(process.stdout, { NO_COLOR: '1' });

const info = (status: ProcessInfo['status'], reason: string | null) =>
  ({ name: 'worker', status, reason }) as ProcessInfo;

describe('progress lines', () => {
  it('name the process and its status, and why when it waits', () => {
    expect(describeProgress(info('running', null), plain)).toBe('worker running');
    expect(
      describeProgress(info('pending', 'waiting for db to be healthy (db is stopped)'), plain),
    ).toBe('worker pending: waiting for db to be healthy (db is stopped)');
  });

  it('a wait that ran out names who still waits and why, or that the answer was late', () => {
    const slow = info('starting', 'readiness: HTTP 503 ×4 since 10:42:01');
    expect(describeTimeout(5_000, [slow], plain)).toBe(
      'still waiting after 5s: worker starting: readiness: HTTP 503 ×4 since 10:42:01',
    );
    expect(describeTimeout(500, [], plain)).toBe(
      'still waiting after 500ms: for the supervisor to answer',
    );
  });

  it('counts running, stopped, completed and failed as done waiting', () => {
    const statuses = [
      'pending',
      'starting',
      'running',
      'stopping',
      'stopped',
      'backoff',
      'completed',
      'failed',
    ] as const;
    expect(statuses.filter((status) => isWaiting(info(status, null)))).toEqual([
      'pending',
      'starting',
      'stopping',
      'backoff',
    ]);
  });
});

// Regression: up -d waited until its timeout on a dependent of a scheduled job not yet run.
it('up -d waits on no process pending on what will not come unasked (blocked)', () => {
  const blocked = {
    ...info('pending', 'waiting for migrate to complete successfully (migrate is scheduled)'),
    blocked: true,
  };
  expect(isWaiting(blocked)).toBe(false);
  expect(isWaiting({ ...blocked, blocked: false })).toBe(true);
});

describe('--wait-timeout', () => {
  it('reads a duration, and refuses anything else as a usage error', () => {
    expect(parseWaitTimeout('90s')).toBe(90_000);
    expect(parseWaitTimeout('250')).toBe(250);
    expect(() => parseWaitTimeout('soon')).toThrow(
      expect.objectContaining({
        code: 'BAD_REQUEST',
        message: '--wait-timeout: "soon" is not a duration (e.g. 30s, 2m)',
      }),
    );
  });
});
