/**
 * The `ctx` a workflow function receives for one execution of a run: `step` runs work and
 * records its result before the function goes on, and returns the recorded result instead
 * of running again when the run is resumed; `sleep` is a timer recorded with when it ends,
 * so a resumed run sleeps only what is left. Steps are told apart by their place in the
 * run: a resumed run must call the same steps in the same order.
 */
import { exponentialBackoff } from '../core/backoff.js';
import type { UnitInput } from '../core/units.js';
import { jsonProblem } from '../core/workflows/json-value.js';
import type { Json, StepRecord, WorkflowRun } from '../core/workflows/records.js';
import type { WorkflowStore } from '../core/workflows/workflow-store.js';
import { durationMs, type Policy, wrap } from '../resilience/policy.js';
import { DEFAULT_RETRY_BACKOFF, type RetryOptions, retry } from '../resilience/retry.js';
import { timeout } from '../resilience/timeout.js';
import { Interrupted, NonDeterminismError, StepFailedError, storedError } from './errors.js';
import type { WorkflowEvent } from './events.js';

export interface StepOptions {
  /** Attempts and the waits between them; default 3 attempts, 100 ms growing to 10 s. `false`: one. */
  readonly retry?: Omit<RetryOptions, 'random'> | false;
  /** A deadline for each attempt (its signal aborts then); default none. */
  readonly timeout?: UnitInput;
}

/** What a step's work receives. */
export interface StepContext {
  /** Aborted at the attempt's deadline, or when the run is let go of (shutdown, lost lease). */
  readonly signal: AbortSignal;
  /** Which attempt this is, from 1. */
  readonly attempt: number;
  /** The same for every attempt of this step of this run, on every worker: an idempotency key. */
  readonly key: string;
}

export interface WorkflowContext {
  readonly runId: string;
  readonly workflow: string;
  /** The idempotency key of the step running now (`<runId>:<index>`); undefined between steps. */
  readonly stepKey: string | undefined;
  /** Aborted when this execution is let go of: the engine stops, or the lease was lost. */
  readonly signal: AbortSignal;
  /** Runs `fn` once per run: its result is recorded, and replayed on resume. */
  step<T>(
    name: string,
    fn: (step: StepContext) => PromiseLike<T> | T,
    options?: StepOptions,
  ): Promise<T>;
  /** Sleeps durably: a resumed run sleeps only what is left. */
  sleep(duration: UnitInput, name?: string): Promise<void>;
}

export const DEFAULT_STEP_ATTEMPTS = 3;

/** Where a run's execution stands, for the engine once the function has returned or thrown. */
export interface ExecutionState {
  /** Set once the execution must stop short: the function's own outcome then counts for nothing. */
  interruption: Interrupted | undefined;
  /** When the run sleeps till, once interrupted by a sleep. */
  wakeAt: number | undefined;
}

export interface RunContextDeps {
  readonly store: WorkflowStore;
  readonly worker: string;
  readonly run: WorkflowRun;
  readonly recorded: readonly StepRecord[];
  readonly signal: AbortSignal;
  /** Why the signal aborted: the engine stopping, or the lease lost. */
  readonly abortReason: () => 'stopping' | 'lease lost';
  readonly emit: (event: WorkflowEvent) => void;
}

