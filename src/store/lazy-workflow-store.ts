/**
 * A workflow store opened on first use, so that `new Workflows({ store })` can be written
 * where a constructor cannot wait for a connection and its migrations. A store that fails
 * to open fails every call with the reason, and the next call tries again.
 */
import type { WorkflowStore } from '../core/workflows/workflow-store.js';

export function lazyWorkflowStore(open: () => Promise<WorkflowStore>): WorkflowStore {
  let opening: Promise<WorkflowStore> | undefined;
  const store = (): Promise<WorkflowStore> => {
    opening ??= open().catch((error: unknown) => {
      opening = undefined;
      throw error;
    });
    return opening;
  };
  return {
    now: async () => (await store()).now(),
    createRun: async (run) => (await store()).createRun(run),
    run: async (id) => (await store()).run(id),
    runs: async (filter) => (await store()).runs(filter),
    steps: async (runId) => (await store()).steps(runId),
    claim: async (worker, options) => (await store()).claim(worker, options),
    renew: async (worker, runIds, leaseMs) => (await store()).renew(worker, runIds, leaseMs),
    release: async (worker, runIds) => (await store()).release(worker, runIds),
    recordStep: async (worker, step) => (await store()).recordStep(worker, step),
    countStepFailure: async (worker, runId, name) =>
      (await store()).countStepFailure(worker, runId, name),
    sleepRun: async (worker, runId, wakeAt) => (await store()).sleepRun(worker, runId, wakeAt),
    finishRun: async (worker, runId, end) => (await store()).finishRun(worker, runId, end),
    deadLetters: async (filter) => (await store()).deadLetters(filter),
    deadLetter: async (id) => (await store()).deadLetter(id),
    retryDeadLetter: async (id) => (await store()).retryDeadLetter(id),
    dropDeadLetter: async (id) => (await store()).dropDeadLetter(id),
    stats: async () => (await store()).stats(),
    // Closing a store never opened opens nothing.
    close: async () => {
      const opened = opening;
      opening = undefined;
      if (opened) await (await opened.catch(() => undefined))?.close();
    },
  };
}
