/**
 * The one name resolver: what the names a command or a library call takes stand for
 * (docs/cli.md, selectors). A name is a process (every instance of it), one instance, or
 * `all`. Every name is resolved before anything is done, so a caller can refuse a request
 * naming one unknown process while nothing has changed yet.
 */
import { type DependencyGraph, withDependencies } from './graph.js';

/** The selector that stands for every declared process. No process may be named so. */
export const ALL = 'all';

/** Names a process may not take, because a selector already means something else by them. */
export const RESERVED_NAMES: readonly string[] = [ALL];

/**
 * What one selector means before it is resolved against the declared processes. A process
 * name and an instance name look alike (`web`, `web-1`): which one it is only resolution
 * can tell. Each kind of selector is one member of this union.
 */
export type Selector = { readonly kind: 'all' } | { readonly kind: 'name'; readonly name: string };

/** One declared instance, as the resolver needs to know it. */
export interface Selectable {
  /** The instance's own name (`web-1`, or `web` when it is the only one). */
  readonly name: string;
  /** The declared process it is an instance of (`web`). */
  readonly family: string;
}

/** What a list of selectors stands for. */
export interface Selection {
  /** Every selected instance, each once, in declaration order. */
  readonly instances: readonly string[];
  /**
   * The processes selected whole (named, or by `all`), in declaration order: those whose
   * every instance is meant, as opposed to one instance named alone.
   */
  readonly processes: readonly string[];
}

/** Either what the selectors stand for, or every one of them that names nothing. */
export type Resolution =
  | { readonly ok: true; readonly selection: Selection }
  | { readonly ok: false; readonly unknown: readonly string[]; readonly message: string };

/** Reads one word of a command or one argument of a call as a selector. */
export function parseSelector(text: string): Selector {
  return text === ALL ? { kind: 'all' } : { kind: 'name', name: text };
}

/**
 * Resolves `selectors` against the declared instances (in declaration order). A name that
 * is a declared process selects all its instances; one that is an instance selects that
 * instance; `all` selects every process. Any selector that matches nothing makes the whole
 * resolution fail, naming every such selector, so the caller acts on all or on none.
 */
export function resolveSelectors(
  declared: readonly Selectable[],
  selectors: readonly Selector[],
): Resolution {
  const families = new Set(declared.map((instance) => instance.family));
  const instanceNames = new Set(declared.map((instance) => instance.name));
  const wholeFamilies = new Set<string>();
  const lone = new Set<string>();
  const unknown: string[] = [];
  for (const selector of selectors) {
    if (selector.kind === 'all') {
      for (const family of families) wholeFamilies.add(family);
    } else if (families.has(selector.name)) {
      wholeFamilies.add(selector.name);
    } else if (instanceNames.has(selector.name)) {
      lone.add(selector.name);
    } else if (!unknown.includes(selector.name)) {
      unknown.push(selector.name);
    }
  }
  if (unknown.length > 0) return { ok: false, unknown, message: describeUnknown(unknown) };
  const instances = declared
    .filter((instance) => wholeFamilies.has(instance.family) || lone.has(instance.name))
    .map((instance) => instance.name);
  const processes = [...families].filter((family) => wholeFamilies.has(family));
  return { ok: true, selection: { instances, processes } };
}

/**
 * The instances one name stands for where `all` is no selector (the logs of a name): every
 * instance of a process, or the one instance named; empty when it names nothing.
 */
export function instancesNamed(declared: readonly Selectable[], name: string): string[] {
  const resolved = resolveSelectors(declared, [{ kind: 'name', name }]);
  return resolved.ok ? [...resolved.selection.instances] : [];
}

/** Every declared instance of the process `family`, in declaration order. */
export function familyMembers<T extends Selectable>(declared: readonly T[], family: string): T[] {
  return declared.filter((instance) => instance.family === family);
}

/** Which selected instances a request goes to, or why it is refused as a whole. */
export type RequestVerdict<R> =
  | { readonly ok: true; readonly accepted: readonly number[] }
  | { readonly ok: false; readonly refusal: R };

/**
 * Whether a request (start, stop, restart) on one selector goes ahead, given what each
 * instance it selects would say to it (`refusals[i]`, `undefined` when it accepts). An
 * instance named alone must accept it, or nothing is done: `stop web-1` of a stopped web-1
 * is refused. A process named whole (`web`, `selectsWhole`) or `all` means every instance
 * the request applies to: `stop web` stops the instances that run, and is refused only
 * when none does (`stop web` of a stopped web).
 */
export function judgeRequest<R>(
  selectsWhole: boolean,
  refusals: readonly (R | undefined)[],
): RequestVerdict<R> {
  const indices = refusals.map((_, index) => index);
  const accepted = indices.filter((index) => refusals[index] === undefined);
  const refusal = refusals.find((found) => found !== undefined);
  if (refusal === undefined || (selectsWhole && accepted.length > 0)) {
    return { ok: true, accepted };
  }
  return { ok: false, refusal };
}

/** `no process named nope`, or `no processes named nope, nada`. */
export function describeUnknown(unknown: readonly string[]): string {
  return unknown.length === 1
    ? `no process named ${unknown[0]}`
    : `no processes named ${unknown.join(', ')}`;
}

/** Which processes `list()` returns: all of them unless narrowed. */
export interface ProcessFilter {
  /**
   * Selectors (process names, instance names, `all`): only the instances they stand for.
   * One that names nothing is an error (`UNKNOWN_PROCESS`), not an empty answer.
   */
  readonly names?: readonly string[];
}

/**
 * The instances `up` starts for a selection, in declaration order: those selected and
 * every instance of what they depend on, transitively. A process selected whole, or
 * needed by another, starts with all its instances (a dependent waits for every one); an
 * instance named alone, and needed by nothing selected, starts alone.
 */
export function instancesToStart(
  declared: readonly Selectable[],
  graph: DependencyGraph,
  selection: Selection,
): string[] {
  const familyOf = new Map(declared.map((instance) => [instance.name, instance.family]));
  const selectedFamilies = new Set(selection.instances.map((name) => familyOf.get(name)!));
  const needed = new Set(
    withDependencies(
      graph,
      [...selectedFamilies].flatMap((family) => graph.get(family) ?? []),
    ),
  );
  const whole = new Set([...selection.processes, ...needed]);
  const picked = new Set(selection.instances);
  return declared
    .filter(({ name, family }) => whole.has(family) || picked.has(name))
    .map((instance) => instance.name);
}
