import { describe, expect, it } from 'vitest';
import type { ProcessState } from '../../../src/core/process/state.js';
import {
  buildGraph,
  type DependencyGraph,
  findCycle,
  findMissingDependencies,
  formatCycle,
  type InstanceView,
  judgeDependencies,
  startLayers,
  stopLayers,
  withDependencies,
  withDependents,
} from '../../../src/core/stack/graph.js';
import { exitInfo, makeSpec, makeSpecs, STATES } from '../helpers.js';

/** A graph from `name → dependencies`, in the order written. */
const graphOf = (entries: Record<string, string[]>): DependencyGraph =>
  new Map(Object.entries(entries));

describe('buildGraph', () => {
  it('has one node per declared name, shared by its instances, in declaration order', () => {
    const specs = [
      ...makeSpecs({ name: 'web', instances: 2, depends_on: ['api'] }),
      ...makeSpecs({ name: 'api', depends_on: { db: 'healthy', cache: 'started' } }),
      ...makeSpecs({ name: 'db' }),
    ];
    expect([...buildGraph(specs)]).toEqual([
      ['web', ['api']],
      ['api', ['db', 'cache']],
      ['db', []],
    ]);
  });
});

describe('findMissingDependencies', () => {
  it('lists every dependency that names no declared process', () => {
    const graph = graphOf({ web: ['api', 'auth'], api: ['db'] });
    expect(findMissingDependencies(graph)).toEqual([
      { process: 'web', dependency: 'auth' },
      { process: 'api', dependency: 'db' },
    ]);
  });

  it('is empty when every dependency is declared', () => {
    expect(findMissingDependencies(graphOf({ web: ['api'], api: [] }))).toEqual([]);
  });
});

describe('findCycle', () => {
  it('is null for an acyclic graph, even with shared dependencies', () => {
    expect(findCycle(graphOf({ web: ['api', 'db'], api: ['db'], db: [] }))).toBeNull();
  });

  it('names a two-process cycle as the path that closes it', () => {
    const cycle = findCycle(graphOf({ a: ['b'], b: ['a'] }));
    expect(cycle).toEqual(['a', 'b', 'a']);
    expect(formatCycle(cycle!)).toBe('a → b → a');
  });

  it('names a longer cycle', () => {
    expect(findCycle(graphOf({ a: ['b'], b: ['c'], c: ['a'] }))).toEqual(['a', 'b', 'c', 'a']);
  });

  it('finds a process that depends on itself', () => {
    const cycle = findCycle(graphOf({ web: [], a: ['a'] }));
    expect(formatCycle(cycle!)).toBe('a → a');
  });

  it('reports only the cycle, not the path that led into it', () => {
    expect(findCycle(graphOf({ web: ['a'], a: ['b'], b: ['a'] }))).toEqual(['a', 'b', 'a']);
  });

  it('ignores dependencies that are not declared', () => {
    expect(findCycle(graphOf({ a: ['ghost'], b: ['a'] }))).toBeNull();
  });
});

describe('startLayers and stopLayers', () => {
  const graph = graphOf({
    web: ['api'],
    worker: ['db', 'queue'],
    api: ['db', 'cache'],
    db: [],
    queue: [],
    cache: ['ghost'],
  });

  it('puts every process after its dependencies, keeping declaration order within a layer', () => {
    expect(startLayers(graph)).toEqual([['db', 'queue', 'cache'], ['worker', 'api'], ['web']]);
  });

  it('stops dependents before what they depend on', () => {
    expect(stopLayers(graph)).toEqual([['web'], ['worker', 'api'], ['db', 'queue', 'cache']]);
  });

  it('places a process by its longest dependency chain', () => {
    expect(startLayers(graphOf({ c: ['a', 'b'], b: ['a'], a: [] }))).toEqual([['a'], ['b'], ['c']]);
  });

  it('is empty for an empty graph', () => {
    expect(startLayers(new Map())).toEqual([]);
  });
});

describe('withDependencies', () => {
  const graph = graphOf({ web: ['api'], api: ['db'], db: [], worker: ['db'], docs: [] });

  it('closes the selection over dependencies, transitively, in declaration order', () => {
    expect(withDependencies(graph, ['web'])).toEqual(['web', 'api', 'db']);
  });

  it('includes a shared dependency once', () => {
    expect(withDependencies(graph, ['worker', 'web'])).toEqual(['web', 'api', 'db', 'worker']);
  });

  it('drops names that are not declared', () => {
    expect(withDependencies(graphOf({ a: ['ghost'] }), ['a', 'nobody'])).toEqual(['a']);
  });
});

describe('withDependents', () => {
  const graph = graphOf({ web: ['api'], api: ['db'], db: [], worker: ['db'], docs: [] });

  it('closes the selection over dependents, transitively, in declaration order', () => {
    expect(withDependents(graph, ['db'])).toEqual(['web', 'api', 'db', 'worker']);
    expect(withDependents(graph, ['api'])).toEqual(['web', 'api']);
  });

  it('leaves a name nothing depends on alone, and drops names not declared', () => {
    expect(withDependents(graph, ['docs', 'nobody'])).toEqual(['docs']);
    expect(withDependents(graph, [])).toEqual([]);
  });
});

