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
export type Request = 'start' | 'stop' | 'restart';

/**
 * Why a process in `status` refuses `request`, or `undefined` when it takes it: `start` of
 * one that is neither settled, scheduled nor stopping (it already runs, or is on its way),
 * `stop` of one settled; `restart` is always taken. Depends on the status alone, so a client holding
 * `ps` rows can check every name of a command before acting on any.
 */
export function refusalOf(request: Request, name: string, status: Status): Rejection | undefined {
  const settled = isSettledStatus(status);
  // A scheduled process waits for its next fire: `start` runs it now.
  if (request === 'start' && !settled && status !== 'stopping' && status !== 'scheduled') {
    return { code: 'INVALID_STATE', message: `${name} is already ${status}` };
  }
  if (request === 'stop' && settled) {
    return { code: 'INVALID_STATE', message: `${name} is not running (${status})` };
  }
  return undefined;
}
