/**
 * The workflow store in a SQLite file, held to the contract, and to what only a file
 * promises: it keeps runs and their steps across a close and a reopen.
 */
import { afterEach, describe, expect, it } from 'vitest';
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
});
