/**
 * One step of `transition` under construction: the record as it changes, the effects in
 * order, and the moves of the lifecycle (enter pending, begin a stop, end a run, apply the
 * restart policy…) that the input handlers are written in.
 */
import type { ProcessEvent, ProcessEventMap } from '../events.js';
import type { LimitBreach } from '../limits/limits.js';
import { nextFire } from '../triggers.js';
import { type BreakerTrip, CLOSED_BREAKER } from './breaker.js';
import type { Effect } from './effect.js';
import type { ProcessInput } from './input.js';
import { stopIntentOf } from './limit-stop.js';
import { initialHealth } from './probe-tally.js';
import { AWAITING_SCHEDULER, backoffReason, scheduledReason } from './reasons.js';
import type { Rejection } from './refusal.js';
import { decideRestart, describeExit } from './restart.js';
import type { ProcessSpec } from './spec.js';
import {
  type ActiveRun,
  countBreach,
  EMPTY_LEDGER,
  type ExitInfo,
  type Health,
  type ProcessRecord,
  type ProcessState,
  type ScheduleMemory,
  type StopIntent,
} from './state.js';

/** The outcome of one input: the new record and its effects, or a refusal and none. */
export interface Step {
  readonly record: ProcessRecord;
  readonly effects: readonly Effect[];
  readonly rejection?: Rejection;
}

/** How one kind of input changes a step. */
export type Handler<T extends ProcessInput['type']> = (
  step: StepBuilder,
  input: Extract<ProcessInput, { type: T }>,
) => void;

/** Handlers for the inputs of `T`, one each: a missing one is a compile error. */
export type Handlers<T extends ProcessInput['type']> = { readonly [K in T]: Handler<K> };

/** Accumulates the new record and the effects of one step. */
export class StepBuilder {
  readonly effects: Effect[] = [];
  rejection: Rejection | undefined;

  constructor(
    readonly spec: ProcessSpec,
    public record: ProcessRecord,
    readonly now: number,
  ) {}

  result(): Step {
    return this.rejection
      ? { record: this.record, effects: [], rejection: this.rejection }
      : { record: this.record, effects: this.effects };
  }

  reject(message: string): void {
    this.rejection = { code: 'INVALID_STATE', message };
  }

  emit<T extends Effect['type']>(type: T, rest: Omit<Extract<Effect, { type: T }>, 'type'>): void {
    this.effects.push({ type, ...rest } as Effect);
  }

  announce<T extends keyof ProcessEventMap>(
    type: T,
    payload: Omit<ProcessEventMap[T], 'name' | 'at'>,
  ): void {
    const event = { type, name: this.spec.name, at: this.now, ...payload } as ProcessEvent;
    this.effects.push({ type: 'emit', event });
  }

  setState(state: ProcessState): void {
    this.record = { ...this.record, state };
  }

  /**
   * Waiting for dependencies and a slot; an explicit start after `failed` clears the budget
   * and closes the breaker. `cause`, when the supervisor asked on its own, is the reason
   * until the scheduler's word.
   */
  enterPending(restarting: boolean, clearLedger: boolean, cause?: string): void {
    this.cancelRetry();
    if (clearLedger) this.closeBreaker();
    const reason = cause ?? AWAITING_SCHEDULER;
    this.setState({ status: 'pending', since: this.now, restarting, reason, blocked: false });
    this.announce('process:pending', { reason });
  }

  /**
   * Enters a status the process leaves only when asked. The breaker closes: a stop calls
   * off the try it may have been waiting for or making, and a completion is a success. A
   * completed run of a schedule waits for its next fire instead.
   */
  settle(state: Extract<ProcessState, { status: 'stopped' | 'completed' }>): void {
    this.record = { ...this.record, breaker: CLOSED_BREAKER };
    if (state.status === 'completed' && this.scheduleOn)
      return this.enterScheduled(state.lastExit, null);
    this.setState(state);
    if (state.status === 'stopped') this.announce('process:stopped', {});
    else this.announce('process:completed', { code: state.lastExit.code });
  }

