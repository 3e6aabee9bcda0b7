/**
 * The desired state of a stack: "stopped on request stays stopped". What the user asked of
 * each instance outlives the supervisor that was asked (a daemon keeps it in its store), and
 * decides what a later `up` with no names, or a changed config, may start: never an instance
 * stopped on request, nor what waits on a process all of whose instances are.
 *
 * For a process on a schedule, running is wished of its schedule: `up` turns the schedule on
 * (it waits `scheduled` for its next fire), and one stopped on request keeps its schedule off,
 * here and in the next supervisor, until it is started or brought up by name.
 */
import { type DependencyGraph, withDependents } from './graph.js';
import { parseSelector, type Resolution, resolveSelectors, type Selectable } from './selector.js';

/** What was last asked of an instance: to run (`up`, `start`, `restart`) or to stop. */
export type Wish = 'running' | 'stopped';

/** What a request says of the instances it is accepted for: `stop` wants them stopped, `start` and `restart` running. */
export function wishOf(request: 'start' | 'stop' | 'restart'): Wish {
  return request === 'stop' ? 'stopped' : 'running';
}

/** The wishes that matter for what starts: the instances stopped on request. An immutable value. */
export interface DesiredState {
  /** Instance names stopped on request and not asked to run since. */
  readonly stopped: ReadonlySet<string>;
}

/** Nothing was ever asked: every instance may start. */
export const NOTHING_STOPPED: DesiredState = { stopped: new Set() };

/** The desired state that remembered wishes (instance name, wish or `null` for none) describe. */
export function desiredStateOf(wishes: Iterable<readonly [string, Wish | null]>): DesiredState {
  const stopped = new Set<string>();
  for (const [name, wish] of wishes) if (wish === 'stopped') stopped.add(name);
  return { stopped };
}

/** `state` once `names` have been asked to be in `wish`; `state` itself is left as it was. */
export function withWish(state: DesiredState, names: readonly string[], wish: Wish): DesiredState {
  const stopped = new Set(state.stopped);
  for (const name of names) {
    if (wish === 'stopped') stopped.add(name);
    else stopped.delete(name);
  }
  return { stopped };
}

/**
 * The instances that may start without anyone naming them (in declaration order): not
 * stopped on request, and not in a process that depends, even transitively, on a process
 * whose every instance is. With `families`, only instances of those processes (what a
 * changed config touched).
 */
export function startable(
  state: DesiredState,
  declared: readonly Selectable[],
  graph: DependencyGraph,
  families?: ReadonlySet<string>,
): string[] {
  // One pass, not one per process: stacks of thousands of instances are common enough.
  const withOneNotStopped = new Set(
    declared
      .filter((instance) => !state.stopped.has(instance.name))
      .map((instance) => instance.family),
  );
  const whollyStopped = [...graph.keys()].filter((family) => !withOneNotStopped.has(family));
  const blocked = new Set(withDependents(graph, whollyStopped));
  return declared
    .filter((instance) => !blocked.has(instance.family) && !state.stopped.has(instance.name))
    .filter((instance) => !families || families.has(instance.family))
    .map((instance) => instance.name);
}

/** What `up` does to the desired state, and what it asks the supervisor to start. */
export type UpPlan =
  | {
      readonly ok: true;
      /** The instances asked to run by name: their stopped-on-request mark is cleared. */
      readonly wanted: readonly string[];
      /** The desired state once they are. */
      readonly state: DesiredState;
      /** The selectors to start, with what they depend on. */
      readonly start: readonly string[];
    }
  | Extract<Resolution, { ok: false }>;

/**
 * What `up` means given the desired state. With names, the instances they select are asked
 * to run (which clears their stopped-on-request mark) and they start with what they depend
 * on; with none, every `startable` instance starts and no wish changes. A name that selects
 * nothing makes the whole plan fail, naming every such name, so nothing is remembered.
 */
export function planUp(
  state: DesiredState,
  declared: readonly Selectable[],
  graph: DependencyGraph,
  names: readonly string[] = [],
): UpPlan {
  if (names.length === 0) {
    return { ok: true, wanted: [], state, start: startable(state, declared, graph) };
  }
  const resolved = resolveSelectors(declared, names.map(parseSelector));
  if (!resolved.ok) return resolved;
  const wanted = resolved.selection.instances;
  return { ok: true, wanted, state: withWish(state, wanted, 'running'), start: names };
}
