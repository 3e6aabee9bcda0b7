/**
 * Signals a user sends to a process (`overseer signal HUP web`): how a name is read, and
 * what a request to send one answers.
 */
import type { ProcessInfo } from '../view.js';

/**
 * The full name of a signal as a user writes it (`HUP`, `sighup`, `SIGHUP` are SIGHUP), or
 * `undefined` when it is none of `known` (the host's signal names). Names only: a number
 * means different signals on different machines.
 */
export function signalNamed(text: string, known: readonly string[]): string | undefined {
  const upper = text.trim().toUpperCase();
  const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  return known.includes(name) ? name : undefined;
}

/** `expected a signal name such as SIGHUP, SIGUSR1 or TERM, got "9"`. */
export function describeUnknownSignal(text: string): string {
  return `expected a signal name such as SIGHUP, SIGUSR1 or TERM, got ${JSON.stringify(text)}`;
}

/** What `signal(name, signal)` did. */
export interface SignalReport {
  /** The signal's full name (`SIGUSR1`). */
  readonly signal: string;
  /** The instances it was sent to, as they were when it was sent. */
  readonly signalled: readonly ProcessInfo[];
  /**
   * Instances of a process named whole that had no child to receive it (stopped,
   * completed, failed, waiting): left alone, not an error.
   */
  readonly notRunning: readonly ProcessInfo[];
}
