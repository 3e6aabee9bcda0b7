/**
 * The rows of the process table, from the supervisor's processes and what the reader asked:
 * the instances of a process folded under one row (unfolded on request), only the rows the
 * text filter and the namespace keep, in the order asked. Pure, so every view of the table
 * is tested without rendering.
 */
import type { Health, Status } from '../core/process/state.js';
import type { ProcessInfo } from '../core/view.js';

/** What the table may be ordered by; `config` is the order the config declares them in. */
export const SORT_KEYS = ['config', 'name', 'cpu', 'memory', 'restarts', 'score'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface Sort {
  readonly key: SortKey;
  /**
   * The other way round from the key's own order: names a to z, figures largest first,
   * the health score lowest first (the process to look at on top).
   */
  readonly reversed: boolean;
}

export interface TableQuery {
  /** Rows whose name, namespace or status contains this (any case) stay. */
  readonly filter: string;
  /** Only this namespace's processes; every one when absent. */
  readonly namespace?: string;
  readonly sort: Sort;
  /** Processes whose instances are shown under their row. */
  readonly unfolded: ReadonlySet<string>;
}

export interface TableRow {
  /** Unique among the rows: the process's or the instance's name. */
  readonly key: string;
  /** What an action on this row names: the process (every instance) or the one instance. */
  readonly target: string;
  /** The row's figures; for a folded process, its instances' taken together. */
  readonly info: ProcessInfo;
  /** Present on the row of a process with several instances. */
  readonly family?: { readonly instances: number; readonly unfolded: boolean };
  /** An instance shown under its process's row. */
  readonly nested: boolean;
}

/**
 * The rows to show. Instances are recognised by their names (`web-0`, `web-1` of `web`, each
 * numbered as its `instance`): two or more of one process fold under a row named after it.
 */
export function tableRows(processes: readonly ProcessInfo[], query: TableQuery): TableRow[] {
  const inNamespace = processes.filter(
    (info) => query.namespace === undefined || info.namespace === query.namespace,
  );
  const kept = inNamespace.filter((info) => matches(info, query.filter));
  const families = familiesOf(kept);
  const top = families.map((members) => familyRow(members, query.unfolded));
  const declared = query.sort.key === 'config' && query.sort.reversed ? -1 : 1;
  const order = [...top.keys()].sort(
    (a, b) => compare(top[a]!, top[b]!, query.sort) || declared * (a - b),
  );
  return order.flatMap((index) => {
    const row = top[index]!;
    if (!row.family?.unfolded) return [row];
    return [row, ...families[index]!.map((info) => instanceRow(info))];
  });
}

/** The namespaces the processes are in, sorted: what the namespace key cycles through. */
export function namespacesOf(processes: readonly ProcessInfo[]): string[] {
  return [...new Set(processes.map((info) => info.namespace))].sort();
}

function matches(info: ProcessInfo, filter: string): boolean {
  const wanted = filter.trim().toLowerCase();
  if (wanted === '') return true;
  return [info.name, info.namespace, info.status].some((field) =>
    field.toLowerCase().includes(wanted),
  );
}

/** The process an instance belongs to, by its name: `web-2` numbered 2 is of `web`. */
export function familyNameOf(info: ProcessInfo): string | undefined {
  const suffix = `-${info.instance}`;
  return info.name.endsWith(suffix) && info.name.length > suffix.length
    ? info.name.slice(0, -suffix.length)
    : undefined;
}

/** The processes grouped by family, each group where its first member stood. */
function familiesOf(processes: readonly ProcessInfo[]): ProcessInfo[][] {
  const byFamily = new Map<string, ProcessInfo[]>();
  for (const info of processes) {
    const family = familyNameOf(info) ?? info.name;
    const members = byFamily.get(family);
    if (members === undefined) byFamily.set(family, [info]);
    else members.push(info);
  }
  // A lone instance (or a process that merely ends in a number) stays a row of its own.
  return [...byFamily.values()].flatMap((members) =>
    members.length > 1 && members.every((info) => familyNameOf(info) !== undefined)
      ? [members]
      : members.map((info) => [info]),
  );
}

function familyRow(members: readonly ProcessInfo[], unfolded: ReadonlySet<string>): TableRow {
  if (members.length === 1) return instanceRow(members[0]!, false);
  const name = familyNameOf(members[0]!)!;
  return {
    key: name,
    target: name,
    info: together(name, members),
    family: { instances: members.length, unfolded: unfolded.has(name) },
    nested: false,
  };
}

function instanceRow(info: ProcessInfo, nested = true): TableRow {
  return { key: info.name, target: info.name, info, nested };
}

/** Statuses from the one that most needs a look to the one that needs none. */
const URGENCY: readonly Status[] = [
  'failed',
  'backoff',
  'starting',
  'stopping',
  'pending',
  'running',
  'scheduled',
  'completed',
  'stopped',
];
const HEALTH_URGENCY: readonly Health[] = ['unhealthy', 'unknown', 'healthy', 'none'];

/**
 * A process's instances as one row: the status and health of the one that most needs a
 * look (and its reason), restarts, CPU and memory added up, the lowest health score, the
 * shortest uptime.
 */
function together(name: string, members: readonly ProcessInfo[]): ProcessInfo {
  const first = (ranked: readonly ProcessInfo[]) => ranked[0]!;
  const worst = first(
    [...members].sort((a, b) => URGENCY.indexOf(a.status) - URGENCY.indexOf(b.status)),
  );
  const health = first(
    [...members].sort(
      (a, b) => HEALTH_URGENCY.indexOf(a.health) - HEALTH_URGENCY.indexOf(b.health),
    ),
  ).health;
  const sum = (figure: (info: ProcessInfo) => number | null) => {
    const known = members.map(figure).filter((value): value is number => value !== null);
    return known.length === 0 ? null : known.reduce((total, value) => total + value, 0);
  };
  const uptimes = members.flatMap((info) => (info.uptimeMs === null ? [] : [info.uptimeMs]));
  return {
    ...worst,
    name,
    health,
    pid: null,
    restarts: members.reduce((total, info) => total + info.restarts, 0),
    uptimeMs: uptimes.length === 0 ? null : Math.min(...uptimes),
    cpuPercent: sum((info) => info.cpuPercent),
    memoryBytes: sum((info) => info.memoryBytes),
    fds: sum((info) => info.fds),
    threads: sum((info) => info.threads),
    healthScore: Math.min(...members.map((info) => info.healthScore)),
    reason: worst.reason === null ? null : `${worst.name}: ${worst.reason}`,
  };
}

/** Negative when `a` comes first; 0 when the key does not tell them apart. */
function compare(a: TableRow, b: TableRow, sort: Sort): number {
  const order = sort.reversed ? -1 : 1;
  switch (sort.key) {
    case 'config':
      return 0;
    case 'name':
      return order * a.key.localeCompare(b.key);
    default: {
      // Figures read largest first unless reversed: the busiest process is the one to see.
      const figure = FIGURES[sort.key];
      return -order * ((figure(a.info) ?? -1) - (figure(b.info) ?? -1));
    }
  }
}

const FIGURES: Readonly<
  Record<Exclude<SortKey, 'config' | 'name'>, (info: ProcessInfo) => number | null>
> = {
  cpu: (info) => info.cpuPercent,
  memory: (info) => info.memoryBytes,
  restarts: (info) => info.restarts,
  // The least healthy first: the one to look at.
  score: (info) => -info.healthScore,
};
