import { describe, expect, it } from 'vitest';
import {
  activeRun,
  holdsSlot,
  isAtRest,
  isAtRestStatus,
  isRequestOver,
  isSettled,
  isSettledStatus,
  pidOf,
} from '../../../src/core/process/state.js';
import { STATES, type StateLabel } from '../helpers.js';

const table = <T>(expected: Record<StateLabel, T>) =>
  (Object.keys(expected) as StateLabel[]).map((label) => [label, expected[label]] as const);

describe('holdsSlot', () => {
  it.each(
    table({
      pending: false,
      'starting (no pid)': true,
      starting: true,
      running: true,
      stopping: true,
      stopped: false,
      backoff: false,
      completed: false,
      failed: false,
    }),
  )('%s → %s', (label, expected) => {
    expect(holdsSlot(STATES[label])).toBe(expected);
  });
});

describe('isSettled', () => {
  it.each(
    table({
      pending: false,
      'starting (no pid)': false,
      starting: false,
      running: false,
      stopping: false,
      stopped: true,
      backoff: false,
      completed: true,
      failed: true,
    }),
  )('%s → %s', (label, expected) => {
    expect(isSettled(STATES[label])).toBe(expected);
  });
});

describe('isAtRest', () => {
  it.each(
    table({
      pending: false,
      'starting (no pid)': false,
      starting: false,
      running: true,
      stopping: false,
      stopped: true,
      backoff: false,
      completed: true,
      failed: true,
    }),
  )('%s → %s', (label, expected) => {
    expect(isAtRest(STATES[label])).toBe(expected);
  });

  it('is true of a pending process that waits on what will not come unasked', () => {
    expect(isAtRest({ ...STATES.pending, blocked: true })).toBe(true);
  });
});

describe('the status forms say what the state forms say, but of a blocked pending', () => {
  it.each(Object.keys(STATES) as StateLabel[])('%s', (label) => {
    const state = STATES[label];
    expect(isSettledStatus(state.status)).toBe(isSettled(state));
    expect(isAtRestStatus(state.status)).toBe(isAtRest(state));
  });

  it('a blocked pending is at rest only to one who knows it is blocked', () => {
    const blocked = { ...STATES.pending, blocked: true };
    expect([isAtRest(blocked), isAtRestStatus(blocked.status)]).toEqual([true, false]);
  });
});

describe('isRequestOver', () => {
  it.each(Object.keys(STATES) as StateLabel[])('%s: over when at rest', (label) => {
    expect(isRequestOver(STATES[label], false)).toBe(isAtRest(STATES[label]));
  });

  it('a restart still awaiting its new run is not over while the old one runs', () => {
    expect(isRequestOver(STATES.running, true)).toBe(false);
  });

  it('a restart still awaiting its new run is over once the process gave up or is blocked', () => {
    expect(isRequestOver(STATES.failed, true)).toBe(true);
    expect(isRequestOver({ ...STATES.pending, blocked: true }, true)).toBe(true);
  });
});

describe('activeRun', () => {
  it('is the child of a running process, or of a starting one once its pid is known', () => {
    expect(activeRun(STATES.running)).toEqual({ pid: 42, since: 0 });
    expect(activeRun(STATES.starting)).toEqual({ pid: 42, since: 0 });
  });

  it.each(['starting (no pid)', 'stopping', 'pending', 'backoff', 'stopped'] as const)(
    'is null when %s: nothing a stop could act on',
    (label) => {
      expect(activeRun(STATES[label])).toBeNull();
    },
  );
});

describe('pidOf', () => {
  it.each(
    table<number | null>({
      pending: null,
      'starting (no pid)': null,
      starting: 42,
      running: 42,
      stopping: 42,
      stopped: null,
      backoff: null,
      completed: null,
      failed: null,
    }),
  )('%s → %s', (label, expected) => {
    expect(pidOf(STATES[label])).toBe(expected);
  });
});
