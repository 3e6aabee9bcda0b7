/**
 * The workflow store contract, part five: what a watcher reads, runs updated since a time
 * least recently updated first, and the counts a metrics scrape reads.
 */
import { describe, expect, it } from 'vitest';
import { STEP_DURATION_BUCKETS_MS } from '../../../src/core/workflows/workflow-store.js';
import {
  createRuns,
  heldRun,
  ids,
  LIVE_LEASE_MS,
  type OpenWorkflowStore,
  useStore,
} from './contract-support.js';

const ERROR = { name: 'Error', message: 'out of retries' };

export function watchContract(open: OpenWorkflowStore): void {
  describe('what a watcher and a scrape read', () => {
    const fixture = useStore(open);

    it('answers runs updated at or after a time, least recently updated first', async () => {
      const { store } = fixture;
      await createRuns(store, ['a', 'b', 'c']);
      const before = await store.now();
      // Past the runs' creation, then the claim: on a clock that moves by itself (the
      // database's) the claim lands at or after `since`, the creations before it.
      const since = before + 1;
      await fixture.reach(since);
      await store.claim('w1', { limit: 1, leaseMs: LIVE_LEASE_MS, runId: 'a' });
      const claimed = (await store.run('a'))!.updatedAt;
      expect(ids(await store.runs({ updatedSince: claimed + 1 }))).toEqual([]);
      expect(ids(await store.runs({ updatedSince: since }))).toEqual(['a']);
      expect(ids(await store.runs({ updatedSince: 0 }))).toEqual(['b', 'c', 'a']);
      expect(ids(await store.runs({ updatedSince: 0, limit: 2 }))).toEqual(['b', 'c']);
      expect(ids(await store.runs({ updatedSince: 0, statuses: ['pending'] }))).toEqual(['b', 'c']);
    });

    it('counts runs by workflow and status, letters and recorded steps by workflow', async () => {
      const { store } = fixture;
      expect(await store.stats()).toEqual({ runs: [], deadLetters: [], steps: [] });
      await createRuns(store, ['a', 'b']);
      await createRuns(store, ['m'], 'mail');
      await heldRun(store, 'w1', 'x');
      const base = { runId: 'x', attempts: 1, startedAt: 1_000 };
      await store.recordStep('w1', {
        ...base,
        index: 0,
        name: 's',
        kind: 'step',
        finishedAt: 1_003,
      });
      await store.recordStep('w1', {
        ...base,
        index: 1,
        name: 't',
        kind: 'step',
        finishedAt: 1_700,
      });
      await store.recordStep('w1', {
        ...base,
        index: 2,
        name: 'nap',
        kind: 'sleep',
        wakeAt: 9_000,
        finishedAt: 1_000,
      });
      const deadLetter = { runId: 'x', workflow: 'order', step: 'u', stepIndex: 3 };
      await store.finishRun('w1', 'x', {
        status: 'failed',
        error: ERROR,
        deadLetter: { ...deadLetter, input: { id: 'x' }, error: ERROR, attempts: 2 },
      });
      const stats = await store.stats();
      const byKey = <T extends { workflow: string }>(rows: readonly T[], key: (row: T) => string) =>
        [...rows].sort((a, b) => key(a).localeCompare(key(b)));
      expect(byKey(stats.runs, (row) => row.workflow + row.status)).toEqual([
        { workflow: 'mail', status: 'pending', count: 1 },
        { workflow: 'order', status: 'failed', count: 1 },
        { workflow: 'order', status: 'pending', count: 2 },
      ]);
      expect(stats.deadLetters).toEqual([{ workflow: 'order', count: 1 }]);
      const buckets = new Array<number>(STEP_DURATION_BUCKETS_MS.length + 1).fill(0);
      buckets[0] = 1; // 3 ms
      buckets[STEP_DURATION_BUCKETS_MS.indexOf(1_000)] = 1; // 700 ms
      expect(stats.steps).toEqual([{ workflow: 'order', count: 2, durationMs: 703, buckets }]);
    });
  });
}
