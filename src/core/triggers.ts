/**
 * What starts a run besides a request: a cron schedule's fire times, and what a fire does
 * while the previous run still goes (`overlap`). Pure: every answer is a function of the
 * expression, the time zone and the instant it is asked about (croner computes from the
 * date it is given and arms nothing while paused).
 */
import { Cron } from 'croner';
import type { ScheduleOverlap, ScheduleSpec } from './process/spec.js';

/** A fixed instant to ask "does this ever fire?" from: any year holds every pattern's fires. */
const REFERENCE = Date.UTC(2000, 0, 1);

/**
 * Why `expression` is not a cron schedule overseer runs (5 fields, or 6 with seconds
 * first), or why `timezone` is not a time zone; `undefined` when both are good.
 */
export function cronIssue(expression: string, timezone?: string): string | undefined {
  const fields = expression.trim().split(/\s+/).length;
  if (fields !== 5 && fields !== 6) {
    return `expected 5 fields (minute hour day month weekday) or 6 (seconds first), got ${fields}`;
  }
  let cron: Cron;
  try {
    cron = pausedCron(expression, timezone);
  } catch (error) {
    return `expected a cron expression: ${(error as Error).message.replace(/^CronPattern:\s*/, '')}`;
  }
  // `0 0 30 2 *` parses, and would leave a process `scheduled` for ever.
  return cron.nextRun(new Date(REFERENCE)) === null ? 'this schedule never fires' : undefined;
}

/** Whether `zone` names an IANA time zone this runtime knows (`Europe/Paris`, `UTC`). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Parsed patterns by expression and zone: parsing costs more than finding the next fire. */
const parsed = new Map<string, Cron>();

function pausedCron(expression: string, timezone: string | undefined): Cron {
  const key = `${timezone ?? ''}\u0000${expression}`;
  let cron = parsed.get(key);
  if (!cron) {
    // Paused: croner arms no timer; it is only asked for dates.
    cron = new Cron(expression, { paused: true, mode: '5-or-6-parts', timezone });
    parsed.set(key, cron);
  }
  return cron;
}

/**
 * The first fire time of `schedule` strictly after `after` (epoch ms), or `null` when it
 * never fires again. In `timezone` (the supervisor's local time without one), across daylight
 * saving changes as Vixie cron does: a fixed-time job (`30 2 * * *`) whose time falls in a
 * spring-forward gap runs at the first valid time after it, and once on a fall-back day; an
 * interval job (`*\/30 * * * *`) skips the times that do not exist and runs on both
 * occurrences of a repeated hour.
 */
export function nextFire(
  schedule: Pick<ScheduleSpec, 'cron' | 'timezone'>,
  after: number,
): number | null {
  const next = pausedCron(schedule.cron, schedule.timezone).nextRun(new Date(after));
  return next === null ? null : next.getTime();
}

/**
 * What a fire does: `run` (nothing runs), `skip` it, `queue` one run after the current one,
 * or `replace` the current run (stop it, then run).
 */
export type FireAction = 'run' | 'skip' | 'queue' | 'replace';

/**
 * What a fire does, given `overlap` and whether a run is under way (`busy`: waiting for a
 * slot, starting, running, backing off between attempts, or being stopped by the supervisor)
 * and already has a run queued behind it. `queue` keeps at most one: a second fire during
 * the same run is skipped, as a queue of missed runs would only pile up behind a slow job.
 */
export function decideFire(overlap: ScheduleOverlap, busy: boolean, queued: boolean): FireAction {
  if (!busy) return 'run';
  if (overlap === 'queue') return queued ? 'skip' : 'queue';
  return overlap;
}
