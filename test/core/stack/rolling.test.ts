import { describe, expect, it } from 'vitest';
import type { Status } from '../../../src/core/process/state.js';
import {
  judgeReplacement,
  planRollingReload,
  type ReloadCandidate,
} from '../../../src/core/stack/rolling.js';
import { exitInfo, STATES } from '../helpers.js';

function member(name: string, status: Status = 'running'): ReloadCandidate {
  const [family, number] = name.includes('-') ? name.split('-') : [name, '0'];
  return { name, family: family!, instance: Number(number), status };
}

const web = (...statuses: Status[]) => statuses.map((status, k) => member(`web-${k}`, status));

describe('planRollingReload', () => {
  it('replaces the instances of a process one after another, by number', () => {
    const declared = web('running', 'running', 'running');
    expect(planRollingReload(declared, declared, true)).toEqual({
      ok: true,
      order: ['web-0', 'web-1', 'web-2'],
      skipped: [],
      plainRestarts: [],
    });
  });

  it('takes those not ready first: replacing them costs nothing that serves', () => {
    const declared = web('running', 'backoff', 'running', 'starting');
    const plan = planRollingReload(declared, declared, true);
    expect(plan).toMatchObject({ ok: true, order: ['web-1', 'web-3', 'web-0', 'web-2'] });
  });

  it('leaves instances that do not run as they are, and says so: a reload starts nothing', () => {
    const declared = web('running', 'stopped', 'running', 'failed');
    expect(planRollingReload(declared, declared, true)).toEqual({
      ok: true,
      order: ['web-0', 'web-2'],
      skipped: [
        { name: 'web-1', reason: 'not running (stopped)' },
        { name: 'web-3', reason: 'not running (failed)' },
      ],
      plainRestarts: [],
    });
  });

  it('refuses a process none of whose instances runs, and an instance named alone that does not', () => {
    const declared = web('stopped', 'running');
    expect(planRollingReload(declared, [declared[0]!], false)).toEqual({
      ok: false,
      refusal: { code: 'INVALID_STATE', message: 'web-0 is not running (stopped)' },
    });
    const stopped = web('stopped', 'completed');
    expect(planRollingReload(stopped, stopped, true)).toMatchObject({ ok: false });
  });

  it('is a plain restart where no other instance runs to serve meanwhile', () => {
    const solo = [member('solo')];
    expect(planRollingReload(solo, solo, true)).toMatchObject({ plainRestarts: ['solo'] });
    const lastOne = web('running', 'stopped');
    expect(planRollingReload(lastOne, lastOne, true)).toMatchObject({ plainRestarts: ['web'] });
    // One instance named alone, its siblings serving: a rolling step like any other.
    const three = web('running', 'running', 'running');
    expect(planRollingReload(three, [three[1]!], false)).toMatchObject({
      order: ['web-1'],
      plainRestarts: [],
    });
  });

  it('goes through processes in the order they were selected (declaration order for all)', () => {
    const declared = [...web('running', 'running'), member('api-0'), member('api-1')];
    const plan = planRollingReload(declared, declared, true);
    expect(plan).toMatchObject({ order: ['web-0', 'web-1', 'api-0', 'api-1'] });
  });
});

describe('judgeReplacement', () => {
  it('is ready once a new run is running (readiness passed, or min_uptime without a probe)', () => {
    expect(judgeReplacement(STATES.running, true)).toEqual({ kind: 'ready' });
  });

  it('waits while the old run still runs, or the new one is on its way', () => {
    expect(judgeReplacement(STATES.running, false)).toEqual({ kind: 'waiting' });
    for (const state of [STATES.stopping, STATES.pending, STATES.starting]) {
      expect(judgeReplacement(state, true)).toEqual({ kind: 'waiting' });
    }
  });

  it('fails when the new run ended before it was ready, naming how', () => {
    const backoff = { ...STATES.backoff, lastExit: exitInfo({ code: 3 }) };
    expect(judgeReplacement(backoff, true)).toEqual({
      kind: 'failed',
      reason: 'exited with code 3 before it was ready',
    });
    expect(judgeReplacement(STATES.failed, true)).toEqual({
      kind: 'failed',
      reason: 'spawn error: ENOENT',
    });
  });

  it('fails when it was stopped meanwhile, or waits on what will not come unasked', () => {
    expect(judgeReplacement(STATES.stopped, false)).toEqual({
      kind: 'failed',
      reason: 'it was stopped during the reload',
    });
    const blocked = { ...STATES.pending, blocked: true, reason: 'waiting for db (stopped)' };
    expect(judgeReplacement(blocked, false)).toEqual({
      kind: 'failed',
      reason: 'waiting for db (stopped)',
    });
  });

  it('counts a job that ran to its end as replaced', () => {
    expect(judgeReplacement(STATES.completed, true)).toEqual({ kind: 'ready' });
  });
});