  /**
   * Gives up on the process; with a `retry`, only until the breaker's cooldown is over. A
   * schedule's run that failed waits for the next fire instead.
   */
  fail(reason: string, lastExit: ExitInfo | null, retry?: BreakerTrip): void {
    if (this.scheduleOn) return this.enterScheduled(lastExit, reason);
    if (!retry) {
      this.setState({ status: 'failed', since: this.now, reason, lastExit });
      this.announce('process:failed', { reason });
      return;
    }
    const retryAt = this.now + retry.cooldownMs;
    this.record = { ...this.record, breaker: retry.breaker };
    this.setState({ status: 'failed', since: this.now, reason, lastExit, retryAt });
    this.announce('process:failed', { reason, retryAt });
    this.emit('arm-timer', { timer: 'cooldown', at: retryAt });
  }

  /** Leaving a `failed` state whose breaker would try it later: that try is off. */
  cancelRetry(): void {
    const { state } = this.record;
    if (state.status === 'failed' && state.retryAt !== undefined) {
      this.emit('disarm-timer', { timer: 'cooldown' });
    }
  }

  /** A fresh restart budget and a closed breaker: the process came up, or was asked to run. */
  closeBreaker(): void {
    this.record = { ...this.record, ledger: EMPTY_LEDGER, breaker: CLOSED_BREAKER };
  }

  becomeRunning({ pid, since }: ActiveRun): void {
    // The one try after a cooldown came up: the breaker closes, the budget is whole again.
    if (this.record.breaker.position === 'half-open') this.closeBreaker();
    this.setState({ status: 'running', pid, since, readyAt: this.now });
    this.announce('process:ready', {});
    if (startTimeoutOf(this.spec) !== undefined) {
      this.emit('disarm-timer', { timer: 'start-timeout' });
    }
    if (this.spec.liveness) this.emit('probe', { probe: 'liveness', run: true });
  }

  beginStop({ pid, since }: ActiveRun, intent: StopIntent): void {
    const deadline = this.now + this.spec.stop.timeoutMs;
    this.setState({ status: 'stopping', pid, since, deadline, intent, killed: false });
    this.stopProbes();
    this.emit('disarm-timer', { timer: 'min-uptime' });
    this.emit('signal', { signal: this.spec.stop.signal });
    this.emit('arm-timer', { timer: 'stop-deadline', at: deadline });
  }

  /**
   * Counts a breach, announces it unless held back by its cooldown, and ends the run if it
   * must. A warning is announced only: nothing was violated yet.
   */
  applyBreach(run: ActiveRun, breach: LimitBreach): void {
    const { violations, limitBreaches } = this.record;
    // A warning is counted by what it did (`warn`), but is no violation: nothing was exceeded.
    this.record = {
      ...this.record,
      ...(breach.action !== 'warn' && {
        violations: { ...violations, [breach.resource]: (violations[breach.resource] ?? 0) + 1 },
      }),
      limitBreaches: countBreach(limitBreaches, breach.resource, breach.action),
    };
    if (breach.report) {
      const { resource, value, limit, action, severity, suppressed, reason } = breach;
      this.announce('process:limit', {
        resource,
        value,
        limit,
        action,
        severity,
        suppressed,
        reason,
      });
    }
    const intent = stopIntentOf(breach);
    if (intent) this.beginStop(run, intent);
  }

  setIntent(intent: StopIntent): void {
    const { state } = this.record;
    if (state.status === 'stopping') this.setState({ ...state, intent });
  }

  /**
   * Clears what belonged to the run that just ended and reports its exit, with why it
   * ended: what the supervisor asked for, or else what the exit itself says.
   */
  endRun(exit: ExitInfo, requested: string | null): void {
    this.stopProbes();
    // No run, no verdict: a stopped or backing-off process is not "healthy".
    this.setHealth(initialHealth(this.spec));
    this.emit('disarm-timer', { timer: 'min-uptime' });
    this.emit('disarm-timer', { timer: 'stop-deadline' });
    if (this.spec.limits?.maxRuntimeMs !== undefined) {
      this.emit('disarm-timer', { timer: 'max-runtime' });
    }
    if (startTimeoutOf(this.spec) !== undefined) {
      this.emit('disarm-timer', { timer: 'start-timeout' });
    }
    this.announce('process:exit', {
      code: exit.code,
      signal: exit.signal,
      runMs: exit.runMs,
      killedAfterTimeout: exit.killedAfterTimeout,
      reason: requested ?? describeExit(exit),
    });
  }

