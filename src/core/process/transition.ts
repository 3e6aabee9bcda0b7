/**
 * The lifecycle of one process as a pure function:
 * `transition(spec, record, input, now) → {record, effects}`. The supervisor feeds inputs
 * (requests, OS news, probe results, timers) and carries out the effects; nothing here
 * touches the OS or reads a clock.
 */
import type { ProcessEvent, ProcessEventMap } from '../events.js';
import { type LimitBreach, maxRuntimeBreach } from '../limits/limits.js';
import { stopIntentOf } from './limit-stop.js';
import {
  AWAITING_SCHEDULER,
  backoffReason,
  startingReason,
  startTimeoutReason,
} from './reasons.js';
import { decideRestart, describeExit } from './restart.js';
import type { ProcessSpec } from './spec.js';
import {
  type ActiveRun,
  activeRun,
  EMPTY_LEDGER,
  type ExitInfo,
  FRESH_TALLY,
  type Health,
  isSettledStatus,
  type ProbeKind,
  type ProbeTally,
  type ProcessRecord,
  type ProcessState,
  type Status,
  type StopIntent,
} from './state.js';

/** Timers a process may have armed; arming one replaces the previous of that kind. */
export type TimerKind =
  | 'backoff'
  | 'min-uptime'
  | 'stop-deadline'
  | 'max-runtime'
  | 'start-timeout';

export type ProcessInput =
  /** Asked to run (from `stopped`, `completed` or `failed`). */
  | { readonly type: 'start' }
  /** Asked to stop. */
  | { readonly type: 'stop' }
  /** Asked to stop if running, then start again. */
  | { readonly type: 'restart' }
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

export type Effect =
  /** Spawn the child; answer with `spawned`, `spawn-failed` or `sandbox-refused`. */
  | { readonly type: 'spawn' }
  /** Send a signal to the child's whole process group. */
  | { readonly type: 'signal'; readonly signal: string }
  /** SIGKILL the child's whole process group. */
  | { readonly type: 'kill' }
  /** Feed `{type: 'timer', timer}` at `at` (epoch ms). */
  | { readonly type: 'arm-timer'; readonly timer: TimerKind; readonly at: number }
  | { readonly type: 'disarm-timer'; readonly timer: TimerKind }
  /** Start or stop running a probe against the current child. */
  | { readonly type: 'probe'; readonly probe: ProbeKind; readonly run: boolean }
  | { readonly type: 'emit'; readonly event: ProcessEvent };

/** The request was refused; the record is unchanged. */
export interface Rejection {
  readonly code: 'INVALID_STATE';
  readonly message: string;
}

export interface Step {
  readonly record: ProcessRecord;
  readonly effects: readonly Effect[];
  readonly rejection?: Rejection;
}

/** A request a user makes of a process. */
export type Request = 'start' | 'stop' | 'restart';

/**
 * Why a process in `status` refuses `request`, or `undefined` when it takes it: `start` of
 * one that is neither at rest nor stopping (it already runs, or is on its way), `stop` of
 * one at rest; `restart` is always taken. Depends on the status alone, so a client holding
 * `ps` rows can check every name of a command before acting on any.
 */
export function refusalOf(request: Request, name: string, status: Status): Rejection | undefined {
  const settled = isSettledStatus(status);
  if (request === 'start' && !settled && status !== 'stopping') {
    return { code: 'INVALID_STATE', message: `${name} is already ${status}` };
  }
  if (request === 'stop' && settled) {
    return { code: 'INVALID_STATE', message: `${name} is not running (${status})` };
  }
  return undefined;
}

/** A record for a process that has been declared but not asked to run. */
export function initialRecord(spec: ProcessSpec, now: number): ProcessRecord {
  return {
    state: { status: 'stopped', since: now, lastExit: null },
    health: initialHealth(spec),
    ledger: EMPTY_LEDGER,
    probes: { readiness: FRESH_TALLY, liveness: FRESH_TALLY },
    violations: {},
  };
}

