/**
 * Circuit breaker: after enough failures, refuses calls for a while instead of letting them
 * pile onto something that is down, then lets one trial call decide whether it is back.
 *
 * Our own code rather than cockatiel's breaker, which is close but differs where it
 * matters here: its state carries no `until`, its time is its own, it counts a minimum
 * rate per second rather than a minimum of calls, and its half-open delay is not our
 * `Backoff`. This one reads an injected clock and keeps no timer: an open breaker turns
 * half-open when a call (or `state()`) finds its `until` passed.
 */
import { type Backoff, backoffAt, delayOf, type RandomSource } from '../core/backoff.js';
import type { Disposer } from '../core/subscription.js';
import type { UnitInput } from '../core/units.js';
import {
  type BreakerState,
  readSerializedBreaker,
  type SerializedBreaker,
} from './breaker-state.js';
import { BreakerOpenError } from './errors.js';
import { failureCount, type OpensAfter } from './failure-count.js';
import { Listeners, type PolicyListener } from './listeners.js';
import { durationMs, NEVER_ABORTED, type Policy, type Work } from './policy.js';

/** Reads the time, in ms since the epoch; injected so tests and restores can set it. */
export type Clock = () => number;

export interface CircuitBreakerOptions {
  /** Names the breaker in its events, errors and serialized form. */
  readonly name: string;
  readonly opensAfter: OpensAfter;
  /**
   * How long it stays open before a trial: a duration, or a backoff that grows with each
   * opening in a row (reset when a trial succeeds).
   */
  readonly halfOpenAfter: UnitInput | Backoff;
  /** `Date.now` if not given. */
  readonly clock?: Clock;
  /** Where a jittered `halfOpenAfter` backoff draws from; `Math.random` if not given. */
  readonly random?: RandomSource;
}

export interface BreakerOpenEvent {
  readonly name: string;
  readonly until: number;
  /** The failure that opened it. */
  readonly error: unknown;
}

export interface BreakerEvent {
  readonly name: string;
}

export interface BreakerRejectEvent {
  readonly name: string;
  readonly retryAt: number;
}

/** What a breaker has seen since it was made: calls by how they ended, and its last change. */
export interface BreakerStats {
  readonly name: string;
  readonly state: BreakerState;
  /** Calls that ran (not refused), whatever their outcome. */
  readonly calls: number;
  readonly successes: number;
  /** Calls that failed (a call its caller aborted is neither a success nor a failure). */
  readonly failures: number;
  /** Calls refused without running, the breaker being open or its trial running. */
  readonly rejections: number;
  /** How many times it opened. */
  readonly openings: number;
  /** When its state last changed (by its clock); when it was made if it never did. */
  readonly lastChangeAt: number;
}

export interface CircuitBreakerPolicy extends Policy {
  readonly name: string;
  /** Where it stands now (an open breaker whose time is up reads as half-open). */
  state(): BreakerState;
  stats(): BreakerStats;
  /** The state as plain data, for `JSON.stringify` and `restore`. */
  toJSON(): SerializedBreaker;
  /** Takes up a state written by `toJSON` (of a breaker of the same name). */
  restore(serialized: unknown): void;
  onOpen(listener: PolicyListener<BreakerOpenEvent>): Disposer;
  onHalfOpen(listener: PolicyListener<BreakerEvent>): Disposer;
  onClose(listener: PolicyListener<BreakerEvent>): Disposer;
  /** A call refused because the breaker is open, or half-open with a trial running. */
  onReject(listener: PolicyListener<BreakerRejectEvent>): Disposer;
}

