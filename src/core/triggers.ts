/**
 * What starts a run besides a request: a cron schedule's fire times. Pure: every answer is
 * a function of the expression and the instant it is asked about.
 */
import { Cron } from 'croner';

/**
 * Why `expression` is not a cron schedule overseer runs (5 fields, or 6 with seconds
 * first), or why `timezone` is not a time zone; `undefined` when both are good.
 */
export function cronIssue(expression: string, timezone?: string): string | undefined {
  const fields = expression.trim().split(/\s+/).length;
  if (fields !== 5 && fields !== 6) {
    return `expected 5 fields (minute hour day month weekday) or 6 (seconds first), got ${fields}`;
  }
  try {
    new Cron(expression, { paused: true, mode: '5-or-6-parts', timezone });
    return undefined;
  } catch (error) {
    return `expected a cron expression: ${(error as Error).message.replace(/^CronPattern:\s*/, '')}`;
  }
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
