/**
 * One run of a component's health check: what it answers read as a verdict, and a deadline
 * past which it counts as unhealthy whatever it does after.
 */
import type { ComponentStatus } from '../core/component-health.js';
import type { Clock } from './circuit-breaker.js';
import { TimeoutError } from './errors.js';

/** What a check may answer besides nothing (healthy) or a boolean. */
export interface CheckVerdict {
  readonly status: 'healthy' | 'degraded' | 'unhealthy';
  readonly message?: string;
}

/**
 * Checks a component: resolves (with nothing, `true` or a verdict) when it is fine, throws
 * or answers `false` when it is not. `signal` aborts at the check's timeout, or when the
 * check is unregistered or the checks stopped: a check that honours it ends early.
 */
export type HealthCheck = (signal: AbortSignal) => PromiseLike<CheckAnswer> | CheckAnswer;

/** Nothing or `true`: healthy; `false`: unhealthy; or a verdict of its own. */
// biome-ignore lint/suspicious/noConfusingVoidType: so that `async () => { await ping(); }` is a check
export type CheckAnswer = void | boolean | CheckVerdict;

/** How a run ended. */
export interface RunOutcome {
  readonly status: Exclude<ComponentStatus, 'unknown'>;
  readonly message?: string;
  readonly latencyMs: number;
}

export interface CheckRun {
  /**
   * The outcome, at the check's end or at its deadline, whichever comes first; undefined
   * once cancelled before either. Never rejects.
   */
  readonly outcome: Promise<RunOutcome | undefined>;
  /** Whether the check itself has ended: one past its deadline may still be running. */
  ended(): boolean;
  /** Aborts the check's signal with `reason`; the outcome, if still to come, is undefined. */
  cancel(reason: unknown): void;
}

const VERDICTS: ReadonlySet<unknown> = new Set(['healthy', 'degraded', 'unhealthy']);

export function startCheckRun(check: HealthCheck, timeoutMs: number, clock: Clock): CheckRun {
  const controller = new AbortController();
  const started = clock();
  let ended = false;
  let settle!: (outcome: RunOutcome | undefined) => void;
  const outcome = new Promise<RunOutcome | undefined>((resolve) => {
    settle = resolve;
  });
  let decided = false;
  const decide = (decision: RunOutcome | undefined) => {
    if (decided) return;
    decided = true;
    clearTimeout(deadline);
    settle(decision);
  };
  const deadline = setTimeout(() => {
    const error = new TimeoutError(timeoutMs);
    controller.abort(error);
    decide({ status: 'unhealthy', message: error.message, latencyMs: timeoutMs });
  }, timeoutMs);
  // A check waiting for its deadline is no reason for the process to stay up.
  deadline.unref?.();

  invoke(check, controller.signal).then(
    (answer) => {
      ended = true;
      decide({ ...verdictOf(answer), latencyMs: clock() - started });
    },
    (error: unknown) => {
      ended = true;
      decide({ status: 'unhealthy', message: messageOf(error), latencyMs: clock() - started });
    },
  );

  return {
    outcome,
    ended: () => ended,
    cancel(reason) {
      controller.abort(reason);
      decide(undefined);
    },
  };
}

/** The check's answer as a promise, a synchronous throw included. */
function invoke(check: HealthCheck, signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve) => resolve(check(signal)));
}

function verdictOf(answer: unknown): Omit<RunOutcome, 'latencyMs'> {
  if (answer === undefined || answer === true) return { status: 'healthy' };
  if (answer === false) return { status: 'unhealthy', message: 'the check answered false' };
  const verdict = answer as Partial<CheckVerdict> | null;
  if (typeof verdict === 'object' && verdict !== null && VERDICTS.has(verdict.status)) {
    const status = verdict.status as RunOutcome['status'];
    return typeof verdict.message === 'string' ? { status, message: verdict.message } : { status };
  }
  return {
    status: 'unhealthy',
    message: `the check answered ${describe(answer)}, not a boolean or { status: healthy | degraded | unhealthy }`,
  };
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
