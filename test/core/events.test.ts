import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../src/core/events.js';

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
      'process:health',
      'process:limit',
      'supervisor:started',
      'supervisor:orphans-cleaned',
      'supervisor:shutdown',
    ]);
  });
});
