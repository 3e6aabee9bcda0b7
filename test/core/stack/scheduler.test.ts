import { describe, expect, it } from 'vitest';
import type { ProcessDefinition } from '../../../src/config/process-schema.js';
import type { Health } from '../../../src/core/process/state.js';
import { planSchedule, type ScheduledProcess } from '../../../src/core/stack/scheduler.js';
import { makeSpecs, recordIn, STATES, type StateLabel } from '../helpers.js';

/** One scheduled process per instance of the definition, each in the state named. */
function processes(
  label: StateLabel,
  definition: Partial<ProcessDefinition> & { name: string },
  health?: Health,
): ScheduledProcess[] {
  return makeSpecs(definition).map((spec) => {
    const record = recordIn(spec, STATES[label]);
    return { spec, record: health ? { ...record, health } : record };
  });
}

const pending = (name: string, extra: Partial<ProcessDefinition> = {}) =>
  processes('pending', { name, ...extra });

describe('planSchedule: slots', () => {
  it('admits waiting processes up to max_processes, in declaration order', () => {
    const plan = planSchedule([...pending('a'), ...pending('b'), ...pending('c')], 2);
    expect(plan).toEqual({
      admit: ['a', 'b'],
      fail: [],
      wait: [
        {
          name: 'c',
          reason: 'waiting for a free slot (max_processes 2, all in use)',
          blocked: false,
        },
      ],
    });
  });

  it.each(['starting (no pid)', 'starting', 'running', 'stopping'] as const)(
    'counts a %s process as holding a slot',
    (label) => {
      const plan = planSchedule([...processes(label, { name: 'busy' }), ...pending('a')], 1);
      expect(plan.admit).toEqual([]);
    },
  );

  it.each(['backoff', 'stopped', 'completed', 'failed'] as const)(
    'does not count a %s process as holding a slot',
    (label) => {
      const plan = planSchedule([...processes(label, { name: 'idle' }), ...pending('a')], 1);
      expect(plan.admit).toContain('a');
    },
  );

  it('admits nothing when more slots are busy than allowed (no negative room)', () => {
    const busy = [...processes('running', { name: 'r', instances: 3 })];
    expect(planSchedule([...busy, ...pending('a')], 2).admit).toEqual([]);
  });

  it('admits only processes that are pending', () => {
    const plan = planSchedule(
      (['stopped', 'backoff', 'completed', 'failed'] as const).flatMap((label) =>
        processes(label, { name: label }),
      ),
      10,
    );
    expect(plan).toEqual({ admit: [], fail: [], wait: [] });
  });

  it('admits every instance as its own process', () => {
    expect(planSchedule(pending('w', { instances: 3 }), 10).admit).toEqual(['w-0', 'w-1', 'w-2']);
  });
});

describe('planSchedule: priority', () => {
  it('serves critical, then high, then normal, then low', () => {
    const plan = planSchedule(
      [
        ...pending('low', { priority: 'low' }),
        ...pending('normal'),
        ...pending('high', { priority: 'high' }),
        ...pending('critical', { priority: 'critical' }),
      ],
      10,
    );
    expect(plan.admit).toEqual(['critical', 'high', 'normal', 'low']);
  });

  it('breaks ties by declaration order and gives the last slots to the highest remaining', () => {
    const plan = planSchedule(
      [
        ...pending('n1'),
        ...pending('h1', { priority: 'high' }),
        ...pending('n2'),
        ...pending('h2', { priority: 'high' }),
        ...pending('l1', { priority: 'low' }),
      ],
      3,
    );
    expect(plan.admit).toEqual(['h1', 'h2', 'n1']);
  });
});

describe('planSchedule: dependencies', () => {
  it('holds a process back until its dependency holds, without using a slot for it', () => {
    const web = pending('web', { depends_on: ['db'], priority: 'critical' });
    expect(planSchedule([...web, ...pending('db')], 1).admit).toEqual(['db']);
    expect(planSchedule([...web, ...processes('running', { name: 'db' })], 2).admit).toEqual([
      'web',
    ]);
  });

  it('waits for every instance of a dependency', () => {
    const db = processes('running', { name: 'db', instances: 2 });
    const oneStillPending = [db[0]!, { ...db[1]!, record: recordIn(db[1]!.spec, STATES.pending) }];
    const web = pending('web', { depends_on: ['db'] });
    expect(planSchedule([...oneStillPending, ...web], 10).admit).toEqual(['db-1']);
    expect(planSchedule([...db, ...web], 10).admit).toEqual(['web']);
  });

  it('reports processes whose dependency failed, and does not admit them', () => {
    const plan = planSchedule(
      [...processes('failed', { name: 'db' }), ...pending('web', { depends_on: ['db'] })],
      10,
    );
    expect(plan).toEqual({
      admit: [],
      fail: [{ name: 'web', reason: 'dependency db failed' }],
      wait: [],
    });
  });

  // Missing names are the config check's job (findMissingDependencies); here they wait on nothing.
  it('is not held back by a dependency that has no declared instances', () => {
    expect(planSchedule(pending('web', { depends_on: ['ghost'] }), 10).admit).toEqual(['web']);
  });

  it('healthy: counts a running dependency as healthy unless its probe turned bad', () => {
    const web = pending('web', { depends_on: { db: 'healthy' } });
    const withDb = (health: Health) => [...processes('running', { name: 'db' }, health), ...web];
    expect(planSchedule(withDb('unknown'), 10).admit).toEqual(['web']);
    expect(planSchedule(withDb('healthy'), 10).admit).toEqual(['web']);
    expect(planSchedule(withDb('unhealthy'), 10).admit).toEqual([]);
  });
});
