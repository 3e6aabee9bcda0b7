/**
 * What `transition` asks the supervisor to do: the only way a decision reaches the OS.
 */
import type { ProcessEvent } from '../events.js';
import type { TimerKind } from './input.js';
import type { ProbeKind } from './state.js';

/** One thing to do, in the order given. */
export type Effect =
  /** Spawn the child; answer with `spawned`, `spawn-failed` or `sandbox-refused`. */
  | { readonly type: 'spawn' }
  /** Send a signal to the child's whole process group. */
  | { readonly type: 'signal'; readonly signal: string }
  /**
   * Pass a user's signal to the child's whole process group. Unlike `signal`, not a stop:
   * the child decides what it means, and its run goes on unless it ends itself.
   */
  | { readonly type: 'relay'; readonly signal: string }
  /** SIGKILL the child's whole process group. */
  | { readonly type: 'kill' }
  /** Feed `{type: 'timer', timer}` at `at` (epoch ms). */
  | { readonly type: 'arm-timer'; readonly timer: TimerKind; readonly at: number }
  | { readonly type: 'disarm-timer'; readonly timer: TimerKind }
  /** Feed `{type: 'fire', at}` once `at` (epoch ms) comes, replacing the fire armed before. */
  | { readonly type: 'arm-fire'; readonly at: number }
  /** The schedule is off: feed no fire. */
  | { readonly type: 'disarm-fire' }
  /** Start or stop running a probe against the current child. */
  | { readonly type: 'probe'; readonly probe: ProbeKind; readonly run: boolean }
  | { readonly type: 'emit'; readonly event: ProcessEvent }
  /**
   * A new run follows an earlier one: restart the dependents that asked for it
   * (`depends_on: {…: {restart: true}}`, see `dependentsToRestart`).
   */
  | { readonly type: 'restart-dependents' };
