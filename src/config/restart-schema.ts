/**
 * `restart:` of a process entry (docs/lifecycle.md), and the pieces a task's `retry:` shares
 * with it: the backoff factor and the exit codes.
 */
import { z } from 'zod';
import { BOUNDS, count, duration } from './units-schema.js';

/** What each further delay of a backoff is multiplied by. */
export const backoffFactorSchema = z
  .number()
  .min(1, 'expected a number ≥ 1')
  .max(BOUNDS.factor, `expected a number ≤ ${BOUNDS.factor}`);

/** An exit code a process or a task may end with. */
export const exitCodeSchema = z
  .number()
  .int('expected a whole number from 0 to 255')
  .min(0, 'expected a number ≥ 0')
  .max(255, 'expected an exit code ≤ 255');

/** `restart:` of a process: its policy, its budget and its backoff. */
export const restartSchema = z
  .strictObject({
    policy: z
      .enum(['always', 'on-failure', 'never'])
      .describe(
        'When an exit restarts: always (default), on-failure, or never (the default of a job).',
      )
      .optional(),
    max_restarts: count(0, BOUNDS.maxRestarts)
      .describe('Restarts allowed within window; one more unexpected exit: failed (default 10).')
      .optional(),
    window: duration().describe('The window max_restarts counts in (default 1m).').optional(),
    delay: duration().describe('The first backoff delay (default 1s).').optional(),
    factor: backoffFactorSchema
      .describe('Each further delay is multiplied by this: 1 to 100 (default 2).')
      .optional(),
    max_delay: duration()
      .describe('The longest backoff delay, at least delay (default 30s).')
      .optional(),
    min_uptime: duration()
      .describe('A run up this long counts as a good start (default 1s).')
      .optional(),
    /** The restart circuit breaker: a `failed` process is tried again this long after. */
    cooldown: duration({ positive: true })
      .describe(
        'A process failed by a spent budget is tried again this long after (default: never).',
      )
      .optional(),
    max_cooldown: duration({ positive: true })
      .describe('Each failed try doubles the cooldown up to this; needs cooldown (default 1h).')
      .optional(),
    exit_codes: z
      .array(exitCodeSchema)
      .min(1, 'expected at least one exit code')
      .max(256, 'expected at most 256 exit codes')
      .describe('Exit codes that count as success (default [0]).')
      .optional(),
  })
  .refine(
    (restart) =>
      restart.delay === undefined ||
      restart.max_delay === undefined ||
      restart.max_delay >= restart.delay,
    { message: 'max_delay must be at least delay', path: ['max_delay'] },
  )
  .refine((restart) => restart.max_cooldown === undefined || restart.cooldown !== undefined, {
    message: 'max_cooldown needs a cooldown: without one, a spent budget is never retried',
    path: ['max_cooldown'],
  })
  .refine(
    (restart) =>
      restart.max_cooldown === undefined ||
      restart.cooldown === undefined ||
      restart.max_cooldown >= restart.cooldown,
    { message: 'max_cooldown must be at least cooldown', path: ['max_cooldown'] },
  );
