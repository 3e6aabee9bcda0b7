/**
 * The pieces of `schedule:`: a cron expression and a time zone, each checked the way the
 * scheduler will read it, so that a bad one is a config error rather than a process that
 * never runs.
 */
import { z } from 'zod';
import { cronIssue, isTimeZone } from '../core/triggers.js';

/** A 5- or 6-field cron expression (`*\/5 * * * *`, `0 0 3 * * *`). */
export const cronExpression = z.string().superRefine((expression, context) => {
  const issue = cronIssue(expression);
  if (issue) context.addIssue({ code: 'custom', message: issue });
});

/** An IANA time zone (`Europe/Paris`, `UTC`). */
export const timeZone = z.string().refine(isTimeZone, {
  message: 'expected an IANA time zone such as UTC or Europe/Paris',
});
