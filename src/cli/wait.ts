/**
 * What commands that wait on processes share (`up -d`, `start|stop|restart`): the
 * `--wait-timeout` option, and the progress of the processes waited on, each line saying
 * where a process is and, when it waits, why, in the supervisor's own words (the reasons
 * its events carry, computed in core).
 */
import { OverseerError } from '../core/errors.js';
import { statusAfter } from '../core/events.js';
import { AWAITING_SCHEDULER, SPAWNING } from '../core/process/reasons.js';
import { isAtRestStatus } from '../core/process/state.js';
import { formatDuration, parseDuration } from '../core/units.js';
import type { ProcessInfo } from '../core/view.js';
import type { HttpSupervisorClient } from '../protocol/client.js';
import { colourOf, type Painter, STATUS_STYLE } from './output.js';

/** How long commands wait for processes to settle unless told otherwise. */
export const DEFAULT_WAIT_TIMEOUT = '60s';

/** `--wait-timeout` in ms; a usage error (exit 2) when it is not a duration. */
export function parseWaitTimeout(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) {
    throw new OverseerError(
      'BAD_REQUEST',
      `--wait-timeout: ${JSON.stringify(text)} is not a duration (e.g. 30s, 2m)`,
    );
  }
  return ms;
}

/** Where a process is, and why when it waits: what a progress line shows. */
export type Progress = Pick<ProcessInfo, 'name' | 'status' | 'reason' | 'blocked'>;

/**
 * True when the process is still on its way somewhere: not at rest, nor `pending` on what
 * will not come unasked (`blocked`), which waiting on would only run out the timeout.
 */
export function isWaiting(progress: Progress): boolean {
  return !isAtRestStatus(progress.status) && !(progress.status === 'pending' && progress.blocked);
}

/**
 * Whether a progress line is worth printing while a command waits: a process on its way
 * that says what it waits for (a start just admitted, `spawning`, says nothing yet).
 */
export function saysWhatItWaitsFor(progress: Progress): boolean {
  return isWaiting(progress) && progress.reason !== null && progress.reason !== SPAWNING;
}

/** `worker pending: waiting for db to be healthy (db is stopped)`, or `web running`. */
export function describeProgress(progress: Progress, paint: Painter): string {
  const status = paint(STATUS_STYLE[progress.status] ?? 'white', progress.status);
  const line = `${paint(colourOf(progress.name), progress.name)} ${status}`;
  return progress.reason ? `${line}: ${progress.reason}` : line;
}

/** `still waiting after 5s: worker starting: readiness: connection refused ×5 since 10:42:01` */
export function describeTimeout(waitMs: number, waiting: readonly Progress[], paint: Painter) {
  const who = waiting.map((progress) => describeProgress(progress, paint)).join('; ');
  // Every one at rest by the time the rows were read: it was the answer that was late.
  return `still waiting after ${formatDuration(waitMs)}: ${who || 'for the supervisor to answer'}`;
}

/**
 * Follows some processes through the supervisor's event stream: the snapshot's rows first,
 * then every change of status an event announces (which status, core says: `statusAfter`),
 * with the reason the event carries. Every change is seen, however short-lived: a 10 ms
 * backoff shows as one. Calls `onChange` for each, then `onUpdate`.
 */
export class ProgressWatch {
  private readonly progress = new Map<string, Progress>();
  private readonly names: ReadonlySet<string>;
  private unsubscribe: (() => void) | undefined;
  private stopListeningForBreak: (() => void) | undefined;

  constructor(
    private readonly client: HttpSupervisorClient,
    names: Iterable<string>,
    private readonly onChange: (progress: Progress) => void,
    private readonly onUpdate: () => void = () => {},
  ) {
    this.names = new Set(names);
  }

  /**
   * Subscribes; resolves once the snapshot is in, so that acting after it misses nothing,
   * or once the stream breaks (the client's other `onBreak` listeners are told too).
   */
  start(): Promise<void> {
    return new Promise((resolve) => {
      this.stopListeningForBreak = this.client.onBreak(() => resolve());
      this.unsubscribe = this.client.watch((item) => {
        if (item.type === 'snapshot') {
          for (const { name, status, reason, blocked } of item.processes)
            this.take({ name, status, reason, blocked });
          this.onUpdate();
          resolve();
          return;
        }
        const change = statusAfter(item);
        if (change === null || !this.names.has(change.name)) return;
        this.take(change);
        this.onUpdate();
      });
    });
  }

  /** Where each process followed is, as last announced. */
  current(): Progress[] {
    return [...this.progress.values()];
  }

  close(): void {
    this.unsubscribe?.();
    this.stopListeningForBreak?.();
  }

  private take(announced: Progress): void {
    if (!this.names.has(announced.name)) return;
    // Asked to run, not yet judged by the scheduler: nothing specific to say yet.
    const next =
      announced.reason === AWAITING_SCHEDULER ? { ...announced, reason: null } : announced;
    const before = this.progress.get(next.name);
    this.progress.set(next.name, next);
    if (before?.status !== next.status || before.reason !== next.reason) this.onChange(next);
    else if (before.blocked !== next.blocked) this.onUpdate();
  }
}
