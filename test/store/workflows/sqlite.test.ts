/**
 * The workflow store in a SQLite file, held to the contract, and to what only a file
 * promises: it keeps runs and their steps across a close and a reopen.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { STEP_DURATION_BUCKETS_MS } from '../../../src/core/workflows/workflow-store.js';
import { openDatabase } from '../../../src/store/sqlite/database.js';
import { WORKFLOW_MIGRATIONS } from '../../../src/store/sqlite/workflow-migrations.js';
import { openSqliteWorkflowStore } from '../../../src/store/sqlite/workflow-store.js';
import { removeStoreFiles, storeFile } from '../sqlite/store-files.js';
import { describeWorkflowStoreContract } from './contract.js';
import { step } from './fenced-writes-contract.js';
import { testClock } from './movable-clock.js';

afterEach(removeStoreFiles);

describeWorkflowStoreContract('SqliteWorkflowStore', async () => {
  const clock = testClock();
  const store = openSqliteWorkflowStore(storeFile(), { clock: clock.now });
  return { store, clock, close: () => store.close() };
});

describe('SqliteWorkflowStore file', () => {
  it('keeps runs, steps, failures and letters across a close and a reopen', async () => {
    const file = storeFile();
    const first = openSqliteWorkflowStore(file);
    await first.createRun({ id: 'r1', workflow: 'order', input: { sku: 'a' } });
    await first.claim('w1', { limit: 1, leaseMs: 60_000 });
    await first.recordStep('w1', step('r1', 0));
    await first.recordStep('w1', step('r1', 1, { kind: 'sleep', wakeAt: 5_000 }));
    await first.countStepFailure('w1', 'r1', 'charge');
    const run = await first.run('r1');
    await first.close();

    const second = openSqliteWorkflowStore(file);
    try {
      expect(await second.run('r1')).toEqual(run);
      expect(await second.steps('r1')).toEqual([
        step('r1', 0),
        step('r1', 1, { kind: 'sleep', wakeAt: 5_000 }),
      ]);
      expect(await second.renew('w1', ['r1'], 60_000)).toEqual(['r1']);
    } finally {
      await second.close();
    }
  });

  it('counts the steps a file of the first version holds once it is migrated', async () => {
    const file = storeFile();
    // As an overseer of the first version wrote it.
    const first = openDatabase(file, WORKFLOW_MIGRATIONS.slice(0, 1));
    first
      .prepare(
        `INSERT INTO runs (id, workflow, status, input, created_at, updated_at, owner, lease_until)
         VALUES ('r1', 'order', 'running', 'null', 0, 0, 'w1', 9e15)`,
      )
      .run();
    const insertStep = first.prepare(
      `INSERT INTO steps (run_id, step_index, name, kind, attempts, started_at, finished_at)
       VALUES ('r1', ?, ?, ?, 1, 0, ?)`,
    );
    insertStep.run(0, 'reserve', 'step', 7);
    insertStep.run(1, 'nap', 'sleep', 0);
    first.close();

    const migrated = openSqliteWorkflowStore(file);
    try {
      await migrated.recordStep('w1', step('r1', 2, { startedAt: 0, finishedAt: 400 }));
      const buckets = new Array<number>(STEP_DURATION_BUCKETS_MS.length + 1).fill(0);
      buckets[STEP_DURATION_BUCKETS_MS.indexOf(10)] = 1;
      buckets[STEP_DURATION_BUCKETS_MS.indexOf(500)] = 1;
      expect((await migrated.stats()).steps).toEqual([
        { workflow: 'order', count: 2, durationMs: 407, buckets },
      ]);
    } finally {
      await migrated.close();
    }
  });
});
