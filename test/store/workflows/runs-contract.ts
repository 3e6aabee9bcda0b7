/** The workflow store contract, part one: starting runs and reading them back. */
import { describe, expect, it } from 'vitest';
import {
  claimRun,
  createRuns,
  ids,
  newRun,
  type OpenWorkflowStore,
  useStore,
} from './contract-support.js';

export function runsContract(open: OpenWorkflowStore): void {
  describe('runs', () => {
    const fixture = useStore(open);

    it('creates a run pending, by its clock, and a second start with its id is the same run', async () => {
      const { store } = fixture;
      const before = await store.now();
      const first = await store.createRun(newRun('r1', 'order', { sku: 'a' }));
      const after = await store.now();
      expect(first).toEqual({
        created: true,
        run: {
          id: 'r1',
          workflow: 'order',
          status: 'pending',
          input: { sku: 'a' },
          createdAt: first.run.createdAt,
          updatedAt: first.run.createdAt,
          stepFailures: {},
        },
      });
      expect(first.run.createdAt).toBeGreaterThanOrEqual(before);
      expect(first.run.createdAt).toBeLessThanOrEqual(after);
      const second = await store.createRun(newRun('r1', 'mail', { sku: 'b' }));
      expect(second).toEqual({ created: false, run: first.run });
      expect(await store.run('r1')).toEqual(first.run);
      expect(await store.runs()).toEqual([first.run]);
    });

    it('creates a run once when one id is started several times at once', async () => {
      const { store } = fixture;
      const starts = await Promise.all(
        Array.from({ length: 5 }, (_, n) => store.createRun(newRun('r1', 'order', n))),
      );
      expect(starts.filter((start) => start.created)).toHaveLength(1);
      const [created] = starts.filter((start) => start.created);
      for (const start of starts) expect(start.run).toEqual(created!.run);
      expect(await store.runs()).toHaveLength(1);
    });

    it('answers undefined for a run it does not know', async () => {
      expect(await fixture.store.run('nope')).toBeUndefined();
      expect(await fixture.store.steps('nope')).toEqual([]);
    });

    it('lists runs newest first, by workflow and status, up to a limit', async () => {
      const { store } = fixture;
      await createRuns(store, ['a'], 'order');
      await createRuns(store, ['b'], 'mail');
      await createRuns(store, ['c', 'd'], 'order');
      await claimRun(store, 'w1', 'c');
      expect(await store.finishRun('w1', 'c', { status: 'completed' })).toBe(true);
      await claimRun(store, 'w1', 'b');

      expect(ids(await store.runs())).toEqual(['d', 'c', 'b', 'a']);
      expect(ids(await store.runs({ workflow: 'order' }))).toEqual(['d', 'c', 'a']);
      expect(ids(await store.runs({ statuses: ['pending'] }))).toEqual(['d', 'a']);
      expect(ids(await store.runs({ statuses: ['pending', 'running'] }))).toEqual(['d', 'b', 'a']);
      expect(ids(await store.runs({ workflow: 'order', statuses: ['completed'] }))).toEqual(['c']);
      expect(ids(await store.runs({ workflow: 'mail', statuses: ['completed'] }))).toEqual([]);
      expect(ids(await store.runs({ statuses: [] }))).toEqual([]);
      expect(ids(await store.runs({ workflow: 'none' }))).toEqual([]);
      expect(ids(await store.runs({ limit: 2 }))).toEqual(['d', 'c']);
      expect(ids(await store.runs({ workflow: 'order', limit: 1 }))).toEqual(['d']);
    });

    it('lists the runs a worker holds, by owner', async () => {
      const { store } = fixture;
      await createRuns(store, ['a', 'b', 'c', 'd'], 'order');
      await claimRun(store, 'w1', 'a');
      await claimRun(store, 'w2', 'b');
      await claimRun(store, 'w1', 'c');
      expect(await store.finishRun('w1', 'c', { status: 'completed' })).toBe(true);

      expect(ids(await store.runs({ owner: 'w1' }))).toEqual(['a']);
      expect(ids(await store.runs({ owner: 'w2', statuses: ['running'] }))).toEqual(['b']);
      expect(ids(await store.runs({ owner: 'w3' }))).toEqual([]);
    });

    it('lists at most 100 runs unless told otherwise', async () => {
      const { store } = fixture;
      const all = Array.from({ length: 101 }, (_, n) => `r${n}`);
      await createRuns(store, all);
      const listed = await store.runs();
      expect(listed).toHaveLength(100);
      expect(listed[0]!.id).toBe('r100');
      expect(listed[99]!.id).toBe('r1');
      expect(await store.runs({ limit: 200 })).toHaveLength(101);
    });
  });
}
