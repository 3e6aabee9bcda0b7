/**
 * What commands that wait on processes share (`up -d`, `start|stop|restart`): the
 * `--wait-timeout` option, and the progress of the processes waited on, each line saying
 * where a process is and, when it waits, why, in the supervisor's own words.
 */
import { OverseerError } from '../core/errors.js';
import type { Status } from '../core/state.js';
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

/** Statuses in which a process waits for nothing more. */
const AT_REST: ReadonlySet<Status> = new Set(['running', 'stopped', 'completed', 'failed']);

/** True when the row shows a process that is still on its way somewhere. */
export function isWaiting(info: ProcessInfo): boolean {
  return !AT_REST.has(info.status);
}

/** `worker pending: waiting for db to be healthy (db is stopped)`, or `web running`. */
export function describeProgress(info: ProcessInfo, paint: Painter): string {
  const status = paint(STATUS_STYLE[info.status] ?? 'white', info.status);
  const line = `${paint(colourOf(info.name), info.name)} ${status}`;
  return info.reason ? `${line}: ${info.reason}` : line;
}

/** `still waiting after 5s: worker starting: readiness: connection refused ×5 since 10:42:01` */
export function describeTimeout(waitMs: number, waiting: readonly ProcessInfo[], paint: Painter) {
  const who = waiting.map((info) => describeProgress(info, paint)).join('; ');
  // Every one at rest by the time the rows were read: it was the answer that was late.
  return `still waiting after ${formatDuration(waitMs)}: ${who || 'for the supervisor to answer'}`;
}

/**
 * Follows some processes through the supervisor's event stream: the snapshot first, then,
 * after each event about one of them, their rows as the supervisor describes them (status
 * and reason come from core, never re-derived here). Calls `onRow` for each row whose
 * status or reason changed, and `onUpdate` once the rows are fresh.
 */
export class ProgressWatch {
  private readonly rows = new Map<string, ProcessInfo>();
  private readonly names: ReadonlySet<string>;
  private unsubscribe: (() => void) | undefined;
  /** Processes with news since their rows were last fetched. */
  private readonly changed = new Set<string>();
  private refreshing = false;
  private closed = false;

  constructor(
    private readonly client: HttpSupervisorClient,
    names: Iterable<string>,
    private readonly onRow: (info: ProcessInfo) => void,
    private readonly onUpdate: () => void = () => {},
  ) {
    this.names = new Set(names);
  }

  /**
   * Subscribes; resolves once the snapshot is in, so that acting after it misses nothing,
   * or once the stream breaks (whoever set `client.onBreak` is still told).
   */
  start(): Promise<void> {
    return new Promise((resolve) => {
      const onBreak = this.client.onBreak;
      this.client.onBreak = (error) => {
        resolve();
        onBreak(error);
      };
      this.unsubscribe = this.client.watch((item) => {
        if (item.type === 'snapshot') {
          this.take(item.processes);
          resolve();
        } else if ('name' in item && this.names.has(item.name)) {
          this.changed.add(item.name);
          void this.refresh();
        }
      });
    });
  }

  /** The latest row of every process followed that has one. */
  current(): ProcessInfo[] {
    return [...this.rows.values()];
  }

  close(): void {
    this.closed = true;
    this.unsubscribe?.();
  }

  /**
   * Fetches the rows of the processes with news; events that arrive meanwhile cause one
   * more fetch, not one each.
   */
  private async refresh(): Promise<void> {
    if (this.refreshing) return;
    this.refreshing = true;
    try {
      while (this.changed.size > 0 && !this.closed) {
        const names = [...this.changed];
        this.changed.clear();
        const rows = await this.client.list({ names });
        if (this.closed) return;
        this.take(rows);
      }
    } catch {
      // A process removed meanwhile, or the daemon going away: the command's own request
      // reports what matters; progress lines are a courtesy.
    } finally {
      this.refreshing = false;
    }
  }

  private take(rows: readonly ProcessInfo[]): void {
    for (const info of rows) {
      if (!this.names.has(info.name)) continue;
      const before = this.rows.get(info.name);
      this.rows.set(info.name, info);
      if (before?.status !== info.status || before.reason !== info.reason) this.onRow(info);
    }
    this.onUpdate();
  }
}
