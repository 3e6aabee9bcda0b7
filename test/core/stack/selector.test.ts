import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../src/core/stack/graph.js';
import {
  describeUnknown,
  familyMembers,
  instancesNamed,
  instancesToStart,
  judgeRequest,
  parseSelector,
  resolveSelectors,
  type Selectable,
} from '../../../src/core/stack/selector.js';
import { makeSpecs } from '../helpers.js';

/** web with two instances, worker and ticker with one each, in declaration order. */
const DECLARED: readonly Selectable[] = [
  { name: 'web-0', family: 'web' },
  { name: 'web-1', family: 'web' },
  { name: 'worker', family: 'worker' },
  { name: 'ticker', family: 'ticker' },
];

const resolve = (...names: string[]) => resolveSelectors(DECLARED, names.map(parseSelector));

describe('resolveSelectors', () => {
  it('a process name selects all its instances; the process is selected whole', () => {
    expect(resolve('web')).toEqual({
      ok: true,
      selection: { instances: ['web-0', 'web-1'], processes: ['web'] },
    });
  });

  it('an instance name selects that instance alone', () => {
    expect(resolve('web-1')).toEqual({
      ok: true,
      selection: { instances: ['web-1'], processes: [] },
    });
  });

  it('`all` selects every process whole', () => {
    expect(resolve('all')).toEqual({
      ok: true,
      selection: {
        instances: ['web-0', 'web-1', 'worker', 'ticker'],
        processes: ['web', 'worker', 'ticker'],
      },
    });
  });

  it('answers in declaration order, each instance once, whatever the order and repeats', () => {
    expect(resolve('ticker', 'web-1', 'web', 'ticker')).toEqual({
      ok: true,
      selection: { instances: ['web-0', 'web-1', 'ticker'], processes: ['web', 'ticker'] },
    });
  });

  it('one unknown name fails the whole resolution, naming it', () => {
    expect(resolve('web', 'worker', 'nope')).toEqual({
      ok: false,
      unknown: ['nope'],
      message: 'no process named nope',
    });
  });

  it('names every unknown name once, in the order given', () => {
    expect(resolve('nada', 'web', 'nope', 'nada')).toEqual({
      ok: false,
      unknown: ['nada', 'nope'],
      message: 'no processes named nada, nope',
    });
  });

  it('a process name is not a prefix match, and an instance is not its process', () => {
    expect(resolve('we').ok).toBe(false);
    expect(resolve('web-2').ok).toBe(false);
  });

  it('selects nothing from nothing, and `all` of nothing is nothing', () => {
    expect(resolve()).toEqual({ ok: true, selection: { instances: [], processes: [] } });
    expect(resolveSelectors([], [parseSelector('all')])).toEqual({
      ok: true,
      selection: { instances: [], processes: [] },
    });
  });
});

describe('describeUnknown', () => {
  it('reads as a sentence for one name or several', () => {
    expect(describeUnknown(['x'])).toBe('no process named x');
    expect(describeUnknown(['x', 'y'])).toBe('no processes named x, y');
  });
});

describe('judgeRequest', () => {
  const whole = true;
  const alone = false;
  const refused = 'web-0 is not running (stopped)';

  it('goes to every selected instance when none refuses', () => {
    expect(judgeRequest(whole, [undefined, undefined])).toEqual({ ok: true, accepted: [0, 1] });
  });

  it('an instance named alone that refuses refuses the request: nothing is done', () => {
    expect(judgeRequest(alone, [refused])).toEqual({ ok: false, refusal: refused });
  });

  it('a process named whole, or all, goes to the instances it applies to, refused only when none', () => {
    expect(judgeRequest(whole, [refused, undefined])).toEqual({ ok: true, accepted: [1] });
    expect(judgeRequest(whole, [refused, undefined, refused])).toEqual({ ok: true, accepted: [1] });
    expect(judgeRequest(whole, [refused, refused])).toEqual({ ok: false, refusal: refused });
    expect(judgeRequest(whole, [])).toEqual({ ok: true, accepted: [] });
  });
});

describe('instancesToStart', () => {
  // web (two instances) depends on api (two instances), which depends on db.
  const specs = [
    ...makeSpecs({ name: 'web', instances: 2, depends_on: ['api'] }),
    ...makeSpecs({ name: 'api', instances: 2, depends_on: ['db'] }),
    ...makeSpecs({ name: 'db' }),
    ...makeSpecs({ name: 'lone' }),
  ];
  const start = (...names: string[]) => {
    const resolved = resolveSelectors(specs, names.map(parseSelector));
    if (!resolved.ok) throw new Error(resolved.message);
    return instancesToStart(specs, buildGraph(specs), resolved.selection);
  };

  it('a process starts whole, with every instance of what it depends on', () => {
    expect(start('web')).toEqual(['web-0', 'web-1', 'api-0', 'api-1', 'db']);
  });

  it('an instance named alone starts alone; what it needs still starts whole', () => {
    expect(start('web-1')).toEqual(['web-1', 'api-0', 'api-1', 'db']);
    // web waits for every instance of api: naming one of them does not leave the other out.
    expect(start('api-0', 'web')).toEqual(['web-0', 'web-1', 'api-0', 'api-1', 'db']);
    expect(start('api-1', 'lone')).toEqual(['api-1', 'db', 'lone']);
  });

  it('all starts everything', () => {
    expect(start('all')).toEqual(specs.map((spec) => spec.name));
  });
});

describe('instancesNamed', () => {
  it.each([
    ['a process: every instance of it', 'web', ['web-0', 'web-1']],
    ['an instance: that one', 'web-1', ['web-1']],
    ['a process of one instance: it', 'worker', ['worker']],
    ['`all`: nothing, it is no selector here', 'all', []],
    ['an unknown name: nothing', 'nope', []],
  ])('%s', (_, name, expected) => {
    expect(instancesNamed(DECLARED, name)).toEqual(expected);
  });
});

describe('familyMembers', () => {
  it('lists every instance of a process in declaration order, and none of an instance name', () => {
    expect(familyMembers(DECLARED, 'web')).toEqual([DECLARED[0], DECLARED[1]]);
    expect(familyMembers(DECLARED, 'web-0')).toEqual([]);
  });
});
