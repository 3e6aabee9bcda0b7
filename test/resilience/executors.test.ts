import { describe, expect, it, vi } from 'vitest';
import { BreakerRegistry } from '../../src/resilience/breaker-registry.js';
import { circuitBreaker } from '../../src/resilience/circuit-breaker.js';
import { createExecutors } from '../../src/resilience/executors.js';
import { presetFor, presets, withOverrides } from '../../src/resilience/presets.js';

const down = () =>
  vi.fn(async (): Promise<string> => {
    throw new Error('down');
  });

/** Production's policies, with a breaker that opens at the first failure and no retry. */
const touchy = withOverrides(presets.production, {
  api: {
    retry: false,
    breaker: { opensAfter: { consecutive: 1 }, halfOpenAfter: '1m' },
    timeout: false,
  },
});

describe('createExecutors', () => {
  it('gives the executors of one name one breaker and one count, each call site its own fallback', async () => {
    const executors = createExecutors({ preset: touchy, clock: () => 1_000 });
    const first = await executors.forApi('billing', 'from cache').execute(down());
    const second = await executors.forApi('billing', () => 'from defaults').execute(down());
    expect(first).toMatchObject({ data: 'from cache', attempts: 1 });
    expect(second).toMatchObject({ data: 'from defaults', attempts: 0 });
    expect(executors.breakers.get('billing')?.state()).toEqual({ kind: 'open', until: 61_000 });
    expect(executors.stats()).toEqual([
      {
        name: 'billing',
        calls: { success: 0, failure: 1, rejected: 1, aborted: 0 },
        fallbacks: 2,
        retries: 0,
        timeouts: 0,
        bulkheadRejections: 0,
      },
    ]);
    expect(executors.breakerStats()).toEqual([
      {
        name: 'billing',
        state: { kind: 'open', until: 61_000 },
        calls: 1,
        successes: 0,
        failures: 1,
        rejections: 1,
        openings: 1,
        lastChangeAt: 1_000,
      },
    ]);
  });

  it('gives each kind the preset policies of its kind', () => {
    const executors = createExecutors({ preset: presets.production });
    const api = executors.forApi('billing').policies;
    const database = executors.forDatabase('users').policies;
    const job = executors.forJob('reports').policies;
    expect(Object.keys(api).sort()).toEqual(['breaker', 'retry', 'timeout']);
    expect(Object.keys(database).sort()).toEqual(['breaker', 'bulkhead', 'retry', 'timeout']);
    expect(Object.keys(job).sort()).toEqual(['retry', 'timeout']);
    expect(executors.breakers.names()).toEqual(['billing', 'users']);
  });

  it('refuses one name for two kinds, and other policies for a custom name', () => {
    const executors = createExecutors({ preset: presets.production });
    executors.forApi('billing');
    expect(() => executors.forDatabase('billing')).toThrow(
      'executor name billing is taken by forApi: forDatabase needs another',
    );
    executors.custom('ledger', { retry: { attempts: 2 } });
    expect(() => executors.custom('ledger', { retry: { attempts: 2 } })).not.toThrow();
    expect(() => executors.custom('ledger', { retry: { attempts: 9 } })).toThrow(
      'executor ledger already has other policies of its own',
    );
  });

  it('turns the toolkit off for every executor already made with configure, counts kept', async () => {
    const executors = createExecutors({ preset: touchy });
    const billing = executors.forApi('billing', 'stale');
    await billing.execute(down());
    executors.configure({ preset: presets.disabled });
    const work = down();
    const result = await billing.execute(work);
    expect(result).toMatchObject({ success: false, attempts: 1, usedFallback: false });
    expect(billing.policies).toEqual({});
    expect(billing.stats().calls.failure).toBe(2);
  });

  it('carries a breaker state over when configure swaps the policies', async () => {
    const executors = createExecutors({ preset: touchy, clock: () => 5 });
    await executors.forApi('billing').execute(down());
    executors.configure({ preset: touchy, overrides: { api: { timeout: '3s' } } });
    expect(executors.forApi('billing').policies.breaker?.state()).toEqual({
      kind: 'open',
      until: 60_005,
    });
  });

  it('picks the preset of NODE_ENV by name', () => {
    expect(presetFor('production')).toBe(presets.production);
    expect(presetFor('test')).toBe(presets.testing);
    expect(presetFor(undefined)).toBe(presets.development);
  });
});

describe('BreakerRegistry', () => {
  const breaker = (name: string, clock = () => 0) =>
    circuitBreaker({ name, opensAfter: { consecutive: 1 }, halfOpenAfter: 1_000, clock });

  it('restores breakers written before a restart, those made later included', async () => {
    const before = new BreakerRegistry();
    const billing = before.add(breaker('billing'));
    await billing.execute(down()).catch(() => undefined);
    const saved = JSON.parse(JSON.stringify(before));

    const after = new BreakerRegistry();
    after.restore(saved);
    expect(after.waiting()).toEqual(['billing']);
    const again = after.add(breaker('billing'));
    expect(again.state()).toEqual({ kind: 'open', until: 1_000 });
    expect(after.waiting()).toEqual([]);
  });

  it('refuses a bad saved state whole, naming the entry, and changes nothing', () => {
    const registry = new BreakerRegistry();
    registry.add(breaker('billing'));
    expect(() =>
      registry.restore([
        { name: 'billing', state: { kind: 'open', until: 5 }, openings: 1 },
        { name: 'users', state: { kind: 'ajar' }, openings: 0 },
      ]),
    ).toThrow('serialized circuit breaker 1: not a serialized circuit breaker: unknown state');
    expect(registry.get('billing')?.state()).toEqual({ kind: 'closed' });
    expect(() => registry.restore({})).toThrow('expected an array');
  });

  it('tells onAdd of each breaker added or put in the place of another, once', () => {
    const registry = new BreakerRegistry();
    const told: string[] = [];
    const stop = registry.onAdd((added) => told.push(added.name));
    const billing = registry.add(breaker('billing'));
    registry.add(billing);
    registry.replace(breaker('billing'));
    stop();
    registry.add(breaker('users'));
    expect(told).toEqual(['billing', 'billing']);
  });

  it('refuses a second breaker under a name taken', () => {
    const registry = new BreakerRegistry();
    registry.add(breaker('billing'));
    expect(() => registry.add(breaker('billing'))).toThrow(
      'a circuit breaker named billing is already registered',
    );
  });
});
