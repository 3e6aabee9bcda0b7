/**
 * The project's workflow store as a reader sees it (the daemon, the CLI): a SQLite file
 * that no worker has written yet is not created by a look at it. Until the file exists,
 * reads answer as an empty store and taking back a letter finds none; once it exists it
 * is opened, on first use, and stays open. A write (a run started) opens it, creating it.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { isPostgresUrl } from '../core/workflows/store-location.js';
import type { WorkflowStore } from '../core/workflows/workflow-store.js';
import { lazyWorkflowStore } from './lazy-workflow-store.js';
import { openSqliteWorkflowStore } from './sqlite/workflow-store.js';

/**
 * The store at `location` (an absolute SQLite path, or a `postgres://` URL, its tables in
 * `schema`), opened when first needed. PostgreSQL's driver is loaded only then.
 */
export function existingWorkflowStore(location: string, schema?: string): WorkflowStore {
  if (isPostgresUrl(location)) {
    return lazyWorkflowStore(async () => {
      const { openPostgresWorkflowStore } = await import('./postgres/workflow-store.js');
      return openPostgresWorkflowStore(location, schema === undefined ? {} : { schema });
    });
  }
  const opened = lazyWorkflowStore(async () => {
    mkdirSync(dirname(location), { recursive: true });
    return openSqliteWorkflowStore(location);
  });
  let seen = false;
  /** Whether the file is there to read (checked until it is, then taken as there). */
  const exists = () => {
    seen ||= existsSync(location);
    return seen;
  };
  return {
    now: async () => (exists() ? opened.now() : Date.now()),
    run: async (id) => (exists() ? opened.run(id) : undefined),
    runs: async (filter) => (exists() ? opened.runs(filter) : []),
    steps: async (runId) => (exists() ? opened.steps(runId) : []),
    deadLetters: async (filter) => (exists() ? opened.deadLetters(filter) : []),
    deadLetter: async (id) => (exists() ? opened.deadLetter(id) : undefined),
    retryDeadLetter: async (id) => (exists() ? opened.retryDeadLetter(id) : undefined),
    dropDeadLetter: async (id) => (exists() ? opened.dropDeadLetter(id) : false),
    stats: async () => (exists() ? opened.stats() : { runs: [], deadLetters: [], steps: [] }),
    createRun: (run) => opened.createRun(run),
    claim: (worker, options) => opened.claim(worker, options),
    renew: (worker, runIds, leaseMs) => opened.renew(worker, runIds, leaseMs),
    release: (worker, runIds) => opened.release(worker, runIds),
    recordStep: (worker, step) => opened.recordStep(worker, step),
    countStepFailure: (worker, runId, name) => opened.countStepFailure(worker, runId, name),
    sleepRun: (worker, runId, wakeAt) => opened.sleepRun(worker, runId, wakeAt),
    finishRun: (worker, runId, end) => opened.finishRun(worker, runId, end),
    close: () => opened.close(),
  };
}
