import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../src/core/stack/graph.js';
import {
  describeUnknown,
  familyMembers,
  instancesNamed,
  instancesToStart,
  judgeRequest,
  type NamespacedSelectable,
  namespacesOf,
  parseSelector,
  requestTargetOf,
  resolveSelectors,
  resolveTarget,
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
  const several = false;
  const single = true;
  const refused = 'web-0 is not running (stopped)';

  it('goes to every selected instance when none refuses', () => {
    expect(judgeRequest(several, [undefined, undefined])).toEqual({ ok: true, accepted: [0, 1] });
    expect(judgeRequest(single, [undefined])).toEqual({ ok: true, accepted: [0] });
  });

  it('one instance named alone that refuses refuses the request: nothing is done', () => {
    expect(judgeRequest(single, [refused])).toEqual({ ok: false, refusal: refused });
  });

  it('a selector standing for several goes to the instances it applies to, and is never refused for the rest', () => {
    expect(judgeRequest(several, [refused, undefined])).toEqual({ ok: true, accepted: [1] });
    expect(judgeRequest(several, [refused, undefined, refused])).toEqual({
      ok: true,
      accepted: [1],
    });
    // `stop -n backend` with all of backend stopped: nothing to do, successfully.
    expect(judgeRequest(several, [refused, refused])).toEqual({ ok: true, accepted: [] });
    expect(judgeRequest(several, [])).toEqual({ ok: true, accepted: [] });
  });
});

describe('resolveTarget', () => {
  /** web (two instances) and ticker in frontend, worker and db in backend, cron in default. */
  const NAMESPACED: readonly NamespacedSelectable[] = [
    { name: 'web-0', family: 'web', namespace: 'frontend' },
    { name: 'web-1', family: 'web', namespace: 'frontend' },
    { name: 'worker', family: 'worker', namespace: 'backend' },
    { name: 'db', family: 'db', namespace: 'backend' },
    { name: 'ticker', family: 'ticker', namespace: 'frontend' },
    { name: 'cron', family: 'cron', namespace: 'default' },
  ];
  const target = (names: string[], namespace?: string) =>
    resolveTarget(NAMESPACED, namespace === undefined ? { names } : { names, namespace });

  it('a namespace alone is every process in it, in declaration order', () => {
    expect(resolveTarget(NAMESPACED, { namespace: 'backend' })).toEqual({
      ok: true,
      selection: { instances: ['worker', 'db'], processes: ['worker', 'db'] },
      single: false,
    });
  });

  it('no names and no namespace is everything', () => {
    const resolved = resolveTarget(NAMESPACED, {});
    expect(resolved.ok && resolved.selection.instances).toEqual(NAMESPACED.map((one) => one.name));
  });

  it('names with a namespace are those names, within it; all is the namespace', () => {
    expect(target(['web-1', 'ticker'], 'frontend')).toMatchObject({
      ok: true,
      selection: { instances: ['web-1', 'ticker'] },
    });
    expect(target(['all'], 'frontend')).toMatchObject({
      selection: { instances: ['web-0', 'web-1', 'ticker'] },
    });
  });

  it('an unknown namespace fails, naming it and the namespaces there are', () => {
    expect(resolveTarget(NAMESPACED, { namespace: 'nope', names: ['web'] })).toEqual({
      ok: false,
      code: 'UNKNOWN_NAMESPACE',
      unknown: ['nope'],
      message: 'no namespace named nope (namespaces: backend, default, frontend)',
    });
  });

  it('with nothing declared, says so rather than listing no namespace', () => {
    expect(resolveTarget([], { namespace: 'backend' })).toMatchObject({
      message: 'no namespace named backend (no process is declared)',
    });
  });

  it('a name outside the namespace fails, saying where it is', () => {
    expect(target(['web', 'worker', 'nope'], 'backend')).toEqual({
      ok: false,
      code: 'UNKNOWN_PROCESS',
      unknown: ['web', 'nope'],
      message: 'no processes named web, nope in namespace backend (web is in frontend)',
    });
    expect(target(['nope'])).toMatchObject({
      code: 'UNKNOWN_PROCESS',
      message: 'no process named nope',
    });
  });

  it('is single only for one name standing for one instance', () => {
    const singles = [
      target(['worker']),
      target(['web-1']),
      target(['worker'], 'backend'),
      target(['web']),
      target(['worker', 'db']),
      target(['all']),
      resolveTarget(NAMESPACED, { namespace: 'default' }),
    ].map((resolved) => resolved.ok && resolved.single);
    expect(singles).toEqual([true, true, true, false, false, false, false]);
  });

  it('a name of a command is its own request, but all within a namespace is the namespace', () => {
    expect(requestTargetOf('all', 'backend')).toEqual({ namespace: 'backend' });
    expect(requestTargetOf('all', undefined)).toBe('all');
    expect(requestTargetOf('web', 'frontend')).toBe('web');
  });

  it('lists the namespaces there are, each once, sorted', () => {
    expect(namespacesOf(NAMESPACED)).toEqual(['backend', 'default', 'frontend']);
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
