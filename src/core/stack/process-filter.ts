/**
 * Which rows `list()` answers: what selectors and a namespace stand for (resolved by the
 * selector), narrowed by status and labels. Read once at the edge into criteria, so a bad
 * filter is refused with its name before any row is looked at.
 */
import type { Status } from '../process/state.js';

/**
 * Labels a row must carry, every one of them: `{tier: 'web'}`, `'tier=web'`, or several
 * `k=v` strings (`['tier=web', 'team=core']`).
 */
export type LabelFilter = string | readonly string[] | Readonly<Record<string, string>>;

/** Which processes `list()` returns: all of them unless narrowed. */
export interface ProcessFilter {
  /**
   * Selectors (process names, instance names, `all`): only the instances they stand for.
   * One that names nothing is an error (`UNKNOWN_PROCESS`), not an empty answer.
   */
  readonly names?: readonly string[];
  /**
   * Only processes of this namespace (with `names`: those names, which must be in it). A
   * namespace no process is in is an error (`UNKNOWN_NAMESPACE`), naming those there are.
   */
  readonly namespace?: string;
  /** Only processes in this status, or in any of these. An unknown status is `BAD_REQUEST`. */
  readonly status?: Status | readonly Status[];
  /** Only processes carrying every one of these labels. A malformed one is `BAD_REQUEST`. */
  readonly label?: LabelFilter;
}

/** The filter's status and labels, checked: what each row is matched against. */
export interface RowCriteria {
  /** Any of these statuses; every status when undefined. */
  readonly statuses: ReadonlySet<Status> | undefined;
  /** Every one of these `[key, value]` pairs. */
  readonly labels: readonly (readonly [string, string])[];
}

/** What a row must offer to be matched. */
export interface Matchable {
  readonly status: Status;
  readonly labels: Readonly<Record<string, string>>;
}

/** Every status, listed once; the record makes a status added to the union a compile error here. */
const STATUS_SET: Readonly<Record<Status, true>> = {
  pending: true,
  starting: true,
  running: true,
  stopping: true,
  stopped: true,
  backoff: true,
  completed: true,
  scheduled: true,
  failed: true,
};

/** Every status a process may be in. */
export const STATUSES = Object.keys(STATUS_SET) as readonly Status[];

/** Whether `text` is a status. */
export function isStatus(text: string): text is Status {
  return Object.hasOwn(STATUS_SET, text);
}

/** The criteria of a filter, or a message naming what is wrong with it (`status: …`). */
export function criteriaOf(
  filter: ProcessFilter,
):
  | { readonly ok: true; readonly criteria: RowCriteria }
  | { readonly ok: false; readonly message: string } {
  const statuses = filter.status === undefined ? undefined : [filter.status].flat();
  const badStatus = statuses?.find((status) => !isStatus(String(status)));
  if (badStatus !== undefined) {
    const message = `status: expected one of ${STATUSES.join(', ')}; got ${JSON.stringify(badStatus)}`;
    return { ok: false, message };
  }
  const labels = labelPairs(filter.label);
  if (!Array.isArray(labels)) return { ok: false, message: labels.message };
  return {
    ok: true,
    criteria: { statuses: statuses && new Set(statuses), labels },
  };
}

/** Whether a row passes the criteria. */
export function matchesCriteria(row: Matchable, criteria: RowCriteria): boolean {
  if (criteria.statuses && !criteria.statuses.has(row.status)) return false;
  return criteria.labels.every(([key, value]) => row.labels[key] === value);
}

/** `'tier=web'` → `[['tier', 'web']]`; a string without `=`, or with no key, names itself. */
function labelPairs(
  label: LabelFilter | undefined,
): (readonly [string, string])[] | { readonly message: string } {
  if (label === undefined) return [];
  if (typeof label === 'object' && !Array.isArray(label)) {
    return Object.entries(label as Readonly<Record<string, string>>).map(
      ([key, value]) => [key, String(value)] as const,
    );
  }
  const pairs: (readonly [string, string])[] = [];
  for (const text of [label as string | readonly string[]].flat()) {
    const split = String(text).indexOf('=');
    if (split < 1) {
      return { message: `label: expected key=value, got ${JSON.stringify(text)}` };
    }
    pairs.push([text.slice(0, split), text.slice(split + 1)]);
  }
  return pairs;
}
