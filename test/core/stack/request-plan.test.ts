import { describe, expect, it } from 'vitest';
import type { Status } from '../../../src/core/process/state.js';
import { planRequest, type SelectedRows } from '../../../src/core/stack/request-plan.js';
import type { RequestTarget } from '../../../src/core/stack/selector.js';

const rows = (target: RequestTarget, ...states: [string, Status][]): SelectedRows => ({
  target,
  rows: states.map(([name, status]) => ({ name, status })),
});

describe('planRequest', () => {
  it('stop -n backend with one stopped: stops the namespace, leaving the stopped one as it is', () => {
    expect(
      planRequest('stop', [rows({ namespace: 'backend' }, ['api', 'running'], ['db', 'stopped'])]),
    ).toEqual({
      ok: true,
      send: [{ namespace: 'backend' }],
      leftAlone: [{ code: 'INVALID_STATE', message: 'db is not running (stopped)' }],
    });
  });

  it('stop -n backend with all stopped: nothing to send, and no error', () => {
    const plan = planRequest('stop', [rows({ namespace: 'backend' }, ['api', 'stopped'])]);
    expect(plan).toMatchObject({ ok: true, send: [] });
  });

  it('several names: sends those with something to do', () => {
    const plan = planRequest('start', [
      rows('worker', ['worker', 'stopped']),
      rows('web-1', ['web-1', 'running']),
    ]);
    expect(plan).toEqual({
      ok: true,
      send: ['worker'],
      leftAlone: [{ code: 'INVALID_STATE', message: 'web-1 is already running' }],
    });
  });

  it('one instance named alone is refused when it is so already', () => {
    expect(planRequest('stop', [rows('web-1', ['web-1', 'stopped'])])).toEqual({
      ok: false,
      refusal: { code: 'INVALID_STATE', message: 'web-1 is not running (stopped)' },
    });
  });

  it('a process of several instances, and all, are not refused', () => {
    const stopped = [
      ['web-0', 'stopped'],
      ['web-1', 'stopped'],
    ] as [string, Status][];
    expect(planRequest('stop', [rows('web', ...stopped)])).toMatchObject({ ok: true, send: [] });
    expect(planRequest('stop', [rows('all', ['web', 'stopped'])])).toMatchObject({
      ok: true,
      send: [],
    });
  });

  it('restart is taken by every status', () => {
    expect(planRequest('restart', [rows('web', ['web', 'stopped'])])).toEqual({
      ok: true,
      send: ['web'],
      leftAlone: [],
    });
  });
});
