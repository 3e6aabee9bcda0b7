/**
 * The dependency graph between declared processes: integrity checks (missing names,
 * cycles), start and stop order, and whether a waiting process may start yet.
 */
import type { SpecIssue } from '../errors.js';
import { dependencyReason } from '../process/reasons.js';
import type { DependencyCondition, ProcessSpec } from '../process/spec.js';
import type { ExitInfo, ProcessState } from '../process/state.js';

/** Declared name → the declared names it depends on. */
export type DependencyGraph = ReadonlyMap<string, readonly string[]>;

/** Builds the graph between declared names (instances of one name share a node). */
export function buildGraph(specs: Iterable<ProcessSpec>): DependencyGraph {
  const graph = new Map<string, string[]>();
  for (const spec of specs) {
    if (graph.has(spec.family)) continue;
    graph.set(
      spec.family,
      spec.dependsOn.map((dependency) => dependency.name),
    );
  }
  return graph;
}

/** Every `depends_on` entry that names no declared process. */
export function findMissingDependencies(
  graph: DependencyGraph,
): Array<{ readonly process: string; readonly dependency: string }> {
  const missing: Array<{ process: string; dependency: string }> = [];
  for (const [name, dependencies] of graph) {
    for (const dependency of dependencies) {
      if (!graph.has(dependency)) missing.push({ process: name, dependency });
    }
  }
  return missing;
}

/**
 * The first dependency cycle found, as the path that closes it (`['a', 'b', 'a']`), or
 * `null`. Dependencies that are not declared are ignored here.
 */
export function findCycle(graph: DependencyGraph): string[] | null {
  const done = new Set<string>();
  const path: string[] = [];
  const onPath = new Set<string>();

  const visit = (name: string): string[] | null => {
    if (onPath.has(name)) return [...path.slice(path.indexOf(name)), name];
    if (done.has(name)) return null;
    path.push(name);
    onPath.add(name);
    for (const dependency of graph.get(name) ?? []) {
      if (!graph.has(dependency)) continue;
      const cycle = visit(dependency);
      if (cycle) return cycle;
    }
    path.pop();
    onPath.delete(name);
    done.add(name);
    return null;
  };

  for (const name of graph.keys()) {
    const cycle = visit(name);
    if (cycle) return cycle;
  }
  return null;
}

/** `a → b → a` */
export function formatCycle(cycle: readonly string[]): string {
  return cycle.join(' → ');
}

/**
 * Start order as layers: every name's dependencies sit in earlier layers, and the names
 * of a layer keep their declaration order. On a cycle (which `graphIssues` reports), the
 * edge that closes it is ignored, so stopping a broken stack still has an order.
 */
export function startLayers(graph: DependencyGraph): string[][] {
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (name: string): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    visiting.add(name);
    const dependencies = (graph.get(name) ?? []).filter(
      (dependency) => graph.has(dependency) && !visiting.has(dependency),
    );
    const value =
      dependencies.length === 0 ? 0 : 1 + Math.max(...dependencies.map((d) => depthOf(d)));
    visiting.delete(name);
    depth.set(name, value);
    return value;
  };
  const layers: string[][] = [];
  for (const name of graph.keys()) {
    const level = depthOf(name);
    while (layers.length <= level) layers.push([]);
    layers[level]!.push(name);
  }
  return layers;
}

/** Stop order: dependents before what they depend on, the reverse of `startLayers`. */
export function stopLayers(graph: DependencyGraph): string[][] {
  return startLayers(graph).reverse();
}

/** The given names and everything they depend on, transitively, in declaration order. */
export function withDependencies(graph: DependencyGraph, names: Iterable<string>): string[] {
  const selected = new Set<string>();
  const add = (name: string): void => {
    if (selected.has(name)) return;
    selected.add(name);
    for (const dependency of graph.get(name) ?? []) add(dependency);
  };
  for (const name of names) add(name);
  return [...graph.keys()].filter((name) => selected.has(name));
}

/** The given names and everything that depends on them, transitively, in declaration order. */
export function withDependents(graph: DependencyGraph, names: Iterable<string>): string[] {
  const selected = new Set(names);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [name, dependencies] of graph) {
      if (selected.has(name) || !dependencies.some((d) => selected.has(d))) continue;
      selected.add(name);
      grew = true;
    }
  }
  return [...graph.keys()].filter((name) => selected.has(name));
}

