import { describe, expect, it } from 'vitest';
import type { StepRecord, WorkflowRun } from '../../../src/core/workflows/records.js';
import { eventsOfChange, seenAtStart } from '../../../src/core/workflows/run-changes.js';

const SINCE = 10_000;
const run = (fields: Partial<WorkflowRun>): WorkflowRun => ({
  id: 'r',
  workflow: 'w',
  status: 'running',
  input: null,
  createdAt: SINCE + 1,
  updatedAt: SINCE + 1,
  stepFailures: {},
  ...fields,
});
const step = (index: number, name: string, finishedAt: number): StepRecord => ({
  runId: 'r',
  index,
  name,
  kind: 'step',
  attempts: 1,
  startedAt: finishedAt - 5,
  finishedAt,
});
const types = (events: readonly { type: string }[]) => events.map((event) => event.type);

describe('the workflow events of what changed in a run', () => {
  it('tells a new run from its start, and each later change once', () => {
    const first = eventsOfChange(
      undefined,
      { run: run({}), steps: [step(0, 'a', SINCE + 2)] },
      SINCE,
    );
    expect(first.events).toEqual([
      { type: 'workflow:started', runId: 'r', workflow: 'w', resumed: false },
      {
        type: 'workflow:step',
        runId: 'r',
        workflow: 'w',
        step: 'a',
        index: 0,
        attempt: 1,
        outcome: 'completed',
        durationMs: 5,
      },
    ]);
    const failing = run({ updatedAt: SINCE + 3, stepFailures: { b: 2 } });
    const second = eventsOfChange(
      first.seen,
      { run: failing, steps: [step(0, 'a', SINCE + 2)] },
      SINCE,
    );
    expect(
      second.events.map((event) => [
        event.type,
        'attempt' in event && event.attempt,
        'index' in event && event.index,
      ]),
    ).toEqual([
      ['workflow:step', 1, 1],
      ['workflow:step', 2, 1],
    ]);
    const error = { name: 'Error', message: 'no' };
    const failed = run({ status: 'failed', updatedAt: SINCE + 4, stepFailures: { b: 2 }, error });
    const letter = {
      id: 'dl',
      runId: 'r',
      workflow: 'w',
      step: 'b',
      stepIndex: 1,
      input: null,
      error,
      attempts: 2,
      failedAt: SINCE + 4,
    };
    const third = eventsOfChange(
      second.seen,
      { run: failed, steps: [step(0, 'a', SINCE + 2)], letter },
      SINCE,
    );
    expect(types(third.events)).toEqual(['workflow:failed', 'workflow:dead-lettered']);
    expect(eventsOfChange(third.seen, { run: failed, steps: [], letter }, SINCE).events).toEqual(
      [],
    );

    // Taken back from its letter and completed: resumed, the failed step's success, the end.
    const resumed = run({ status: 'pending', updatedAt: SINCE + 5, stepFailures: { b: 2 } });
    const fourth = eventsOfChange(
      third.seen,
      { run: resumed, steps: [step(0, 'a', SINCE + 2)] },
      SINCE,
    );
    expect(fourth.events).toEqual([
      { type: 'workflow:started', runId: 'r', workflow: 'w', resumed: true },
    ]);
    const completed = run({ status: 'completed', updatedAt: SINCE + 7, stepFailures: { b: 2 } });
    const steps = [step(0, 'a', SINCE + 2), step(1, 'b', SINCE + 6)];
    const fifth = eventsOfChange(fourth.seen, { run: completed, steps }, SINCE);
    expect(fifth.events.map((event) => [event.type, 'step' in event ? event.step : null])).toEqual([
      ['workflow:step', 'b'],
      ['workflow:completed', null],
    ]);
  });

  it('tells nothing of what happened before the watch began', () => {
    const old = run({ createdAt: SINCE - 100, updatedAt: SINCE - 1, stepFailures: { a: 1 } });
    const seen = seenAtStart(old);
    const later = { ...old, updatedAt: SINCE + 2, stepFailures: { a: 1, b: 1 } };
    const steps = [step(0, 'a', SINCE - 50), step(1, 'b', SINCE + 1)];
    const told = eventsOfChange(seen, { run: later, steps }, SINCE);
    expect(
      told.events.map((event) => [
        event.type,
        'step' in event ? event.step : null,
        'outcome' in event ? event.outcome : null,
      ]),
    ).toEqual([
      ['workflow:step', 'b', 'failed'],
      ['workflow:step', 'b', 'completed'],
    ]);
    const ended = run({ createdAt: SINCE - 100, updatedAt: SINCE - 1, status: 'completed' });
    expect(eventsOfChange(undefined, { run: ended, steps: [] }, SINCE).events).toEqual([]);
  });
});
