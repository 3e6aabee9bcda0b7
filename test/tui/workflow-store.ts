/**
 * Workflow runs for the dashboard's tests, recorded in a `MemoryWorkflowStore` as an engine
 * records them, and read through `storeWorkflowsApi` as the daemon reads them: `order-1`
 * completed, `order-2` failed at `charge` with its dead letter, `order-3` running on a
 * worker. Each call can be made to fail, and every retry and drop is recorded. And a dead
 * letter filed in any store, for the tests over a real one.
 */
import { OverseerError } from '../../src/core/errors.js';
import type { StoredError } from '../../src/core/workflows/records.js';
import type { WorkflowStore } from '../../src/core/workflows/workflow-store.js';
import { storeWorkflowsApi, type WorkflowsApi } from '../../src/protocol/workflows-api.js';
import { MemoryWorkflowStore } from '../../src/store/memory/workflow-store.js';

const CARD_DECLINED: StoredError = {
  name: 'Error',
  message: 'card declined\nby the issuer',
  stack:
    'Error: card declined\nby the issuer\n    at charge (/app/order.js:12:11)\n    at run (/app/engine.js:40:5)',
};

export interface TestWorkflows extends WorkflowsApi {
  readonly store: MemoryWorkflowStore;
  /** `retry dl-1`, `drop dl-1`: every action asked, as it was asked. */
  readonly actions: string[];
  /** Calls that fail with this error, by method name, until deleted. */
  readonly failing: Map<keyof WorkflowsApi, Error>;
  /** Calls made, by method name. */
  readonly calls: Map<keyof WorkflowsApi, number>;
}

export async function testWorkflows(): Promise<TestWorkflows> {
  const store = new MemoryWorkflowStore();
  const at = Date.now() - 60_000;
  const lease = { limit: 1, leaseMs: 600_000 };
  const step = (runId: string, index: number, name: string, attempts = 1) => ({
    runId,
    index,
    name,
    kind: 'step' as const,
    output: index,
    attempts,
    startedAt: at,
    finishedAt: at + 1_500,
  });

  await store.createRun({ id: 'order-1', workflow: 'order', input: { id: 1 } });
  await store.claim('host/worker#0', { ...lease, runId: 'order-1' });
  await store.recordStep('host/worker#0', step('order-1', 0, 'reserve'));
  await store.countStepFailure('host/worker#0', 'order-1', 'charge');
  await store.recordStep('host/worker#0', step('order-1', 1, 'charge', 2));
  await store.finishRun('host/worker#0', 'order-1', {
    status: 'completed',
    output: { charged: true },
  });

  await store.createRun({ id: 'order-2', workflow: 'order', input: { id: 2, items: ['a', 'b'] } });
  await store.claim('host/worker#0', { ...lease, runId: 'order-2' });
  await store.recordStep('host/worker#0', step('order-2', 0, 'reserve'));
  for (let attempt = 0; attempt < 3; attempt++) {
    await store.countStepFailure('host/worker#0', 'order-2', 'charge');
  }
  await store.finishRun('host/worker#0', 'order-2', {
    status: 'failed',
    error: CARD_DECLINED,
    deadLetter: {
      runId: 'order-2',
      workflow: 'order',
      step: 'charge',
      stepIndex: 1,
      input: { id: 2, items: ['a', 'b'] },
      error: CARD_DECLINED,
      attempts: 3,
    },
  });

  await store.createRun({ id: 'order-3', workflow: 'order', input: { id: 3 } });
  await store.claim('host/worker#1', { ...lease, runId: 'order-3' });
  await store.recordStep('host/worker#1', step('order-3', 0, 'reserve'));

  const api = storeWorkflowsApi(store);
  const actions: string[] = [];
  const failing = new Map<keyof WorkflowsApi, Error>();
  const calls = new Map<keyof WorkflowsApi, number>();
  const watched = <K extends keyof WorkflowsApi>(name: K, call: WorkflowsApi[K]): WorkflowsApi[K] =>
    ((...args: unknown[]) => {
      calls.set(name, (calls.get(name) ?? 0) + 1);
      const error = failing.get(name);
      if (error) return Promise.reject(error);
      return (call as (...args: unknown[]) => unknown)(...args);
    }) as WorkflowsApi[K];
  return {
    store,
    actions,
    failing,
    calls,
    runs: watched('runs', api.runs),
    run: watched('run', api.run),
    deadLetters: watched('deadLetters', api.deadLetters),
    deadLetter: watched('deadLetter', api.deadLetter),
    retryDeadLetter: watched('retryDeadLetter', (id) => {
      actions.push(`retry ${id}`);
      return api.retryDeadLetter(id);
    }),
    dropDeadLetter: watched('dropDeadLetter', (id) => {
      actions.push(`drop ${id}`);
      return api.dropDeadLetter(id);
    }),
  };
}

/** Files run `order-7` of `order` in `store`, failed at `charge`, and its dead letter; its id. */
export async function fileDeadLetter(store: WorkflowStore): Promise<string> {
  await store.createRun({ id: 'order-7', workflow: 'order', input: { id: 7 } });
  await store.claim('host/worker', { limit: 1, leaseMs: 60_000, runId: 'order-7' });
  const error = { name: 'Error', message: 'card declined' };
  await store.finishRun('host/worker', 'order-7', {
    status: 'failed',
    error,
    deadLetter: {
      runId: 'order-7',
      workflow: 'order',
      step: 'charge',
      stepIndex: 0,
      input: { id: 7 },
      error,
      attempts: 3,
    },
  });
  return (await store.deadLetters())[0]!.id;
}

/** What a daemon that serves no workflows answers to `/workflows` and `/dead-letters`. */
export function noRoute(path: string): OverseerError {
  return new OverseerError('NOT_FOUND', `no route GET ${path}`);
}