export function circuitBreaker(options: CircuitBreakerOptions): CircuitBreakerPolicy {
  const { name } = options;
  const clock = options.clock ?? Date.now;
  const random = options.random ?? Math.random;
  const failures = failureCount(options.opensAfter);
  const openFor = openDuration(options.halfOpenAfter, random);
  const events = {
    open: new Listeners<BreakerOpenEvent>(),
    halfOpen: new Listeners<BreakerEvent>(),
    close: new Listeners<BreakerEvent>(),
    reject: new Listeners<BreakerRejectEvent>(),
  };
  let state: BreakerState = { kind: 'closed' };
  let openings = 0;
  let trialRunning = false;
  const counts = { calls: 0, successes: 0, failures: 0, rejections: 0, openings: 0 };
  let lastChangeAt = clock();
  /** How long the last opening lasted; unknown after a restore. */
  let lastOpenMs: number | undefined;

  /** The state now, turning an open breaker whose time is up half-open. */
  const current = (): BreakerState => {
    if (state.kind === 'open' && clock() >= state.until) {
      // It became half-open when its time was up, whenever a call found out.
      lastChangeAt = state.until;
      state = { kind: 'halfOpen' };
      events.halfOpen.emit({ name });
    }
    return state;
  };

  const open = (error: unknown) => {
    openings++;
    counts.openings++;
    lastChangeAt = clock();
    // Only an opening that follows a failed trial continues the series.
    lastOpenMs = openFor(openings, openings > 1 ? lastOpenMs : undefined);
    const until = lastChangeAt + lastOpenMs;
    state = { kind: 'open', until };
    failures.reset();
    events.open.emit({ name, until, error });
  };

  const close = () => {
    state = { kind: 'closed' };
    openings = 0;
    lastChangeAt = clock();
    failures.reset();
    events.close.emit({ name });
  };

  const reject = (retryAt: number): never => {
    counts.rejections++;
    events.reject.emit({ name, retryAt });
    throw new BreakerOpenError(name, retryAt);
  };

  return {
    async execute<T>(fn: Work<T>, signal: AbortSignal = NEVER_ABORTED): Promise<T> {
      const before = current();
      if (before.kind === 'open') return reject(before.until);
      // Half-open lets one trial through; the others wait for its verdict, refused now.
      if (before.kind === 'halfOpen' && trialRunning) return reject(clock());
      const trial = before.kind === 'halfOpen';
      if (trial) trialRunning = true;
      counts.calls++;
      try {
        const result = await fn({ signal });
        counts.successes++;
        if (trial) close();
        else if (state.kind === 'closed') failures.record(false, clock());
        return result;
      } catch (error) {
        // A call its caller gave up on says nothing about the service: a trial so ended
        // leaves the breaker half-open for the next one, and no failure is counted.
        if (signal.aborted) throw error;
        counts.failures++;
        if (trial) open(error);
        else if (state.kind === 'closed' && failures.record(true, clock())) open(error);
        throw error;
      } finally {
        if (trial) trialRunning = false;
      }
    },
    name,
    state: current,
    stats: () => ({ name, state: current(), ...counts, lastChangeAt }),
    toJSON: () => ({ name, state: current(), openings }),
    restore(serialized) {
      const restored = readSerializedBreaker(serialized);
      if (restored.name !== name) {
        throw new TypeError(`circuit breaker ${name} cannot restore the state of ${restored.name}`);
      }
      state = restored.state;
      openings = restored.openings;
      lastOpenMs = undefined;
      lastChangeAt = clock();
      trialRunning = false;
      failures.reset();
    },
    onOpen: (listener) => events.open.add(listener),
    onHalfOpen: (listener) => events.halfOpen.add(listener),
    onClose: (listener) => events.close.add(listener),
    onReject: (listener) => events.reject.add(listener),
  };
}

/**
 * How long the n-th opening in a row lasts, in ms; a decorrelated jitter draws from the
 * length of the opening before (when known) as a retry's does from its previous wait.
 */
function openDuration(
  halfOpenAfter: UnitInput | Backoff,
  random: RandomSource,
): (openings: number, previousMs: number | undefined) => number {
  if (typeof halfOpenAfter === 'object') {
    return (openings, previousMs) =>
      delayOf(backoffAt(halfOpenAfter, openings), random, previousMs);
  }
  const ms = durationMs(halfOpenAfter, 'circuit breaker halfOpenAfter');
  return () => ms;
}
