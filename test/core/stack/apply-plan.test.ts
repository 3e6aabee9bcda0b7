import { describe, expect, it } from 'vitest';
import { type ApplySide, planApply, sameData } from '../../../src/core/stack/apply-plan.js';

/** Definitions as plain data: a name and whatever else the config says. */
type Written = { readonly name: string } & Record<string, unknown>;

const side = (definitions: readonly Written[], sandbox?: unknown): ApplySide => ({
  definitions,
  sandbox,
});

describe('planApply', () => {
  const before = side([
    { name: 'db', command: 'postgres', env: { PGPORT: '5432' } },
    { name: 'api', command: 'node api.js', depends_on: ['db'] },
    { name: 'old', command: 'sleep 1' },
  ]);

  it('adds what is new, changes what differs, removes what is gone, leaves the rest', () => {
    const after = side([
      { name: 'db', command: 'postgres', env: { PGPORT: '5432' } },
      { name: 'api', command: 'node api.js', depends_on: ['db', 'cache'] },
      { name: 'cache', command: 'redis-server' },
    ]);
    expect(planApply(before, after)).toEqual({
      added: ['cache'],
      changed: ['api'],
      removed: ['old'],
    });
  });

  it('the same config changes nothing', () => {
    expect(planApply(before, before)).toEqual({ added: [], changed: [], removed: [] });
  });

  it('keys written in another order change nothing', () => {
    const reordered = side([
      { env: { PGPORT: '5432' }, command: 'postgres', name: 'db' },
      { depends_on: ['db'], name: 'api', command: 'node api.js' },
      { command: 'sleep 1', name: 'old' },
    ]);
    expect(planApply(before, reordered)).toEqual({ added: [], changed: [], removed: [] });
  });

  it('a changed sandbox changes every process', () => {
    const stricter = { ...before, sandbox: { allowedCommands: ['node'] } };
    expect(planApply(before, stricter).changed).toEqual(['db', 'api', 'old']);
  });

  it('a sandbox with its keys in another order is the same sandbox', () => {
    const a = side([], { allowedCommands: ['node'], restrictedPaths: ['/etc'] });
    const b = side([], { restrictedPaths: ['/etc'], allowedCommands: ['node'] });
    expect(planApply(a, b).changed).toEqual([]);
  });
});

describe('sameData', () => {
  it.each([
    ['equal primitives', 1, 1, true],
    ['different primitives', '1', 1, false],
    ['objects in any key order', { a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 }, true],
    ['a different nested value', { a: { b: 1 } }, { a: { b: 2 } }, false],
    ['arrays in another order', [1, 2], [2, 1], false],
    ['an array and an object', [], {}, false],
    ['a key more', { a: 1 }, { a: 1, b: 2 }, false],
    ['a key whose value is undefined, as absent', { a: 1, b: undefined }, { a: 1 }, true],
    ['null and an object', null, {}, false],
    ['undefined and undefined', undefined, undefined, true],
  ])('%s', (_, a, b, same) => {
    expect(sameData(a, b)).toBe(same);
    expect(sameData(b, a)).toBe(same);
  });
});
