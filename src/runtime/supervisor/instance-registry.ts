/**
 * The processes a supervisor knows: every instance by name, and the family of instances
 * each declared name stands for. Declaring and removing are checked here (a reserved name,
 * a duplicate, a process still running), and so is the dependency graph before a start.
 */
import { OverseerError } from '../../core/errors.js';
import type { ProcessSpec } from '../../core/process/spec.js';
import { isSettled } from '../../core/process/state.js';
import { type ProcessInput, transition } from '../../core/process/transition.js';
import { buildGraph, type DependencyGraph, graphIssues } from '../../core/stack/graph.js';
import {
  criteriaOf,
  matchesCriteria,
  type ProcessFilter,
} from '../../core/stack/process-filter.js';
import {
  instancesNamed,
  judgeRequest,
  parseSelector,
  RESERVED_NAMES,
  type RequestTarget,
  resolveSelectors,
  resolveTarget,
  type Selection,
  type Target,
  targetOfRequest,
} from '../../core/stack/selector.js';
import {
  type ContainmentInfo,
  describeProcess,
  type ProcessDetails,
  type ProcessInfo,
} from '../../core/view.js';
import type { ManagedProcess } from './managed-process.js';

/** Every instance by name, in declaration order, grouped in families by declared name. */
export class InstanceRegistry {
  private readonly processes = new Map<string, ManagedProcess>();
  private readonly families = new Map<string, string[]>();

  /** Every instance, in declaration order. */
  all(): IterableIterator<ManagedProcess> {
    return this.processes.values();
  }

  /** The spec of every instance, in declaration order. */
  specs(): ProcessSpec[] {
    return [...this.processes.values()].map((managed) => managed.spec);
  }

  /** One instance by its own name; throws `UNKNOWN_PROCESS`. */
  byName(name: string): ManagedProcess {
    const managed = this.processes.get(name);
    if (!managed) throw unknownProcess(name);
    return managed;
  }

  /**
   * Registers the instances of one declared name, made by `create` once the names are
   * checked. Throws `INVALID_SPEC` (specs of several families, or a reserved name) or
   * `DUPLICATE_PROCESS`, registering nothing.
   */
  declare(specs: readonly ProcessSpec[], create: (spec: ProcessSpec) => ManagedProcess): string[] {
    const family = specs[0]?.family;
    if (family === undefined || specs.some((spec) => spec.family !== family)) {
      throw new OverseerError('INVALID_SPEC', 'declare() takes the specs of one process');
    }
    if (RESERVED_NAMES.includes(family)) {
      throw new OverseerError('INVALID_SPEC', `${family} is reserved: it selects every process`);
    }
    if (this.families.has(family) || specs.some((spec) => this.processes.has(spec.name))) {
      throw new OverseerError('DUPLICATE_PROCESS', `a process named ${family} already exists`);
    }
    for (const spec of specs) this.processes.set(spec.name, create(spec));
    const names = specs.map((spec) => spec.name);
    this.families.set(family, names);
    return names;
  }

  /**
   * Adds instances to the declared process `family`, made by `create` once their names are
   * checked (`scale`). Throws `UNKNOWN_PROCESS`, or `DUPLICATE_PROCESS` adding nothing.
   */
  grow(
    family: string,
    specs: readonly ProcessSpec[],
    create: (spec: ProcessSpec) => ManagedProcess,
  ): void {
    const members = this.families.get(this.familyOf(family))!;
    const clash = specs.find((spec) => this.processes.has(spec.name));
    if (clash) {
      throw new OverseerError('DUPLICATE_PROCESS', `a process named ${clash.name} already exists`);
    }
    for (const spec of specs) this.processes.set(spec.name, create(spec));
    const numberOf = (name: string) => this.processes.get(name)!.spec.instance;
    const names = [...members, ...specs.map((spec) => spec.name)];
    this.families.set(
      family,
      names.sort((a, b) => numberOf(a) - numberOf(b)),
    );
    this.keepDeclarationOrder();
  }

  /**
   * Forgets some instances of the declared process `family` (`scale`), and returns them.
   * None may be running or about to: throws `INVALID_STATE`, forgetting nothing.
   */
  shrink(family: string, names: readonly string[]): ManagedProcess[] {
    const members = names.map((name) => this.byName(name));
    assertIdle(members);
    for (const name of names) this.processes.delete(name);
    const left = this.families.get(family)!.filter((name) => !names.includes(name));
    this.families.set(family, left);
    return members;
  }

  /**
   * Lists the declared processes in `order` (a changed config's), those it does not name
   * after them as they were: a process declared again keeps its place.
   */
  arrange(order: readonly string[]): void {
    const rank = new Map(order.map((family, index) => [family, index]));
    const ranked = [...this.families].sort(
      ([a], [b]) => (rank.get(a) ?? order.length) - (rank.get(b) ?? order.length),
    );
    this.families.clear();
    for (const [family, names] of ranked) this.families.set(family, names);
    this.keepDeclarationOrder();
  }

  /**
   * Lists every instance as `ps` shows them: by declared process, then by number; instances
   * added by `scale` take their place among their siblings, not after every other process.
   */
  private keepDeclarationOrder(): void {
    const ordered = [...this.families.values()].flat().map((name) => this.processes.get(name)!);
    this.processes.clear();
    for (const managed of ordered) this.processes.set(managed.spec.name, managed);
  }