  /** Restart, complete or fail after an exit that was not asked for. */
  applyRestartPolicy(exit: ExitInfo, recoverReason: string | null): void {
    const success = recoverReason === null ? undefined : false;
    const { ledger, breaker } = this.record;
    const decision = decideRestart(this.spec.restart, ledger, exit, this.now, success, breaker);
    if (decision.action === 'complete') {
      this.settle({ status: 'completed', since: this.now, lastExit: exit });
    } else if (decision.action === 'fail') {
      const reason =
        recoverReason === null ? decision.reason : `${recoverReason}; ${decision.reason}`;
      this.fail(reason, exit, decision.retry);
    } else {
      const until = this.now + decision.delayMs;
      this.record = { ...this.record, ledger: decision.ledger };
      this.setState({
        status: 'backoff',
        since: this.now,
        until,
        attempt: decision.attempt,
        lastExit: exit,
      });
      this.announce('process:backoff', {
        attempt: decision.attempt,
        delayMs: decision.delayMs,
        reason: backoffReason(exit),
      });
      this.emit('arm-timer', { timer: 'backoff', at: until });
    }
  }

  /** Whether the process's schedule is on: a run that ends goes back to `scheduled`. */
  get scheduleOn(): boolean {
    return (this.record.schedule?.nextFireAt ?? null) !== null;
  }

  setSchedule(schedule: ScheduleMemory): void {
    this.record = { ...this.record, schedule };
  }

  /**
   * Turns the schedule on, when the process has one that is off: arms its first fire after
   * now, and after the last fire taken (so a clock set back never runs a fire time twice).
   */
  armSchedule(): void {
    const memory = this.record.schedule;
    const schedule = this.spec.schedule;
    if (!memory || !schedule || memory.nextFireAt !== null) return;
    const at = nextFire(schedule, Math.max(this.now, memory.lastFireAt ?? this.now));
    if (at === null) return;
    this.setSchedule({ ...memory, nextFireAt: at });
    this.emit('arm-fire', { at });
  }

  /** Turns the schedule off (a stop request), dropping a queued run. */
  disarmSchedule(): void {
    const memory = this.record.schedule;
    if (!memory || (memory.nextFireAt === null && !memory.queued)) return;
    this.setSchedule({ ...memory, nextFireAt: null, queued: false });
    this.emit('disarm-fire', {});
  }

  /**
   * A run of a schedule is over (or the schedule was just brought up): wait for the next
   * fire, or run again at once when a fire was queued behind the run.
   */
  enterScheduled(lastExit: ExitInfo | null, lastFailure: string | null): void {
    const memory = this.record.schedule;
    if (!memory || memory.nextFireAt === null) return;
    if (memory.queued) {
      this.setSchedule({ ...memory, queued: false });
      return this.enterPending(false, false);
    }
    const state = {
      status: 'scheduled',
      since: this.now,
      nextRunAt: memory.nextFireAt,
      lastExit,
      lastFailure,
    } as const;
    this.setState(state);
    this.announce('process:scheduled', {
      nextRunAt: state.nextRunAt,
      reason: scheduledReason(this.spec, state, this.now),
    });
  }

  setHealth(health: Health): void {
    const from = this.record.health;
    if (from === health) return;
    this.record = { ...this.record, health };
    this.announce('process:health', { from, to: health });
  }

  private stopProbes(): void {
    if (this.spec.readiness) this.emit('probe', { probe: 'readiness', run: false });
    if (this.spec.liveness) this.emit('probe', { probe: 'liveness', run: false });
  }
}

/**
 * How long a start may wait for readiness; `undefined` when it may wait forever. Only a
 * readiness probe can hold a start up: without one, `min_uptime` ends it.
 */
export function startTimeoutOf(spec: ProcessSpec): number | undefined {
  return spec.readiness ? spec.startTimeoutMs : undefined;
}
