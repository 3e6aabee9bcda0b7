/**
 * `depends_on: {db: {condition, restart: true}}` (docs/lifecycle.md): who is restarted when
 * a dependency starts a new run, the effect that asks for it, and how a dependent waits on
 * a failed dependency that its breaker will try again.
 */
import { describe, expect, it } from 'vitest';
import type { ProcessDefinition } from '../../../src/config/process-schema.js';
import { clockTime } from '../../../src/core/process/reasons.js';
import type { ProcessState } from '../../../src/core/process/state.js';
import { transition } from '../../../src/core/process/transition.js';
import {
  dependentRestartCause,
  dependentsOfRecreated,
  dependentsToRestart,
} from '../../../src/core/stack/dependent-restarts.js';
import { judgeDependencies } from '../../../src/core/stack/graph.js';
import { planSchedule, type ScheduledProcess } from '../../../src/core/stack/scheduler.js';
import {
  input,
  makeSpec,
  makeSpecs,
  recordIn,
  Scenario,
  STATES,
  type StateLabel,
} from '../helpers.js';

function processes(
  label: StateLabel,
  definition: Partial<ProcessDefinition> & { name: string },
): ScheduledProcess[] {
  return makeSpecs(definition).map((spec) => ({ spec, record: recordIn(spec, STATES[label]) }));
}

const following = { condition: 'started', restart: true } as const;
const db = makeSpec({ name: 'db' });

describe('dependentsToRestart', () => {
  it('names every running instance that depends on it with restart: true', () => {
    const stack = [
      ...processes('running', { name: 'db' }),
      ...processes('running', { name: 'api', instances: 2, depends_on: { db: following } }),
      ...processes('starting', { name: 'worker', depends_on: { db: following } }),
      ...processes('running', { name: 'cron', depends_on: { db: 'started' } }),
      ...processes('running', { name: 'web', depends_on: { api: following } }),
    ];
    expect(dependentsToRestart(db, stack)).toEqual(['api-0', 'api-1', 'worker']);
  });

  it.each([
    'pending',
    'starting (no pid)',
    'stopping',
    'stopped',
    'backoff',
    'completed',
    'failed',
  ] as const)('leaves a %s dependent alone: it has no run to restart', (label) => {
    const stack = processes(label, { name: 'api', depends_on: { db: following } });
    expect(dependentsToRestart(db, stack)).toEqual([]);
  });

  it('follows any instance of the dependency', () => {
    const [, second] = makeSpecs({ name: 'db', instances: 2 });
    const stack = processes('running', { name: 'api', depends_on: { db: following } });
    expect(dependentsToRestart(second!, stack)).toEqual(['api']);
  });
});

describe('dependentsOfRecreated (a dependency recreated by a changed config)', () => {
  const stack = (dbLabel: StateLabel) => [
    ...processes(dbLabel, { name: 'db' }),
    ...processes('running', { name: 'api', instances: 2, depends_on: { db: following } }),
    ...processes('stopped', { name: 'idle', depends_on: { db: following } }),
    ...processes('running', { name: 'cron', depends_on: { db: 'started' } }),
    ...processes('running', { name: 'web', depends_on: { db: following } }),
  ];

  it('names the running restart: true dependents of one on its way up, not those recreated too', () => {
    expect(dependentsOfRecreated(new Set(['db', 'web']), stack('pending'))).toEqual([
      'api-0',
      'api-1',
    ]);
  });

  it('names nobody for a recreated dependency left stopped, or one not recreated', () => {
    expect(dependentsOfRecreated(new Set(['db']), stack('stopped'))).toEqual([]);
    expect(dependentsOfRecreated(new Set(['cron']), stack('pending'))).toEqual([]);
  });
});

describe('a new run asks for its dependents to be restarted', () => {
  it('after a restart (by policy, request, probe, limit or breaker), not on a first start', () => {
    const s = new Scenario(makeSpec({ name: 'db', restart: { delay: 10 } }));
    s.send(input.start);
    const first = s.sendAll(input.admit, input.spawned(1));
    expect(first).not.toContainEqual({ type: 'restart-dependents' });

    s.after(100).send(input.exited(1));
    s.fire('backoff');
    const again = s.sendAll(input.admit, input.spawned(2));
    expect(again).toContainEqual({ type: 'restart-dependents' });

    s.fire('min-uptime');
    s.send(input.restart);
    s.send(input.exited(null, 'SIGTERM'));
    const onRequest = s.sendAll(input.admit, input.spawned(3));
    expect(onRequest).toContainEqual({ type: 'restart-dependents' });
  });
});

describe('a dependency whose breaker will try it again', () => {
  const T0 = new Date(2026, 0, 1, 10, 42, 1).getTime();
  const retrying: ProcessState = {
    status: 'failed',
    since: 0,
    reason: 'restart budget spent: exited with code 1 after 3 restarts within 1m',
    lastExit: null,
    retryAt: T0,
  };
  const web = makeSpec({ name: 'web', depends_on: { db: 'healthy' } });
  const judge = (state: ProcessState) =>
    judgeDependencies(web, (family) =>
      family === 'db' ? [{ name: 'db', state, healthy: true }] : [],
    );

  it('is waited for, not failed on, and the dependent says until when', () => {
    expect(judge(retrying)).toEqual({
      verdict: 'wait',
      on: 'db',
      reason: `waiting for db to be healthy (db is failed, tried again at ${clockTime(T0)})`,
      // Too far off to hold `up` or `start` open for.
      blocked: true,
    });
  });

  it('fails its dependents once it failed for good', () => {
    expect(judge(STATES.failed)).toEqual({ verdict: 'fail', reason: 'dependency db failed' });
  });

  it('lets the waiting dependent start once it is back', () => {
    const dbSpec = makeSpec({ name: 'db' });
    const stack = (dbState: ProcessState): ScheduledProcess[] => [
      { spec: dbSpec, record: recordIn(dbSpec, dbState) },
      { spec: web, record: recordIn(web, STATES.pending) },
    ];
    expect(planSchedule(stack(retrying), Number.POSITIVE_INFINITY)).toMatchObject({
      admit: [],
      fail: [],
    });
    expect(planSchedule(stack(STATES.running), Number.POSITIVE_INFINITY).admit).toEqual(['web']);
  });
});

describe('regression: a dependent restarted by restart: true read "restart requested"', () => {
  it('names the dependency that restarted, and its exit says so', () => {
    const cause = dependentRestartCause(makeSpec({ name: 'db' }));
    expect(cause).toBe('db restarted');
    const api = makeSpec({ name: 'api' });
    const step = transition(api, recordIn(api, STATES.running), { type: 'restart', cause }, 1_000);
    expect(step.record.state).toMatchObject({ status: 'stopping', intent: { cause } });
  });
});