export function transition(
  spec: ProcessSpec,
  record: ProcessRecord,
  input: ProcessInput,
  now: number,
): Step {
  const context = new StepBuilder(spec, record, now);
  HANDLERS[input.type](context, input as never);
  return context.result();
}

type Handler<I extends ProcessInput> = (step: StepBuilder, input: I) => void;
type HandlerTable = { [T in ProcessInput['type']]: Handler<Extract<ProcessInput, { type: T }>> };

const HANDLERS: HandlerTable = {
  start: (step) => {
    const { state } = step.record;
    const refusal = refusalOf('start', step.spec.name, state.status);
    if (refusal) return step.reject(refusal.message);
    if (state.status === 'stopping') return step.setIntent({ kind: 'restart' });
    step.enterPending(false, state.status === 'failed');
  },

  stop: (step) => {
    const { state } = step.record;
    const run = activeRun(state);
    if (run) return step.beginStop(run, { kind: 'stop' });
    switch (state.status) {
      case 'pending':
      case 'backoff':
        step.emit('disarm-timer', { timer: 'backoff' });
        return step.settle({
          status: 'stopped',
          since: step.now,
          lastExit: state.status === 'backoff' ? state.lastExit : null,
        });
      case 'starting':
        // Spawn requested, no pid yet: a child that still appears is ended on `spawned`.
        return step.settle({ status: 'stopped', since: step.now, lastExit: null });
      case 'stopping':
        return step.setIntent({ kind: 'stop' });
      default:
        return step.reject(refusalOf('stop', step.spec.name, state.status)!.message);
    }
  },

  restart: (step) => {
    const { state } = step.record;
    const run = activeRun(state);
    if (run) return step.beginStop(run, { kind: 'restart' });
    switch (state.status) {
      case 'stopping':
        return step.setIntent({ kind: 'restart' });
      case 'backoff':
        step.emit('disarm-timer', { timer: 'backoff' });
        return step.enterPending(true, false);
      case 'pending':
      case 'starting':
        return;
      default:
        return step.enterPending(true, state.status === 'failed');
    }
  },

  recover: (step, input) => {
    const run = activeRun(step.record.state);
    if (run) step.beginStop(run, { kind: 'recover', reason: input.reason });
  },

  admit: (step) => {
    const { state } = step.record;
    if (state.status !== 'pending') return;
    step.record = {
      ...step.record,
      state: { status: 'starting', since: step.now, pid: null, restarting: state.restarting },
      probes: { readiness: FRESH_TALLY, liveness: FRESH_TALLY },
    };
    step.emit('spawn', {});
    step.announce('process:starting', {});
  },

  wait: (step, input) => {
    const { state } = step.record;
    if (state.status !== 'pending') return;
    if (state.reason === input.reason && state.blocked === input.blocked) return;
    step.setState({ ...state, reason: input.reason, blocked: input.blocked });
    step.announce('process:pending', { reason: input.reason });
  },

  'dependency-failed': (step, input) => {
    if (step.record.state.status !== 'pending') return;
    step.fail(input.reason, null);
  },

  spawned: (step, input) => {
    const { state } = step.record;
    if (state.status !== 'starting' || state.pid !== null) {
      // The process was stopped while its spawn was under way: end the stray child.
      return step.emit('kill', {});
    }
    step.record = { ...step.record, state: { ...state, pid: input.pid } };
    step.announce('process:started', { pid: input.pid });
    if (state.restarting) step.announce('process:restarted', { pid: input.pid });
    if (step.spec.readiness) step.emit('probe', { probe: 'readiness', run: true });
    else
      step.emit('arm-timer', {
        timer: 'min-uptime',
        at: state.since + step.spec.restart.minUptimeMs,
      });
    const maxRuntimeMs = step.spec.limits?.maxRuntimeMs;
    if (maxRuntimeMs !== undefined) {
      step.emit('arm-timer', { timer: 'max-runtime', at: state.since + maxRuntimeMs });
    }
    const startTimeoutMs = startTimeoutOf(step.spec);
    if (startTimeoutMs !== undefined) {
      step.emit('arm-timer', { timer: 'start-timeout', at: state.since + startTimeoutMs });
    }
  },

  'spawn-failed': (step, input) => {
    if (step.record.state.status !== 'starting') return;
    step.fail(`spawn error: ${input.message}`, null);
  },

  'sandbox-refused': (step, input) => {
    if (step.record.state.status !== 'starting') return;
    step.fail(`sandbox: ${input.message}`, null);
  },

  exited: (step, input) => {
    const { state } = step.record;
    if (state.status !== 'starting' && state.status !== 'running' && state.status !== 'stopping')
      return;
    const intent = state.status === 'stopping' ? state.intent : null;
    const exit: ExitInfo = {
      code: input.code,
      signal: input.signal,
      killedAfterTimeout: state.status === 'stopping' && state.killed,
      runMs: step.now - state.since,
      at: step.now,
      // The supervisor's own reason outlives the run: `backoff` and `failed` show it.
      ...((intent?.kind === 'recover' || intent?.kind === 'halt') && { cause: intent.reason }),
    };
    step.endRun(exit, intent ? describeIntent(intent) : null);
    if (intent === null) return step.applyRestartPolicy(exit, null);
    if (intent.kind === 'stop')
      return step.settle({ status: 'stopped', since: step.now, lastExit: exit });
    if (intent.kind === 'restart') return step.enterPending(true, false);
    if (intent.kind === 'halt') return step.fail(intent.reason, exit);
    step.applyRestartPolicy(exit, intent.reason);
  },

  probe: (step, input) => {
    const { state } = step.record;
    const run = activeRun(state);
    const probeSpec = step.spec[input.probe];
    if (!run || !probeSpec) return;
    const tally = nextTally(
      step.record.probes[input.probe],
      input.ok ? null : (input.message ?? 'failed'),
      probeSpec.failureThreshold,
      step.now,
    );
    step.record = { ...step.record, probes: { ...step.record.probes, [input.probe]: tally } };
    // What a start waits on changed (a first failure, or a new message): say so once, not
    // at every check, so the supervisor's log shows it without flooding.
    if (
      state.status === 'starting' &&
      input.probe === 'readiness' &&
      tally.lastFailure?.count === 1
    ) {
      step.announce('process:starting', { reason: startingReason(step.spec, step.record) });
    }
    // Failures while starting only mean "not ready yet": health turns bad once it was ready.
    const verdict = state.status === 'starting' && !tally.passing ? null : tally.passing;
    if (healthSource(step.spec) === input.probe && verdict !== null) {
      step.setHealth(verdict ? 'healthy' : 'unhealthy');
    }
    if (input.probe === 'readiness' && input.ok && state.status === 'starting') {
      return step.becomeRunning(run);
    }
    if (input.probe === 'liveness' && tally.passing === false && state.status === 'running') {
      step.beginStop(run, {
        kind: 'recover',
        reason: `liveness probe failed ${tally.failures} times in a row`,
      });
    }
  },

  limit: (step, input) => {
    const run = activeRun(step.record.state);
    if (run) step.applyBreach(run, input.breach);
  },

  timer: (step, input) => {
    const { state } = step.record;
    if (input.timer === 'backoff' && state.status === 'backoff') {
      return step.enterPending(true, false);
    }
    const run = activeRun(state);
    const maxRuntimeMs = step.spec.limits?.maxRuntimeMs;
    if (input.timer === 'max-runtime' && run && maxRuntimeMs !== undefined) {
      return step.applyBreach(run, maxRuntimeBreach(maxRuntimeMs, step.now - run.since));
    }
    if (input.timer === 'start-timeout' && state.status === 'starting' && run) {
      return step.beginStop(run, {
        kind: 'recover',
        reason: startTimeoutReason(step.spec, step.record),
      });
    }
    if (input.timer === 'min-uptime' && state.status === 'starting' && run) {
      if (!step.spec.readiness) step.becomeRunning(run);
      return;
    }
    if (input.timer === 'stop-deadline' && state.status === 'stopping' && !state.killed) {
      step.record = { ...step.record, state: { ...state, killed: true } };
      step.emit('kill', {});
    }
  },
};

