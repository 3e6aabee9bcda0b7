/**
 * A rolling reload (`overseer reload web`) as pure decisions: which instances are replaced
 * and in what order, and when one replacement is over (ready, or failed). The runtime
 * carries the plan out one instance at a time: it restarts instance k, waits for the
 * verdict, and only then goes on to the next, so that while one instance is replaced every
 * other keeps serving: at every moment at least N-1 of N are ready. A replacement that
 * fails ends the reload there, and the instances after it are left as they are.
 *
 * Why stop-then-start and not start-beside: an instance bound to a fixed port cannot have
 * its replacement started beside it. Stopping it first is what PM2's reload does for
 * forked processes too.
 */
import { type Rejection, refusalOf } from '../process/refusal.js';
import { describeExit } from '../process/restart.js';
import type { ProcessState, Status } from '../process/state.js';
import type { ProcessInfo } from '../view.js';
import { judgeAction } from './selector.js';

/** One declared instance, as the plan needs to know it. */
export interface ReloadCandidate {
  readonly name: string;
  /** The declared process it is an instance of. */
  readonly family: string;
  /** Its 0-based number (`web-2`: 2). */
  readonly instance: number;
  readonly status: Status;
}

/** Which instances a reload replaces, in order, and which it leaves alone. */
export interface RollingPlan {
  readonly ok: true;
  /** The instances to replace, one after another, in this order. */
  readonly order: readonly string[];
  /** Selected instances that are not running: a reload replaces, it starts nothing. */
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
  /**
   * Processes with no other running instance to serve while theirs is replaced (one
   * instance, or only one running): for them the reload is a plain restart.
   */
  readonly plainRestarts: readonly string[];
}

/**
 * The plan of a reload of `selected` (instances in declaration order), or the refusal it
 * meets. An instance named alone must be running (or on its way); a process named whole
 * (`selectsWhole`) reloads those of its instances that are, and is refused when none is.
 * `declared` is every instance of the selected processes, to see which others still serve.
 *
 * Within a process, instances that are not ready go first (replacing them costs nothing
 * that serves), then the ready ones by number; processes follow one another in
 * declaration order.
 */
export function planRollingReload(
  declared: readonly ReloadCandidate[],
  selected: readonly ReloadCandidate[],
  selectsWhole: boolean,
): RollingPlan | { readonly ok: false; readonly refusal: Rejection } {
  const refusals = selected.map((member) => refusalOf('reload', member.name, member.status));
  const verdict = judgeAction(!selectsWhole, refusals);
  if (!verdict.ok) return { ok: false, refusal: verdict.refusal };
  const accepted = verdict.accepted.map((index) => selected[index]!);
  const families = [...new Set(accepted.map((member) => member.family))];
  const order = families.flatMap((family) =>
    accepted
      .filter((member) => member.family === family)
      .sort((a, b) => readyRank(a) - readyRank(b) || a.instance - b.instance)
      .map((member) => member.name),
  );
  const skipped = selected
    .filter((_, index) => refusals[index] !== undefined)
    .map((member) => ({ name: member.name, reason: `not running (${member.status})` }));
  const plainRestarts = families.filter(
    (family) =>
      declared.filter((member) => member.family === family && member.status === 'running').length <
      2,
  );
  return { ok: true, order, skipped, plainRestarts };
}

function readyRank(member: ReloadCandidate): number {
  return member.status === 'running' ? 1 : 0;
}

/** Where the replacement of one instance stands. */
export type ReplacementVerdict =
  | { readonly kind: 'waiting' }
  | { readonly kind: 'ready' }
  | { readonly kind: 'failed'; readonly reason: string };

const WAITING: ReplacementVerdict = { kind: 'waiting' };
const READY: ReplacementVerdict = { kind: 'ready' };

/**
 * Whether the replacement of an instance asked to restart is over, from its state and
 * whether a new run has been spawned since the request (`newRun`). Ready: the new run is
 * `running` (its readiness probe passed, or it lasted `min_uptime` without one), or a job
 * ran to its end. Failed: the new run ended before it was ready (it backs off or failed),
 * it was stopped meanwhile, or it waits on what will not come unasked. Else: waiting.
 */
export function judgeReplacement(state: ProcessState, newRun: boolean): ReplacementVerdict {
  switch (state.status) {
    case 'running':
      return newRun ? READY : WAITING;
    case 'completed':
    case 'scheduled':
      return newRun ? READY : WAITING;
    case 'backoff':
      return { kind: 'failed', reason: `${describeExit(state.lastExit)} before it was ready` };
    case 'failed':
      return { kind: 'failed', reason: state.reason };
    case 'stopped':
      return { kind: 'failed', reason: 'it was stopped during the reload' };
    case 'pending':
      return state.blocked ? { kind: 'failed', reason: state.reason } : WAITING;
    case 'starting':
    case 'stopping':
      return WAITING;
  }
}

/** What a reload did to one instance. */
export type InstanceReload =
  /** Replaced: its new run was ready this long after it was asked to restart. */
  | { readonly name: string; readonly outcome: 'replaced'; readonly readyInMs: number }
  /** Its replacement did not become ready; the reload stopped here. */
  | { readonly name: string; readonly outcome: 'failed'; readonly reason: string }
  /** Not running: left as it was. */
  | { readonly name: string; readonly outcome: 'skipped'; readonly reason: string }
  /** Not reached: an earlier replacement failed, and this one was left as it was. */
  | { readonly name: string; readonly outcome: 'untouched' };

/** What `reload(name)` answers. */
export interface ReloadReport {
  /** True when every instance it set out to replace was replaced. */
  readonly ok: boolean;
  /** Every selected instance: those replaced in the order they were, then the others. */
  readonly instances: readonly InstanceReload[];
  /** Processes reloaded as a plain restart: nothing else of them was running to serve. */
  readonly plainRestarts: readonly string[];
  /** The selected instances as they are once the reload is over. */
  readonly processes: readonly ProcessInfo[];
}
