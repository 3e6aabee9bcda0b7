/**
 * What the supervisor feeds `transition`: requests, news from the OS, probe verdicts,
 * limit breaches and timers that fired.
 */
import type { LimitBreach } from '../limits/limits.js';
import type { ProbeKind } from './state.js';

/** Timers a process may have armed; arming one replaces the previous of that kind. */
export type TimerKind =
  | 'backoff'
  | 'min-uptime'
  | 'stop-deadline'
  | 'max-runtime'
  | 'start-timeout'
  /** The breaker's cooldown is over: a `failed` process is tried once more. */
  | 'cooldown';

/** One thing that happened to a process, or was asked of it. */
export type ProcessInput =
  /**
   * Asked to run (from `stopped`, `completed` or `failed`; a scheduled one also from
   * `scheduled`): now. `cause` says why when the supervisor asks on its own (`watch:
   * src/app.js changed`), and is the pending reason.
   */
  | { readonly type: 'start'; readonly cause?: string }
  /**
   * Brought up with the stack (`up`): a process with a schedule waits for its first fire
   * (`scheduled`, or runs now with `run_on_start`); any other starts as on `start`.
   */
  | { readonly type: 'up' }
  /** Its schedule's fire time `at` (epoch ms) came. */
  | { readonly type: 'fire'; readonly at: number }
  /** Asked to stop. */
  | { readonly type: 'stop' }
  /** Asked to stop if running, then start again; `cause` as for `start`, and the exit's reason. */
  | { readonly type: 'restart'; readonly cause?: string }
  /** Asked to pass a signal (a full name: `SIGUSR1`) to the child's process group. */
  | { readonly type: 'signal'; readonly signal: string }
  /** The supervisor itself ends the run (liveness, limits); the exit then follows the restart policy. */
  | { readonly type: 'recover'; readonly reason: string }
  /** The scheduler granted a slot and the dependencies hold. */
  | { readonly type: 'admit' }
  /** The scheduler's latest word on what a `pending` process waits for (see `planSchedule`). */
  | { readonly type: 'wait'; readonly reason: string; readonly blocked: boolean }
  | { readonly type: 'dependency-failed'; readonly reason: string }
  | { readonly type: 'spawned'; readonly pid: number }
  | { readonly type: 'spawn-failed'; readonly message: string }
  /** The sandbox refused the spawn (docs/configuration.md); nothing was spawned. */
  | { readonly type: 'sandbox-refused'; readonly message: string }
  /** The child exited and its process group is gone. */
  | { readonly type: 'exited'; readonly code: number | null; readonly signal: string | null }
  /** A check's verdict; a failure says what the check saw (`connection refused`). */
  | {
      readonly type: 'probe';
      readonly probe: ProbeKind;
      readonly ok: boolean;
      readonly message?: string;
    }
  /** A resource limit was breached (see `judgeLimits`): counted, maybe announced, maybe acted on. */
  | { readonly type: 'limit'; readonly breach: LimitBreach }
  | { readonly type: 'timer'; readonly timer: TimerKind };