  /**
   * Forgets every instance of a declared name, and returns them. None may be running or
   * about to: throws `UNKNOWN_PROCESS` or `INVALID_STATE`, forgetting nothing.
   */
  remove(name: string): ManagedProcess[] {
    const family = this.familyOf(name);
    const members = this.instancesOf(family);
    assertIdle(members);
    for (const managed of members) this.processes.delete(managed.spec.name);
    this.families.delete(family);
    return members;
  }

  /** What `selectors` stand for; throws `UNKNOWN_PROCESS` naming every one that matches nothing. */
  select(selectors: readonly string[]): Selection {
    const resolved = resolveSelectors(this.specs(), selectors.map(parseSelector));
    if (!resolved.ok) throw new OverseerError('UNKNOWN_PROCESS', resolved.message);
    return resolved.selection;
  }

  /**
   * What a target stands for (names within a namespace); throws `UNKNOWN_NAMESPACE` or
   * `UNKNOWN_PROCESS`, naming what matched nothing. `single`: it names one instance by name.
   */
  selectTarget(target: Target): { selection: Selection; single: boolean } {
    const resolved = resolveTarget(this.specs(), target);
    if (!resolved.ok) throw new OverseerError(resolved.code, resolved.message);
    return resolved;
  }

  /**
   * The instances a request on a target acts on (`stop('web')`: those of web that run);
   * throws the refusal it meets (`UNKNOWN_PROCESS`, `UNKNOWN_NAMESPACE`, `INVALID_STATE`),
   * changing nothing.
   */
  accepting(
    target: RequestTarget,
    input: ProcessInput,
    now: number,
    judge: typeof judgeRequest = judgeRequest,
  ): ManagedProcess[] {
    const { selection, single } = this.selectTarget(targetOfRequest(target));
    const candidates = selection.instances.map((instance) => this.byName(instance));
    const verdict = judge(
      single,
      candidates.map(({ spec, record }) => transition(spec, record, input, now).rejection),
    );
    if (!verdict.ok) throw new OverseerError(verdict.refusal.code, verdict.refusal.message);
    return verdict.accepted.map((index) => candidates[index]!);
  }

  /** `name` when it is a declared process (not one instance); throws `UNKNOWN_PROCESS`. */
  familyOf(name: string): string {
    if (this.families.has(name)) return name;
    throw unknownProcess(name);
  }

  /** Every instance of a family. */
  instancesOf(family: string): ManagedProcess[] {
    return (this.families.get(family) ?? []).map((name) => this.processes.get(name)!);
  }

  /** The instances `name` stands for (a process: all of them; an instance: itself); throws `UNKNOWN_PROCESS`. */
  named(name: string): ManagedProcess[] {
    const named = instancesNamed(this.specs(), name);
    if (named.length === 0) throw unknownProcess(name);
    return named.map((instance) => this.processes.get(instance)!);
  }

  /**
   * One row per process in declaration order, narrowed by the filter: what its names stand
   * for within its namespace, then its statuses and labels. Throws `BAD_REQUEST` for a
   * malformed status or label, `UNKNOWN_NAMESPACE` or `UNKNOWN_PROCESS` for what names nothing.
   */
  list(filter: ProcessFilter = {}): ProcessInfo[] {
    const checked = criteriaOf(filter);
    if (!checked.ok) throw new OverseerError('BAD_REQUEST', checked.message);
    const { names, namespace } = filter;
    const narrowed = names !== undefined || namespace !== undefined;
    const selected =
      narrowed && new Set(this.selectTarget({ names, namespace }).selection.instances);
    const rows: ProcessInfo[] = [];
    for (const managed of this.processes.values()) {
      if (selected && !selected.has(managed.spec.name)) continue;
      const row = describe(managed);
      if (matchesCriteria(row, checked.criteria)) rows.push(row);
    }
    return rows;
  }

  /** One process with its spec, recent runs and resources; throws `UNKNOWN_PROCESS`. */
  details(name: string, containment: ContainmentInfo): ProcessDetails {
    const managed = this.byName(name);
    const { spec } = managed;
    const extra = { spec, runs: managed.runs(), resources: managed.resources(), containment };
    return { ...describe(managed), ...extra };
  }

  /** The dependency graph of every process, as declared. */
  graph(): DependencyGraph {
    return buildGraph(this.specs());
  }

  /** One instance by its own name, if there is one. */
  find(name: string): ManagedProcess | undefined {
    return this.processes.get(name);
  }

  /** The dependency graph of every process; throws `INVALID_SPEC` on a missing dependency or a cycle. */
  soundGraph(): DependencyGraph {
    const graph = this.graph();
    const issues = graphIssues(graph);
    if (issues.length > 0) {
      throw new OverseerError(
        'INVALID_SPEC',
        issues.map((issue) => issue.message).join('; '),
        issues,
      );
    }
    return graph;
  }
}

/** The row of one process, as it is now. */
export function describe(managed: ManagedProcess): ProcessInfo {
  return describeProcess(managed.spec, managed.record, managed.facts(), Date.now());
}

/** Throws `INVALID_STATE` naming the first of `members` that runs or is about to. */
function assertIdle(members: readonly ManagedProcess[]): void {
  const busy = members.find((managed) => !isSettled(managed.record.state) || managed.child);
  if (busy) {
    throw new OverseerError(
      'INVALID_STATE',
      `${busy.spec.name} is ${busy.record.state.status}: stop it before removing it`,
    );
  }
}

function unknownProcess(name: string): OverseerError {
  return new OverseerError('UNKNOWN_PROCESS', `no process named ${name}`);
}