export function createRunContext(deps: RunContextDeps): {
  context: WorkflowContext;
  state: ExecutionState;
} {
  const { store, worker, run, signal, emit } = deps;
  const recordedAt = new Map(deps.recorded.map((step) => [step.index, step]));
  const state: ExecutionState = { interruption: undefined, wakeAt: undefined };
  let cursor = 0;
  let stepKey: string | undefined;

  /** Stops the execution short, for good: later calls of the function fail the same way. */
  const interrupt = (why: Interrupted['why']): never => {
    state.interruption ??= new Interrupted(why);
    throw state.interruption;
  };
  const guard = () => {
    if (state.interruption) throw state.interruption;
    if (signal.aborted) interrupt(deps.abortReason());
  };
  const replayed = (index: number, kind: StepRecord['kind'], name: string) => {
    const recorded = recordedAt.get(index);
    if (recorded && (recorded.kind !== kind || recorded.name !== name)) {
      throw new NonDeterminismError(index, `${recorded.kind} ${recorded.name}`, `${kind} ${name}`);
    }
    return recorded;
  };

  const context: WorkflowContext = {
    runId: run.id,
    workflow: run.workflow,
    get stepKey() {
      return stepKey;
    },
    signal,

    async step<T>(
      name: string,
      fn: (step: StepContext) => PromiseLike<T> | T,
      options: StepOptions = {},
    ) {
      guard();
      const index = cursor++;
      const recorded = replayed(index, 'step', name);
      if (recorded) return recorded.output as T;
      const key = `${run.id}:${index}`;
      const startedAt = Date.now();
      let attempts = 0;
      let output: T;
      try {
        output = await policyOf(options).execute(async ({ signal: attemptSignal, attempt = 1 }) => {
          attempts = attempt;
          stepKey = key;
          const began = performance.now();
          const told = {
            type: 'workflow:step',
            runId: run.id,
            workflow: run.workflow,
            step: name,
            index,
            attempt,
          } as const;
          try {
            const value = await fn({ signal: attemptSignal, attempt, key });
            emit({ ...told, outcome: 'completed', durationMs: performance.now() - began });
            return value;
          } catch (error) {
            const durationMs = performance.now() - began;
            emit({ ...told, outcome: 'failed', durationMs, error: storedError(error) });
            if (!signal.aborted) await store.countStepFailure(worker, run.id, name);
            throw error;
          } finally {
            stepKey = undefined;
          }
        }, signal);
      } catch (error) {
        guard();
        throw new StepFailedError(name, index, attempts, error);
      }
      const problem = output === undefined ? undefined : jsonProblem(output);
      if (problem) {
        throw new StepFailedError(
          name,
          index,
          attempts,
          new TypeError(`its result is not plain JSON: ${problem}`),
        );
      }
      const step: StepRecord = {
        runId: run.id,
        index,
        name,
        kind: 'step',
        ...(output !== undefined && { output: output as Json }),
        attempts,
        startedAt,
        finishedAt: Date.now(),
      };
      if (!(await store.recordStep(worker, step))) interrupt('lease lost');
      return output;
    },

    async sleep(duration: UnitInput, name = 'sleep') {
      const ms = durationMs(duration, `sleep ${name}`);
      guard();
      const index = cursor++;
      const recorded = replayed(index, 'sleep', name);
      const now = await store.now();
      let wakeAt = recorded?.wakeAt;
      if (wakeAt === undefined) {
        wakeAt = now + ms;
        const step: StepRecord = {
          runId: run.id,
          index,
          name,
          kind: 'sleep',
          wakeAt,
          attempts: 1,
          startedAt: now,
          finishedAt: now,
        };
        if (!(await store.recordStep(worker, step))) interrupt('lease lost');
      }
      if (wakeAt <= now) return;
      if (!(await store.sleepRun(worker, run.id, wakeAt))) interrupt('lease lost');
      state.wakeAt = wakeAt;
      interrupt('sleeping');
    },
  };
  return { context, state };
}

const STEP_BACKOFF = DEFAULT_RETRY_BACKOFF;
const NO_RETRY: Policy = retry({
  attempts: 1,
  backoff: exponentialBackoff({ initialMs: 0, factor: 1, maxMs: 0 }),
});
const DEFAULT_RETRY: Policy = retry({ attempts: DEFAULT_STEP_ATTEMPTS, backoff: STEP_BACKOFF });

/** The retry, and the deadline of each attempt, that a step runs under. */
function policyOf(options: StepOptions): Policy {
  const retrying =
    options.retry === false ? NO_RETRY : options.retry ? retry(options.retry) : DEFAULT_RETRY;
  return options.timeout === undefined ? retrying : wrap(retrying, timeout(options.timeout));
}