/** Whether a waiting process may start: yes, not yet, or never because a dependency failed. */
export type DependencyVerdict =
  | { readonly verdict: 'ready' }
  | {
      readonly verdict: 'wait';
      /** The first dependency not there yet. */
      readonly on: string;
      /** `waiting for db to be healthy (db is stopped)` */
      readonly reason: string;
      /**
       * True when it will not get there unless someone asks: an instance stopped (on
       * request, or never started), or itself waiting on such a one.
       */
      readonly blocked: boolean;
    }
  | { readonly verdict: 'fail'; readonly reason: string };

/**
 * Judges every dependency of `spec` against the states of its instances. Any instance
 * that failed for good, or that completed without exit code 0 where
 * `completed_successfully` is required, fails the dependent; otherwise it waits until
 * every condition holds, on the first dependency not there yet, or rather on one that will
 * not get there unasked. A dependency that failed but that its breaker will try again
 * (`retryAt`) is waited for, so the dependent comes back with it.
 */
export function judgeDependencies(
  spec: ProcessSpec,
  instancesOf: (family: string) => readonly InstanceView[],
): DependencyVerdict {
  let waiting: Extract<DependencyVerdict, { verdict: 'wait' }> | null = null;
  for (const dependency of spec.dependsOn) {
    for (const instance of instancesOf(dependency.name)) {
      const outcome = judgeCondition(dependency.condition, instance);
      if (outcome === 'fail') {
        return { verdict: 'fail', reason: `dependency ${dependency.name} failed` };
      }
      // Keep looking: a failure behind a dependency still coming up must not be left
      // waiting, and a dependency that will never come is the one worth naming.
      if (outcome !== 'wait' || waiting?.blocked) continue;
      const blocked = isStuck(instance.state);
      if (waiting && !blocked) continue;
      const { condition, name } = dependency;
      const { state, healthy } = instance;
      waiting = {
        verdict: 'wait',
        on: name,
        reason: dependencyReason(name, condition, instance.name, state, healthy),
        blocked,
      };
    }
  }
  return waiting ?? { verdict: 'ready' };
}

/**
 * A dependency that stays where it is until someone asks it to move; or one that moves
 * only when its time comes, too far off to hold a request (`up`, `start`) open for: a
 * failed one whose breaker tries it later, a job waiting for its schedule's next fire.
 */
function isStuck(state: ProcessState): boolean {
  return (
    state.status === 'stopped' ||
    state.status === 'failed' ||
    state.status === 'scheduled' ||
    (state.status === 'pending' && state.blocked)
  );
}

/** What a dependency check needs to know of one instance of a dependency. */
export interface InstanceView {
  /** The instance's own name (`db`, `db-1`), for the reason a dependent waits. */
  readonly name: string;
  readonly state: ProcessState;
  readonly healthy: boolean;
}

function judgeCondition(
  condition: DependencyCondition,
  { state, healthy }: InstanceView,
): 'ready' | 'wait' | 'fail' {
  if (state.status === 'failed') return state.retryAt === undefined ? 'fail' : 'wait';
  // A scheduled job whose last run completed has completed, as far as its dependents go:
  // it goes back to `scheduled`, never to `completed`, and would hold them back for ever.
  const ended = endedRun(state);
  if (ended) return judgeEnded(condition, ended);
  switch (condition) {
    case 'started':
      return state.status === 'running' || (state.status === 'starting' && state.pid !== null)
        ? 'ready'
        : 'wait';
    case 'healthy':
      return state.status === 'running' && healthy ? 'ready' : 'wait';
    case 'completed':
    case 'completed_successfully':
      return 'wait';
  }
}

/** The run a settled dependency ended with: a completed one, or a scheduled one's last good run. */
function endedRun(state: ProcessState): ExitInfo | undefined {
  if (state.status === 'completed') return state.lastExit;
  if (state.status === 'scheduled' && state.lastExit && state.lastFailure === null) {
    return state.lastExit;
  }
  return undefined;
}

/** A dependency that already ran to a successful end has been as started and healthy as it gets. */
function judgeEnded(condition: DependencyCondition, lastExit: ExitInfo): 'ready' | 'fail' {
  if (condition === 'completed_successfully' && lastExit.code !== 0) return 'fail';
  return 'ready';
}

/**
 * Everything wrong with the graph as a whole, with config paths: dependencies that name
 * no declared process, and the first cycle found, named in full.
 */
export function graphIssues(graph: DependencyGraph): SpecIssue[] {
  const issues: SpecIssue[] = findMissingDependencies(graph).map(({ process, dependency }) => ({
    path: `processes.${process}.depends_on.${dependency}`,
    message: `${dependency} is not a declared process`,
  }));
  const cycle = findCycle(graph);
  if (cycle) {
    issues.push({
      path: `processes.${cycle[0]}.depends_on`,
      message: `dependency cycle: ${formatCycle(cycle)}`,
    });
  }
  return issues;
}
