import { describe, expect, it } from 'vitest';
import type { DeadLetter, StepRecord, WorkflowRun } from '../../../src/core/workflows/records.js';
import { deadLetterView, runView, stepView } from '../../../src/core/workflows/views.js';

const AT = Date.UTC(2026, 0, 2, 3, 4, 5, 6);
const ISO = '2026-01-02T03:04:05.006Z';

describe('workflow views', () => {
  it('shows a running run with ISO times, nulls for what does not apply, failures summed', () => {
    const run: WorkflowRun = {
      id: 'r1',
      workflow: 'order',
      status: 'running',
      input: { id: 1 },
      createdAt: AT,
      updatedAt: AT + 1000,
      owner: 'host/web#0',
      leaseUntil: AT + 30_000,
      stepFailures: { charge: 2, ship: 1 },
    };
    expect(runView(run, 3)).toEqual({
      id: 'r1',
      workflow: 'order',
      status: 'running',
      input: { id: 1 },
      error: null,
      createdAt: ISO,
      updatedAt: '2026-01-02T03:04:06.006Z',
      owner: 'host/web#0',
      leaseUntil: '2026-01-02T03:04:35.006Z',
      wakeAt: null,
      stepsDone: 3,
      failures: 3,
      stepFailures: { charge: 2, ship: 1 },
    });
  });

  it('keeps an output of null apart from no output, and an error as stored', () => {
    const base = {
      id: 'r',
      workflow: 'w',
      input: null,
      createdAt: AT,
      updatedAt: AT,
      stepFailures: {},
    };
    const completed = runView({ ...base, status: 'completed', output: null }, 0);
    expect(completed).toHaveProperty('output', null);
    expect(runView({ ...base, status: 'completed' }, 0)).not.toHaveProperty('output');
    const error = { name: 'Error', message: 'no', stack: 'Error: no' };
    expect(runView({ ...base, status: 'failed', error }, 0).error).toEqual(error);
    expect(runView({ ...base, status: 'sleeping', wakeAt: AT }, 0).wakeAt).toBe(ISO);
  });

  it('shows a step with its duration, and a sleep with when it ends', () => {
    const step: StepRecord = {
      runId: 'r',
      index: 0,
      name: 'charge',
      kind: 'step',
      output: { ok: true },
      attempts: 2,
      startedAt: AT,
      finishedAt: AT + 250,
    };
    expect(stepView(step)).toEqual({
      index: 0,
      name: 'charge',
      kind: 'step',
      output: { ok: true },
      wakeAt: null,
      attempts: 2,
      startedAt: ISO,
      finishedAt: '2026-01-02T03:04:05.256Z',
      durationMs: 250,
    });
    const sleep = stepView({ ...step, kind: 'sleep', output: undefined, wakeAt: AT });
    expect(sleep).not.toHaveProperty('output');
    expect(sleep.wakeAt).toBe(ISO);
  });

  it('shows a dead letter with when it failed', () => {
    const letter: DeadLetter = {
      id: 'dl',
      runId: 'r',
      workflow: 'order',
      step: 'charge',
      stepIndex: 1,
      input: [1, 'a'],
      error: { name: 'Error', message: 'declined' },
      attempts: 3,
      failedAt: AT,
    };
    expect(deadLetterView(letter)).toEqual({ ...letter, failedAt: ISO });
  });
});
