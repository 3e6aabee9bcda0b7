import { describe, expect, it } from 'vitest';
import {
  EVENT_TYPES,
  STATUS_AFTER,
  type SupervisorEvent,
  statusAfter,
} from '../../src/core/events.js';

describe('EVENT_TYPES', () => {
  it('lists the events of the design contract, in lifecycle order', () => {
    expect(EVENT_TYPES).toEqual([
      'process:pending',
      'process:starting',
      'process:started',
      'process:ready',
      'process:exit',
      'process:backoff',
      'process:restarted',
      'process:failed',
      'process:stopped',
      'process:completed',
      'process:scheduled',
      'process:fired',
      'process:health',
      'process:limit',
      'process:signalled',
      'config:applied',
      'config:rejected',
      'task:queued',
      'task:started',
      'task:finished',
      'supervisor:started',
      'supervisor:orphans-cleaned',
      'supervisor:shutdown',
    ]);
  });
});

describe('statusAfter', () => {
  const at = 1_000;
  it.each<[SupervisorEvent, ReturnType<typeof statusAfter>]>([
    [
      { type: 'process:pending', name: 'api', at, reason: 'waiting for db to be healthy' },
      { name: 'api', status: 'pending', reason: 'waiting for db to be healthy', blocked: false },
    ],
    [
      // Regression: up -d waited out its timeout on a process blocked on a scheduled job.
      { type: 'process:pending', name: 'api', at, reason: 'waiting for migrate', blocked: true },
      { name: 'api', status: 'pending', reason: 'waiting for migrate', blocked: true },
    ],
    [
      { type: 'process:starting', name: 'api', at, reason: 'spawning' },
      { name: 'api', status: 'starting', reason: 'spawning', blocked: false },
    ],
    [
      { type: 'process:starting', name: 'api', at, reason: 'readiness: HTTP 503 ×1' },
      { name: 'api', status: 'starting', reason: 'readiness: HTTP 503 ×1', blocked: false },
    ],
    [
      { type: 'process:ready', name: 'api', at },
      { name: 'api', status: 'running', reason: null, blocked: false },
    ],
    [
      {
        type: 'process:backoff',
        name: 'api',
        at,
        attempt: 1,
        delayMs: 10,
        reason: 'exited with code 1',
      },
      { name: 'api', status: 'backoff', reason: 'exited with code 1', blocked: false },
    ],
    [
      { type: 'process:failed', name: 'api', at, reason: 'restart budget spent' },
      { name: 'api', status: 'failed', reason: 'restart budget spent', blocked: false },
    ],
    [
      { type: 'process:stopped', name: 'api', at },
      { name: 'api', status: 'stopped', reason: null, blocked: false },
    ],
    [
      { type: 'process:completed', name: 'api', at, code: 0 },
      { name: 'api', status: 'completed', reason: null, blocked: false },
    ],
    [{ type: 'process:started', name: 'api', at, pid: 42 }, null],
    [{ type: 'process:health', name: 'api', at, from: 'unknown', to: 'healthy' }, null],
    [{ type: 'supervisor:shutdown', at }, null],
  ])('%o → %o', (event, expected) => {
    expect(statusAfter(event)).toEqual(expected);
  });

  it('moves a process exactly for the events STATUS_AFTER lists', () => {
    const moving = EVENT_TYPES.filter((type) => type in STATUS_AFTER);
    expect(moving).toEqual([
      'process:pending',
      'process:starting',
      'process:ready',
      'process:backoff',
      'process:failed',
      'process:stopped',
      'process:completed',
      'process:scheduled',
    ]);
  });
});
