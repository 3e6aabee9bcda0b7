import { describe, expect, it } from 'vitest';
import { initialRecord, transition } from '../../../src/core/process/transition.js';
import {
  desiredStateOf,
  NOTHING_STOPPED,
  planUp,
  startable,
  wishOf,
  withWish,
} from '../../../src/core/stack/desired-state.js';
import { buildGraph } from '../../../src/core/stack/graph.js';
import { makeSpecs } from '../helpers.js';

// web (two instances) depends on api, which depends on db; lone depends on nothing.
const SPECS = [
  ...makeSpecs({ name: 'web', instances: 2, depends_on: ['api'] }),
  ...makeSpecs({ name: 'api', depends_on: ['db'] }),
  ...makeSpecs({ name: 'db' }),
  ...makeSpecs({ name: 'lone' }),
];
const GRAPH = buildGraph(SPECS);
const stopped = (...names: string[]) => withWish(NOTHING_STOPPED, names, 'stopped');

describe('desiredStateOf', () => {
  it('keeps the instances last asked to stop, and nothing else', () => {
    const state = desiredStateOf([
      ['web-0', 'stopped'],
      ['api', 'running'],
      ['db', null],
    ]);
    expect([...state.stopped]).toEqual(['web-0']);
  });
});

describe('withWish', () => {
  it('marks instances stopped, and clears the mark when they are asked to run', () => {
    const state = stopped('db', 'lone');
    expect([...withWish(state, ['db'], 'running').stopped]).toEqual(['lone']);
  });

  it('leaves the state it was given as it was', () => {
    const state = stopped('db');
    withWish(state, ['db'], 'running');
    withWish(state, ['lone'], 'stopped');
    expect([...state.stopped]).toEqual(['db']);
  });
});

describe('startable', () => {
  it.each([
    ['nothing stopped: everything', [], ['web-0', 'web-1', 'api', 'db', 'lone']],
    ['an instance stopped: all but it', ['web-1'], ['web-0', 'api', 'db', 'lone']],
    ['a dependency stopped: not it, nor what needs it', ['db'], ['lone']],
    ['every instance of a process: not it', ['web-0', 'web-1'], ['api', 'db', 'lone']],
  ])('%s', (_, names, expected) => {
    expect(startable(stopped(...names), SPECS, GRAPH)).toEqual(expected);
  });

  it('one instance of a process stopped does not hold back what depends on the process', () => {
    const specs = [
      ...makeSpecs({ name: 'web', depends_on: ['api'] }),
      ...makeSpecs({ name: 'api', instances: 2 }),
    ];
    expect(startable(stopped('api-0'), specs, buildGraph(specs))).toEqual(['web', 'api-1']);
  });

  it('narrowed to some processes: only their instances', () => {
    expect(startable(NOTHING_STOPPED, SPECS, GRAPH, new Set(['web', 'lone']))).toEqual([
      'web-0',
      'web-1',
      'lone',
    ]);
  });
});

describe('planUp', () => {
  it('with no names: starts what is startable and changes no wish', () => {
    const state = stopped('lone');
    expect(planUp(state, SPECS, GRAPH)).toEqual({
      ok: true,
      wanted: [],
      state,
      start: ['web-0', 'web-1', 'api', 'db'],
    });
  });

  it('with names: clears the stopped mark of what they select, and starts them', () => {
    const plan = planUp(stopped('db', 'web-0', 'lone'), SPECS, GRAPH, ['web', 'db']);
    expect(plan).toMatchObject({
      ok: true,
      wanted: ['web-0', 'web-1', 'db'],
      start: ['web', 'db'],
    });
    expect(plan.ok && [...plan.state.stopped]).toEqual(['lone']);
  });

  it('with `all`: every instance is asked to run', () => {
    const plan = planUp(stopped('db', 'lone'), SPECS, GRAPH, ['all']);
    expect(plan.ok && plan.state.stopped.size).toBe(0);
  });

  it('a name that selects nothing fails the plan, naming every such name', () => {
    expect(planUp(NOTHING_STOPPED, SPECS, GRAPH, ['nope', 'web', 'nada'])).toEqual({
      ok: false,
      unknown: ['nope', 'nada'],
      message: 'no processes named nope, nada',
    });
  });
});

describe('wishOf', () => {
  it.each([
    ['start', 'running'],
    ['restart', 'running'],
    ['stop', 'stopped'],
  ] as const)('%s → %s', (request, wish) => {
    expect(wishOf(request)).toBe(wish);
  });
});

describe('the desired state of a process on a schedule', () => {
  // report runs every minute; nightly too, and stats waits for nightly to have completed.
  const specs = [
    ...makeSpecs({ name: 'report', schedule: '* * * * *' }),
    ...makeSpecs({ name: 'nightly', schedule: '0 3 * * *' }),
    ...makeSpecs({ name: 'stats', depends_on: { nightly: 'completed' } }),
  ];
  const graph = buildGraph(specs);

  it('wanted running means its schedule is on: `up` brings it to scheduled, not to a run', () => {
    expect(startable(NOTHING_STOPPED, specs, graph)).toEqual(['report', 'nightly', 'stats']);
    const spec = specs[0]!;
    const { record } = transition(spec, initialRecord(spec, 0), { type: 'up' }, 0);
    expect(record.state.status).toBe('scheduled');
  });

  it('stopped on request, its schedule stays off at the next `up` (and in the next supervisor), and so does what needs it', () => {
    const state = withWish(NOTHING_STOPPED, ['nightly'], wishOf('stop'));
    expect(startable(state, specs, graph)).toEqual(['report']);
    const plan = planUp(state, specs, graph, ['nightly']);
    expect(plan.ok && [...plan.state.stopped]).toEqual([]);
  });
});
