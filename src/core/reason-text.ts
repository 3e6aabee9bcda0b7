/**
 * What a row of `ps` or of the dashboard has to say beyond a process's status: when a
 * scheduled process runs next, why a process waits, backs off or failed and when it is
 * tried again, else the exit code of its last run, else its first health concern.
 */
import { formatDuration } from './units.js';
import type { ProcessInfo } from './view.js';

export function reasonText(info: ProcessInfo, now: number): string {
  if (info.status === 'scheduled' && info.reason === null && info.nextRunAt !== null) {
    return `next run in ${formatDuration(Math.max(0, Date.parse(info.nextRunAt) - now))}`;
  }
  const reason =
    info.reason ??
    (info.exitCode === null ? (info.healthReasons[0] ?? '') : `exit code ${info.exitCode}`);
  if (info.retryAt === null) return reason;
  // A backoff's end, or a failed process's breaker trying it again.
  const inMs = Math.max(0, Date.parse(info.retryAt) - now);
  return `${reason} (retry in ${formatDuration(inMs)})`;
}
