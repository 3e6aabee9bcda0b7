/**
 * One execution of a claimed run: its recorded steps loaded, its function called with a
 * context that replays them, and its end written, fenced by the lease. A step out of
 * attempts fails the run and files a dead letter in the same write; an execution stopped
 * short (a sleep, a shutdown, a lost lease) writes no end at all.
 */
import { jsonProblem } from '../core/workflows/json-value.js';
import type { Json, WorkflowRun } from '../core/workflows/records.js';
import type { RunEnd, WorkflowStore } from '../core/workflows/workflow-store.js';
import { Interrupted, StepFailedError, storedError } from './errors.js';
import type { WorkflowEvent } from './events.js';
import { createRunContext, type WorkflowContext } from './run-context.js';

export type WorkflowFunction<I = Json, O = unknown> = (
  context: WorkflowContext,
  input: I,
) => Promise<O>;

/** How an execution ended. */
export type ExecutionOutcome =
  | { readonly kind: 'completed'; readonly output: unknown }
  | { readonly kind: 'failed' }
  | { readonly kind: 'sleeping'; readonly wakeAt: number }
  /** Let go of (the engine stops), or taken over by another worker: nothing was written. */
  | { readonly kind: 'interrupted'; readonly why: 'stopping' | 'lease lost' };

export interface ExecuteRunDeps {
  readonly store: WorkflowStore;
  readonly worker: string;
  readonly run: WorkflowRun;
  readonly fn: WorkflowFunction<Json, unknown>;
  readonly signal: AbortSignal;
  readonly abortReason: () => 'stopping' | 'lease lost';
  readonly emit: (event: WorkflowEvent) => void;
}

export async function executeRun(deps: ExecuteRunDeps): Promise<ExecutionOutcome> {
  const { store, worker, run, emit } = deps;
  const recorded = await store.steps(run.id);
  const { context, state } = createRunContext({ ...deps, recorded });
  emit({
    type: 'workflow:started',
    runId: run.id,
    workflow: run.workflow,
    resumed: recorded.length > 0,
  });

  const interrupted = (interruption: Interrupted): ExecutionOutcome =>
    interruption.why === 'sleeping'
      ? { kind: 'sleeping', wakeAt: state.wakeAt! }
      : { kind: 'interrupted', why: interruption.why };
  const end = async (ending: RunEnd): Promise<boolean> => store.finishRun(worker, run.id, ending);

  let output: unknown;
  try {
    output = await deps.fn(context, run.input);
  } catch (error) {
    // The function may have caught the interruption and thrown something else: the
    // interruption stands.
    const interruption = state.interruption ?? (error instanceof Interrupted ? error : undefined);
    if (interruption) return interrupted(interruption);
    if (deps.signal.aborted) return { kind: 'interrupted', why: deps.abortReason() };
    return fail(deps, error, end);
  }
  if (state.interruption) return interrupted(state.interruption);
  const problem = output === undefined ? undefined : jsonProblem(output);
  if (problem) {
    return fail(
      deps,
      new TypeError(`workflow ${run.workflow} returned what JSON cannot hold: ${problem}`),
      end,
    );
  }
  const written = await end({
    status: 'completed',
    ...(output !== undefined && { output: output as Json }),
  });
  if (!written) return { kind: 'interrupted', why: 'lease lost' };
  emit({ type: 'workflow:completed', runId: run.id, workflow: run.workflow });
  return { kind: 'completed', output };
}

async function fail(
  deps: ExecuteRunDeps,
  error: unknown,
  end: (ending: RunEnd) => Promise<boolean>,
): Promise<ExecutionOutcome> {
  const { run, emit } = deps;
  const stored = storedError(error);
  if (error instanceof StepFailedError) {
    const cause = storedError(error.cause);
    const letter = {
      step: error.step,
      stepIndex: error.index,
      attempts: error.attempts,
      error: cause,
    };
    const written = await end({
      status: 'failed',
      error: stored,
      deadLetter: { ...letter, runId: run.id, workflow: run.workflow, input: run.input },
    });
    if (!written) return { kind: 'interrupted', why: 'lease lost' };
    emit({ type: 'workflow:failed', runId: run.id, workflow: run.workflow, error: stored });
    emit({ type: 'workflow:dead-lettered', runId: run.id, workflow: run.workflow, letter });
    return { kind: 'failed' };
  }
  if (!(await end({ status: 'failed', error: stored })))
    return { kind: 'interrupted', why: 'lease lost' };
  emit({ type: 'workflow:failed', runId: run.id, workflow: run.workflow, error: stored });
  return { kind: 'failed' };
}
