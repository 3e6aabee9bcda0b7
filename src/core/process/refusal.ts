/**
 * Whether a process takes a user's request: the one rule, shared by `transition` and by
 * the commands that check every name before acting on any.
 */
import { isSettledStatus, type Status } from './state.js';

/** The request was refused; the record is unchanged. */
export interface Rejection {
  readonly code: 'INVALID_STATE';
  readonly message: string;
}

/** A request a user makes of a process. */
export type Request = 'start' | 'stop' | 'restart' | 'reload' | 'signal';

/** Statuses in which a process has a child that a signal can reach. */
const HAS_CHILD: ReadonlySet<Status> = new Set(['starting', 'running', 'stopping']);

/**
 * Why a process in `status` refuses `request`, or `undefined` when it takes it: `start` of
 * one that is neither settled, scheduled nor stopping (it already runs, or is on its way),
 * `stop` of one settled, unless it is `failed` with a try to come (`retrying`: its
 * breaker's `retryAt`), which a stop calls off; `reload` of one settled or scheduled (a
 * reload replaces what runs; it starts nothing), `signal` of one with no child to receive it; `restart` is
 * always taken. Depends on what a `ps` row shows alone, so a client holding them can check
 * every name of a command before acting on any.
 */
export function refusalOf(
  request: Request,
  name: string,
  status: Status,
  retrying = false,
): Rejection | undefined {
  const settled = isSettledStatus(status);
  // A scheduled process waits for its next fire: `start` runs it now.
  if (request === 'start' && !settled && status !== 'stopping' && status !== 'scheduled') {
    return { code: 'INVALID_STATE', message: `${name} is already ${status}` };
  }
  if (request === 'stop' && settled && !(status === 'failed' && retrying)) {
    return { code: 'INVALID_STATE', message: `${name} is not running (${status})` };
  }
  // A scheduled process has nothing running to replace: a reload would run it off schedule.
  if (request === 'reload' && (settled || status === 'scheduled')) {
    return { code: 'INVALID_STATE', message: `${name} is not running (${status})` };
  }
  if (request === 'signal' && !HAS_CHILD.has(status)) {
    return { code: 'INVALID_STATE', message: `${name} is not running (${status})` };
  }
  return undefined;
}
