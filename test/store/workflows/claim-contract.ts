/** The workflow store contract, part two: leases, taken, renewed, let go and taken over. */
import { describe, expect, it } from 'vitest';
import {
  createRuns,
  heldRun,
  ids,
  LIVE_LEASE_MS,
  type OpenWorkflowStore,
  SHORT_MS,
  takeOver,
  useStore,
} from './contract-support.js';

const LIVE = { leaseMs: LIVE_LEASE_MS };

export function claimContract(open: OpenWorkflowStore): void {
  describe('claim', () => {
    const fixture = useStore(open);

    it('claims pending runs oldest first, up to the limit, leased to the worker', async () => {
      const { store } = fixture;
      await createRuns(store, ['r1', 'r2', 'r3']);
      const before = await store.now();
      const claimed = await store.claim('w1', { limit: 2, ...LIVE });
      const after = await store.now();
      expect(ids(claimed)).toEqual(['r1', 'r2']);
      for (const run of claimed) {
        expect(run).toMatchObject({ status: 'running', owner: 'w1' });
        expect(run.leaseUntil).toBeGreaterThanOrEqual(before + LIVE_LEASE_MS);
        expect(run.leaseUntil).toBeLessThanOrEqual(after + LIVE_LEASE_MS);
        expect(await store.run(run.id)).toEqual(run);
      }
      expect(ids(await store.claim('w2', { limit: 5, ...LIVE }))).toEqual(['r3']);
      expect(await store.claim('w3', { limit: 5, ...LIVE })).toEqual([]);
    });

    it('claims only runs of the workflows named, or only the run named', async () => {
      const { store } = fixture;
      await createRuns(store, ['a'], 'order');
      await createRuns(store, ['b'], 'mail');
      await createRuns(store, ['c', 'd'], 'order');
      expect(ids(await store.claim('w1', { limit: 5, ...LIVE, workflows: ['mail'] }))).toEqual([
        'b',
      ]);
      expect(await store.claim('w1', { limit: 5, ...LIVE, workflows: [] })).toEqual([]);
      expect(ids(await store.claim('w1', { limit: 5, ...LIVE, runId: 'c' }))).toEqual(['c']);
      expect(await store.claim('w1', { limit: 5, ...LIVE, runId: 'nope' })).toEqual([]);
      const other = { limit: 5, ...LIVE, runId: 'd', workflows: ['mail'] };
      expect(await store.claim('w1', other)).toEqual([]);
      expect(
        ids(await store.claim('w1', { limit: 5, ...LIVE, workflows: ['order', 'x'] })),
      ).toEqual(['a', 'd']);
    });

    it('never claims a run held under a live lease, even by its own holder', async () => {
      const { store } = fixture;
      await heldRun(store, 'w1', 'r1');
      expect(await store.claim('w2', { limit: 5, ...LIVE })).toEqual([]);
      expect(await store.claim('w1', { limit: 5, ...LIVE })).toEqual([]);
    });

    it('takes over a run whose lease ended', async () => {
      const { store } = fixture;
      const held = await heldRun(store, 'w1', 'r1', SHORT_MS);
      const taken = await takeOver(fixture, held, 'w2');
      expect(taken).toMatchObject({ id: 'r1', status: 'running', owner: 'w2' });
      expect(taken.leaseUntil).toBeGreaterThan(held.leaseUntil!);
    });

    it('wakes a sleeping run only once its wakeAt has passed', async () => {
      const { store } = fixture;
      await heldRun(store, 'w1', 'r1');
      const wakeAt = (await store.now()) + SHORT_MS;
      expect(await store.sleepRun('w1', 'r1', wakeAt)).toBe(true);
      expect(await store.claim('w2', { limit: 5, ...LIVE })).toEqual([]);
      await fixture.reach(wakeAt);
      const [woken] = await store.claim('w2', { limit: 5, ...LIVE });
      expect(woken).toMatchObject({ id: 'r1', status: 'running', owner: 'w2' });
      expect(woken).not.toHaveProperty('wakeAt');
    });

    it('never claims a finished run', async () => {
      const { store } = fixture;
      await heldRun(store, 'w1', 'done');
      await heldRun(store, 'w1', 'broken');
      await store.finishRun('w1', 'done', { status: 'completed', output: 1 });
      const error = { name: 'Error', message: 'no' };
      await store.finishRun('w1', 'broken', { status: 'failed', error });
      expect(await store.claim('w1', { limit: 5, ...LIVE })).toEqual([]);
      expect(await store.claim('w2', { limit: 5, ...LIVE, runId: 'done' })).toEqual([]);
    });

    it('gives each run to one claimer among several claiming at once', async () => {
      const { store } = fixture;
      const all = Array.from({ length: 40 }, (_, n) => `r${n}`);
      await createRuns(store, all);
      const workers = Array.from({ length: 8 }, (_, n) => `w${n}`);
      const claims = await Promise.all(
        workers.map((worker) => store.claim(worker, { limit: 4, ...LIVE })),
      );
      const rest = await Promise.all(
        workers.map((worker) => store.claim(worker, { limit: 4, ...LIVE })),
      );
      const claimed = [...claims, ...rest].flatMap(ids);
      expect(claimed).toHaveLength(all.length);
      expect(new Set(claimed)).toEqual(new Set(all));
      for (const [n, worker] of workers.entries()) {
        for (const run of [...claims[n]!, ...rest[n]!]) expect(run.owner).toBe(worker);
      }
    });
  });

  describe('renew and release', () => {
    const fixture = useStore(open);

    it('renews only the leases the worker holds', async () => {
      const { store } = fixture;
      await heldRun(store, 'w1', 'mine');
      await heldRun(store, 'w2', 'theirs');
      await createRuns(store, ['free']);
      await heldRun(store, 'w1', 'done');
      await store.finishRun('w1', 'done', { status: 'completed' });
      const now = await store.now();
      const renewed = await store.renew(
        'w1',
        ['mine', 'theirs', 'free', 'done', 'nope'],
        2 * LIVE_LEASE_MS,
      );
      expect(renewed).toEqual(['mine']);
      expect((await store.run('mine'))!.leaseUntil).toBeGreaterThanOrEqual(now + 2 * LIVE_LEASE_MS);
      expect((await store.run('theirs'))!.leaseUntil).toBeLessThan(now + 2 * LIVE_LEASE_MS);
      expect(await store.renew('w1', [], LIVE_LEASE_MS)).toEqual([]);
    });

    it('renews no lease that has ended, taken over or not', async () => {
      const { store } = fixture;
      const lapsed = await heldRun(store, 'w1', 'lapsed', SHORT_MS);
      const taken = await heldRun(store, 'w1', 'taken', SHORT_MS);
      await takeOver(fixture, taken, 'w2');
      await fixture.reach(lapsed.leaseUntil!);
      expect(await store.renew('w1', ['lapsed', 'taken'], LIVE_LEASE_MS)).toEqual([]);
      expect(await store.run('taken')).toMatchObject({ owner: 'w2', status: 'running' });
    });

    it('lets go of the runs the worker holds, pending again for anyone', async () => {
      const { store } = fixture;
      await heldRun(store, 'w1', 'mine');
      await heldRun(store, 'w2', 'theirs');
      await store.release('w1', ['mine', 'theirs', 'nope']);
      const released = await store.run('mine');
      expect(released).toMatchObject({ status: 'pending' });
      expect(released).not.toHaveProperty('owner');
      expect(released).not.toHaveProperty('leaseUntil');
      expect(await store.run('theirs')).toMatchObject({ status: 'running', owner: 'w2' });
      expect(ids(await store.claim('w3', { limit: 5, ...LIVE }))).toEqual(['mine']);
    });
  });
}