describe('judgeDependencies', () => {
  const running: ProcessState = STATES.running;
  const completedWith = (code: number): ProcessState => ({
    status: 'completed',
    since: 0,
    lastExit: exitInfo({ code }),
  });
  const view = (state: ProcessState, healthy = true): InstanceView => ({
    name: 'db',
    state,
    healthy,
  });

  /** Judges `web`, depending on `db` with `condition`, against the given instances of db. */
  const judge = (condition: string, ...instances: InstanceView[]) =>
    judgeDependencies(makeSpec({ name: 'web', depends_on: { db: condition } as never }), (group) =>
      group === 'db' ? instances : [],
    );

  it('is ready without dependencies', () => {
    expect(judgeDependencies(makeSpec(), () => [])).toEqual({ verdict: 'ready' });
  });

  it.each([
    ['started', 'starting (no pid)', 'wait'],
    ['started', 'starting', 'ready'],
    ['started', 'running', 'ready'],
    ['started', 'completed', 'ready'],
    ['started', 'pending', 'wait'],
    ['started', 'backoff', 'wait'],
    ['started', 'stopping', 'wait'],
    ['started', 'stopped', 'wait'],
    ['healthy', 'starting', 'wait'],
    ['healthy', 'running', 'ready'],
    ['healthy', 'completed', 'ready'],
    ['healthy', 'backoff', 'wait'],
    ['completed', 'running', 'wait'],
    ['completed', 'completed', 'ready'],
    ['completed_successfully', 'running', 'wait'],
    ['completed_successfully', 'completed', 'ready'],
  ] as const)('%s: a dependency that is %s → %s', (condition, label, verdict) => {
    expect(judge(condition, view(STATES[label])).verdict).toBe(verdict);
  });

  it('healthy: a running dependency whose probe turned bad holds the dependent back', () => {
    expect(judge('healthy', view(running, false))).toEqual({
      verdict: 'wait',
      on: 'db',
      reason: 'waiting for db to be healthy (db is running, unhealthy)',
      blocked: false,
    });
  });

  it.each(['started', 'healthy', 'completed', 'completed_successfully'])(
    '%s: a failed dependency fails the dependent, naming it',
    (condition) => {
      expect(judge(condition, view(STATES.failed))).toEqual({
        verdict: 'fail',
        reason: 'dependency db failed',
      });
    },
  );

  it('completed accepts any accepted exit code; completed_successfully only 0', () => {
    expect(judge('completed', view(completedWith(3))).verdict).toBe('ready');
    expect(judge('completed_successfully', view(completedWith(3)))).toEqual({
      verdict: 'fail',
      reason: 'dependency db failed',
    });
  });

  it('a scheduled dependency whose last run completed counts as completed; before its first run, or after a failed one, it is waited for', () => {
    const scheduled = (lastExit: ReturnType<typeof exitInfo> | null, lastFailure: string | null) =>
      view({ status: 'scheduled', since: 0, nextRunAt: 60_000, lastExit, lastFailure });
    expect(judge('completed', scheduled(exitInfo({ code: 0 }), null)).verdict).toBe('ready');
    expect(judge('completed_successfully', scheduled(exitInfo({ code: 0 }), null)).verdict).toBe(
      'ready',
    );
    expect(judge('completed', scheduled(null, null)).verdict).toBe('wait');
    expect(judge('completed', scheduled(exitInfo({ code: 1 }), 'exited with code 1')).verdict).toBe(
      'wait',
    );
  });

  // Regression: `up` waited until its timeout on a yearly migration that had not run yet.
  it('up waits on no scheduled dependency: a wait on a job before its fire is blocked', () => {
    const scheduled = view({
      status: 'scheduled',
      since: 0,
      nextRunAt: 60_000,
      lastExit: null,
      lastFailure: null,
    });
    expect(judge('completed_successfully', scheduled)).toMatchObject({
      verdict: 'wait',
      blocked: true,
    });
  });

  it('requires every instance of the dependency to satisfy the condition', () => {
    expect(judge('started', view(running), view(STATES.pending))).toEqual({
      verdict: 'wait',
      on: 'db',
      reason: 'waiting for db to start (db is pending)',
      blocked: false,
    });
    expect(judge('started', view(running), view(running)).verdict).toBe('ready');
    expect(judge('started', view(running), view(STATES.failed)).verdict).toBe('fail');
  });

  it('waits on the first dependency that does not hold yet', () => {
    const spec = makeSpec({ name: 'web', depends_on: ['db', 'cache'] });
    const states: Record<string, ProcessState> = { db: running, cache: STATES.pending };
    expect(judgeDependencies(spec, (group) => [view(states[group]!)])).toMatchObject({
      verdict: 'wait',
      on: 'cache',
    });
  });

  // Regression: a failure behind a dependency still coming up left the dependent pending.
  it('fails at once when a later dependency failed, even while an earlier one is pending', () => {
    const spec = makeSpec({ name: 'web', depends_on: ['db', 'cache'] });
    const states: Record<string, ProcessState> = { db: STATES.pending, cache: STATES.failed };
    expect(judgeDependencies(spec, (group) => [view(states[group]!)])).toEqual({
      verdict: 'fail',
      reason: 'dependency cache failed',
    });
    expect(judge('started', view(STATES.pending), view(STATES.failed)).verdict).toBe('fail');
  });
});

describe('startLayers on a broken graph', () => {
  it('still orders a cycle by ignoring the edge that closes it, so a shutdown has an order', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['a']],
      ['c', ['a']],
    ]);
    const layers = startLayers(graph);
    expect(layers.flat().sort()).toEqual(['a', 'b', 'c']);
    expect(layers.findIndex((layer) => layer.includes('c'))).toBeGreaterThan(
      layers.findIndex((layer) => layer.includes('a')),
    );
  });
});
