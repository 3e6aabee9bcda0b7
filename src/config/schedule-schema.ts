/**
 * `schedule:` of a process entry, and its pieces: a cron expression and a time zone, each
 * checked the way the scheduler will read it, so that a bad one is a config error rather than
 * a process that never runs.
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

/** `schedule:` as a cron string, or its long form. */
export const scheduleSchema = z.union(
  [
    cronExpression,
    z.strictObject({
      cron: cronExpression.describe('A cron expression of 5 fields, or 6 with seconds first.'),
      timezone: timeZone
        .describe('The IANA time zone the fields are read in (default: local time).')
        .optional(),
      overlap: z
        .enum(['skip', 'queue', 'replace'])
        .describe(
          'A fire while the previous run goes on: skip it (default), queue one, replace it.',
        )
        .optional(),
      run_on_start: z
        .boolean()
        .describe('Also run at up, not only at the first fire (default false).')
        .optional(),
    }),
  ],
  { error: 'expected a cron expression or {cron, timezone, overlap, run_on_start}' },
);
