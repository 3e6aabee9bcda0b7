/**
 * The `workflow:*` events of a run, derived from what changed in the store since a watcher
 * last looked at it: its recorded steps, its failure counts and its status. What the store
 * does not keep is not told: a failed attempt's duration (0) and error (only the run's, at
 * its end), and a step's failed attempts are numbered over the whole run.
 */
import type { WorkflowEvent } from './events.js';
import type { DeadLetter, RunStatus, StepRecord, WorkflowRun } from './records.js';

/** What a watcher last saw of a run. */
export interface SeenRun {
  readonly status: RunStatus;
  readonly updatedAt: number;
  /** The first step index not yet looked at. */
  readonly nextIndex: number;
  readonly stepFailures: Readonly<Record<string, number>>;
  /** The `updatedAt` of the end last told: a run that ends again after a retry is told again. */
  readonly endedAt?: number;
}

/** A run as it is now, with its recorded steps and the dead letter of its end, if any. */
export interface RunChange {
  readonly run: WorkflowRun;
  readonly steps: readonly StepRecord[];
  readonly letter?: DeadLetter;
}

const isEnded = (status: RunStatus) => status === 'completed' || status === 'failed';

/** What the watcher saw of an unfinished run before it began: nothing to tell of it yet. */
export function seenAtStart(run: WorkflowRun, nextIndex = 0): SeenRun {
  return {
    status: run.status,
    updatedAt: run.updatedAt,
    nextIndex,
    stepFailures: run.stepFailures,
  };
}

/**
 * The events of `change` since `seen` (undefined: a run not seen before), nothing of what
 * happened before `since` (when the watcher began, by the store's clock).
 */
export function eventsOfChange(
  seen: SeenRun | undefined,
  change: RunChange,
  since: number,
): { readonly events: WorkflowEvent[]; readonly seen: SeenRun } {
  const { run, steps, letter } = change;
  const ids = { runId: run.id, workflow: run.workflow };
  const events: WorkflowEvent[] = [];
  // A run not seen before was created since (all of it is news), or taken back from a dead
  // letter after the watcher had let go of it: only its steps are known to be news, by time.
  const created = seen === undefined && run.createdAt >= since;
  const failuresBefore = created ? {} : (seen?.stepFailures ?? run.stepFailures);
  const resumed =
    seen === undefined
      ? !created && !isEnded(run.status)
      : isEnded(seen.status) && !isEnded(run.status);
  if (created || resumed) events.push({ type: 'workflow:started', ...ids, resumed });

  const nextIndex = seen?.nextIndex ?? 0;
  const recorded = steps.filter((step) => step.index >= nextIndex && step.finishedAt >= since);
  const toldFailures = new Set<string>();
  const failures = (name: string, index: number) => {
    if (toldFailures.has(name)) return;
    toldFailures.add(name);
    const before = Object.hasOwn(failuresBefore, name) ? failuresBefore[name]! : 0;
    for (let attempt = before + 1; attempt <= run.stepFailures[name]!; attempt++) {
      events.push({
        type: 'workflow:step',
        ...ids,
        step: name,
        index,
        attempt,
        outcome: 'failed',
        durationMs: 0,
      });
    }
  };
  for (const step of recorded) {
    if (step.kind !== 'step') continue;
    if (Object.hasOwn(run.stepFailures, step.name)) failures(step.name, step.index);
    events.push({
      type: 'workflow:step',
      ...ids,
      step: step.name,
      index: step.index,
      attempt: step.attempts,
      outcome: 'completed',
      durationMs: step.finishedAt - step.startedAt,
    });
  }
  const lastIndex = steps.reduce((last, step) => Math.max(last, step.index), nextIndex - 1);
  // Failures of a step not recorded: the one the run is at.
  for (const name of Object.keys(run.stepFailures))
    failures(name, letter?.stepIndex ?? lastIndex + 1);

  let endedAt = seen?.endedAt;
  if (isEnded(run.status) && endedAt !== run.updatedAt && run.updatedAt >= since) {
    endedAt = run.updatedAt;
    if (run.status === 'completed') events.push({ type: 'workflow:completed', ...ids });
    else {
      const error = run.error ?? { name: 'Error', message: 'failed' };
      events.push({ type: 'workflow:failed', ...ids, error });
      if (letter) {
        const { step, stepIndex, attempts } = letter;
        events.push({
          type: 'workflow:dead-lettered',
          ...ids,
          letter: { step, stepIndex, attempts, error: letter.error },
        });
      }
    }
  }
  return {
    events,
    seen: {
      status: run.status,
      updatedAt: run.updatedAt,
      nextIndex: lastIndex + 1,
      stepFailures: run.stepFailures,
      ...(endedAt !== undefined && { endedAt }),
    },
  };
}
