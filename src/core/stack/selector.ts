/**
 * The one name resolver: what the names a command or a library call takes stand for
 * (docs/cli.md, selectors). A name is a process (every instance of it), one instance, or
 * `all`; a namespace (`-n backend`) narrows them, or stands alone for every process in it.
 * Every name is resolved before anything is done, so a caller can refuse a request naming
 * one unknown process or namespace while nothing has changed yet.
 */
import { OverseerError } from '../errors.js';
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

/** One declared instance with the namespace its process is in. */
export interface NamespacedSelectable extends Selectable {
  readonly namespace: string;
}

/**
 * What a command or a call names: selectors (all when none), within one namespace when
 * `namespace` is given. `{namespace: 'backend'}` is every process of backend;
 * `{names: ['web'], namespace: 'backend'}` is web, which must be in backend.
 */
export interface Target {
  readonly names?: readonly string[];
  readonly namespace?: string;
}

/**
 * What a request (start, stop, restart…) acts on: a selector (`web`, `web-1`, `all`), or
 * every process of a namespace (`{namespace: 'backend'}`).
 */
export type RequestTarget = string | { readonly namespace: string };

/**
 * The request one name of a command sends, within `namespace` when one is given: the name
 * itself, but `all` within a namespace is that namespace (sent as `all`, it would reach
 * every process of every namespace). Any other name stands for the same processes in or
 * out of its namespace, once resolution has checked it is in it.
 */
export function requestTargetOf(name: string, namespace: string | undefined): RequestTarget {
  return name === ALL && namespace !== undefined ? { namespace } : name;
}

/**
 * The target a request names, as the resolver reads it. A library caller in plain
 * JavaScript can pass anything: what is neither a name nor `{ namespace }` is refused.
 */
export function targetOfRequest(target: RequestTarget): Target {
  if (typeof target === 'string') return { names: [target] };
  const namespace = (target as { namespace?: unknown } | null | undefined)?.namespace;
  if (typeof namespace !== 'string') {
    throw new OverseerError(
      'BAD_REQUEST',
      `expected a target: a process name, an instance, '${ALL}' or { namespace }; got ${JSON.stringify(target) ?? String(target)}`,
    );
  }
  return { namespace };
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

/** What a target stands for, or what names nothing: a namespace, or names within the scope. */
export type TargetResolution =
  | { readonly ok: true; readonly selection: Selection; readonly single: boolean }
  | {
      readonly ok: false;
      readonly code: 'UNKNOWN_PROCESS' | 'UNKNOWN_NAMESPACE';
      readonly unknown: readonly string[];
      readonly message: string;
    };

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
 * Resolves a target: its names (every process when there are none) among the processes of
 * its namespace (of every namespace when it has none). A namespace no process is in fails
 * the resolution, naming the namespaces there are; so does a name that is not in the
 * namespace, saying where it is. `single` is true when the target names exactly one
 * instance by name (`web-1`, or `web` of one instance): only such a request is refused for
 * what it asks being so already (see `judgeRequest`).
 */
export function resolveTarget(
  declared: readonly NamespacedSelectable[],
  target: Target,
): TargetResolution {
  const { namespace } = target;
  const scope =
    namespace === undefined ? declared : declared.filter((one) => one.namespace === namespace);
  if (namespace !== undefined && scope.length === 0) {
    const message = describeUnknownNamespace(namespace, namespacesOf(declared));
    return { ok: false, code: 'UNKNOWN_NAMESPACE', unknown: [namespace], message };
  }
  const names = target.names !== undefined && target.names.length > 0 ? target.names : [ALL];
  const resolved = resolveSelectors(scope, names.map(parseSelector));
  if (!resolved.ok) {
    const message =
      namespace === undefined
        ? resolved.message
        : describeOutside(resolved.unknown, namespace, declared);
    return { ok: false, code: 'UNKNOWN_PROCESS', unknown: resolved.unknown, message };
  }
  const single =
    names.length === 1 && names[0] !== ALL && resolved.selection.instances.length === 1;
  return { ok: true, selection: resolved.selection, single };
}

/** Every namespace a process is in, sorted. */
export function namespacesOf(declared: readonly NamespacedSelectable[]): string[] {
  return [...new Set(declared.map((one) => one.namespace))].sort();
}

/** `no namespace named nope (namespaces: backend, default)`; with none, that no process is declared. */
export function describeUnknownNamespace(namespace: string, known: readonly string[]): string {
  const there = known.length > 0 ? `namespaces: ${known.join(', ')}` : 'no process is declared';
  return `no namespace named ${namespace} (${there})`;
}

/** `no process named web in namespace backend (web is in frontend)` */
function describeOutside(
  unknown: readonly string[],
  namespace: string,
  declared: readonly NamespacedSelectable[],
): string {
  const where = unknown.flatMap((name) => {
    const found = declared.find((one) => one.family === name || one.name === name);
    return found ? [`${name} is in ${found.namespace}`] : [];
  });
  const hint = where.length > 0 ? ` (${where.join(', ')})` : '';
  return `${describeUnknown(unknown)} in namespace ${namespace}${hint}`;
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
 * Whether a request (start, stop, restart) goes ahead, given what each instance it selects
 * would say to it (`refusals[i]`, `undefined` when it accepts). One instance named alone
 * (`single`: `stop web-1`, or `stop web` of a web of one instance) must accept it, or
 * nothing is done: `stop web-1` of a stopped web-1 is refused, since naming one thing for
 * what it already is is most likely a mistake worth saying. A selector that stands for
 * several (a process of several instances, a namespace, `all`, several names) means every
 * instance the request applies to, and is never refused for those already so, as
 * `docker compose stop` is not: `stop -n backend` with one of them stopped stops the
 * others, and with all of them stopped does nothing, successfully.
 */
export function judgeRequest<R>(
  single: boolean,
  refusals: readonly (R | undefined)[],
): RequestVerdict<R> {
  const indices = refusals.map((_, index) => index);
  const accepted = indices.filter((index) => refusals[index] === undefined);
  const refusal = refusals.find((found) => found !== undefined);
  if (refusal === undefined || !single) return { ok: true, accepted };
  return { ok: false, refusal };
}

/**
 * As `judgeRequest`, for a request that is pointless when nothing takes it (a reload, a
 * signal): then it is refused with the first refusal, where a stop of what is already
 * stopped succeeds doing nothing. A signal that reaches no process did not do what was asked.
 */
export function judgeAction<R>(
  single: boolean,
  refusals: readonly (R | undefined)[],
): RequestVerdict<R> {
  const verdict = judgeRequest(single, refusals);
  if (!verdict.ok || verdict.accepted.length > 0) return verdict;
  const refusal = refusals.find((found) => found !== undefined);
  return refusal === undefined ? verdict : { ok: false, refusal };
}

/** `no process named nope`, or `no processes named nope, nada`. */
export function describeUnknown(unknown: readonly string[]): string {
  return unknown.length === 1
    ? `no process named ${unknown[0]}`
    : `no processes named ${unknown.join(', ')}`;
}

export type { LabelFilter, ProcessFilter } from './process-filter.js';

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
