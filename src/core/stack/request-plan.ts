/**
 * What a command naming several selectors sends, judged on the rows it resolved them to,
 * before anything is sent: the rule of `judgeRequest` applied to the command as a whole.
 * The supervisor judges each request again when it is made, by the same rule.
 */
import { type Rejection, type Request, refusalOf } from '../process/refusal.js';
import type { Status } from '../process/state.js';
import { ALL, judgeRequest, type RequestTarget } from './selector.js';

/** One selector of a command (a name, or a namespace) and the rows it stands for. */
export interface SelectedRows {
  readonly target: RequestTarget;
  readonly rows: readonly {
    readonly name: string;
    readonly status: Status;
    /** When a `failed` one's breaker tries it again (a stop calls that off), else `null`. */
    readonly retryAt?: string | null;
  }[];
}

/** The requests to send, and every instance left as it is; or the refusal of the whole command. */
export type RequestPlan =
  | {
      readonly ok: true;
      /** The targets with something to do, in the command's order. */
      readonly send: readonly RequestTarget[];
      /** Why each instance not acted on is left as it is (`web-1 is already running`). */
      readonly leftAlone: readonly Rejection[];
    }
  | { readonly ok: false; readonly refusal: Rejection };

/**
 * Plans `request` over the selectors of one command. A command that names one instance
 * alone (`stop web-1`, `stop web` of one instance) is refused when that instance is so
 * already; any other (several names, a process of several instances, a namespace, `all`)
 * goes to the instances the request applies to, and leaves the others be, even when that
 * leaves nothing to do.
 */
export function planRequest(request: Request, selected: readonly SelectedRows[]): RequestPlan {
  const only = selected.length === 1 ? selected[0] : undefined;
  const single =
    only !== undefined &&
    typeof only.target === 'string' &&
    only.target !== ALL &&
    only.rows.length === 1;
  const send: RequestTarget[] = [];
  const leftAlone: Rejection[] = [];
  for (const { target, rows } of selected) {
    const refusals = rows.map((row) =>
      refusalOf(request, row.name, row.status, (row.retryAt ?? null) !== null),
    );
    const verdict = judgeRequest(single, refusals);
    if (!verdict.ok) return { ok: false, refusal: verdict.refusal };
    if (verdict.accepted.length > 0) send.push(target);
    for (const refusal of refusals) if (refusal !== undefined) leftAlone.push(refusal);
  }
  return { ok: true, send, leftAlone };
}