/** Accumulates the new record and the effects of one step. */
class StepBuilder {
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

  /** Waiting for dependencies and a slot; an explicit start after `failed` clears the budget. */
  enterPending(restarting: boolean, clearLedger: boolean): void {
    const ledger = clearLedger ? EMPTY_LEDGER : this.record.ledger;
    this.record = { ...this.record, ledger };
    this.setState({
      status: 'pending',
      since: this.now,
      restarting,
      reason: AWAITING_SCHEDULER,
      blocked: false,
    });
    this.announce('process:pending', { reason: AWAITING_SCHEDULER });
  }

  /** Enters a status the process leaves only when asked. */
  settle(state: Extract<ProcessState, { status: 'stopped' | 'completed' }>): void {
    this.setState(state);
    if (state.status === 'stopped') this.announce('process:stopped', {});
    else this.announce('process:completed', { code: state.lastExit.code });
  }

  fail(reason: string, lastExit: ExitInfo | null): void {
    this.setState({ status: 'failed', since: this.now, reason, lastExit });
    this.announce('process:failed', { reason });
  }

  becomeRunning({ pid, since }: ActiveRun): void {
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

  /** Counts a breach, announces it unless held back by its cooldown, and ends the run if it must. */
  applyBreach(run: ActiveRun, breach: LimitBreach): void {
    const { violations } = this.record;
    const count = (violations[breach.resource] ?? 0) + 1;
    this.record = { ...this.record, violations: { ...violations, [breach.resource]: count } };
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
    const decision = decideRestart(this.spec.restart, this.record.ledger, exit, this.now, success);
    if (decision.action === 'complete') {
      this.settle({ status: 'completed', since: this.now, lastExit: exit });
    } else if (decision.action === 'fail') {
      const reason =
        recoverReason === null ? decision.reason : `${recoverReason}; ${decision.reason}`;
      this.fail(reason, exit);
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
function startTimeoutOf(spec: ProcessSpec): number | undefined {
  return spec.readiness ? spec.startTimeoutMs : undefined;
}

/** Health before any probe has answered for a run: `none` for a process without probes. */
function initialHealth(spec: ProcessSpec): Health {
  return spec.readiness || spec.liveness ? 'unknown' : 'none';
}

/** The probe whose verdict is the process's `health`: readiness, else liveness. */
export function healthSource(spec: ProcessSpec): ProbeKind | null {
  if (spec.readiness) return 'readiness';
  if (spec.liveness) return 'liveness';
  return null;
}

/**
 * One result counted in (`failure`: what a failed check saw, `null` for a pass): a success
 * clears failures; enough failures in a row make it failing. Failures in a row with the same
 * message are counted together, from the first of them.
 */
export function nextTally(
  tally: ProbeTally,
  failure: string | null,
  failureThreshold: number,
  now: number,
): ProbeTally {
  if (failure === null) return { failures: 0, passing: true, lastFailure: null };
  const failures = tally.failures + 1;
  const previous = tally.lastFailure;
  const lastFailure =
    previous?.message === failure
      ? { ...previous, count: previous.count + 1 }
      : { message: failure, count: 1, since: now };
  return {
    failures,
    passing: failures >= failureThreshold ? false : tally.passing,
    lastFailure,
  };
}

/** Why a run the supervisor was stopping ended, for its exit event. */
function describeIntent(intent: StopIntent): string {
  switch (intent.kind) {
    case 'stop':
      return 'stop requested';
    case 'restart':
      return 'restart requested';
    case 'recover':
    case 'halt':
      return intent.reason;
  }
}
