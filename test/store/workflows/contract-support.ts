/**
 * What every part of the workflow store contract shares: a store opened fresh for each test
 * and closed after it, and time passing by the store's own clock. A store whose clock a test
 * can move (memory, SQLite) is moved; one whose clock it cannot (PostgreSQL's database clock)
 * is given short leases and waited on until its `now()` has passed the moment.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, beforeEach } from 'vitest';
import type { NewRun, WorkflowRun } from '../../../src/core/workflows/records.js';
import type { WorkflowStore } from '../../../src/core/workflows/workflow-store.js';

/** A clock the test moves by hand. */
export interface MovableClock {
  advance(ms: number): void;
}

/** A store under test: `clock` undefined when only real time moves it. */
export interface OpenedWorkflowStore {
  readonly store: WorkflowStore;
  readonly clock: MovableClock | undefined;
  close(): Promise<void>;
}

/** Opens an empty store. */
export type OpenWorkflowStore = () => Promise<OpenedWorkflowStore>;

/** A lease no test outlives. */
export const LIVE_LEASE_MS = 60_000;
/**
 * A lease or sleep a test waits out. Short, since a store on real time is waited on for it;
 * long enough that no test asks for a run before it ends and finds it already ended.
 */
export const SHORT_MS = 250;

/** The store of the test running now, opened before it and closed after it. */
export interface StoreFixture {
  readonly store: WorkflowStore;
  /** Lets time pass by the store's clock until `moment` is no longer in the future. */
  reach(moment: number): Promise<void>;
}

/** Opens a store before each test of the calling `describe` and closes it after. */
export function useStore(open: OpenWorkflowStore): StoreFixture {
  let opened: OpenedWorkflowStore | undefined;
  beforeEach(async () => {
    opened = await open();
  });
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });
  return {
    get store() {
      return opened!.store;
    },
    reach: async (moment) => {
      const { store, clock } = opened!;
      const now = await store.now();
      if (clock) {
        clock.advance(Math.max(0, moment - now));
        return;
      }
      // Only here is waiting on real time the point: the database's clock must pass it.
      while ((await store.now()) < moment) await delay(10);
    },
  };
}

export function newRun(id: string, workflow = 'order', input: NewRun['input'] = { id }): NewRun {
  return { id, workflow, input };
}

/** Creates runs `ids` of `workflow`, oldest first. */
export async function createRuns(store: WorkflowStore, ids: string[], workflow = 'order') {
  for (const id of ids) await store.createRun(newRun(id, workflow));
}

/** Claims run `id` alone for `worker`, failing the test if it cannot be claimed. */
export async function claimRun(
  store: WorkflowStore,
  worker: string,
  id: string,
  leaseMs = LIVE_LEASE_MS,
): Promise<WorkflowRun> {
  const [run, ...more] = await store.claim(worker, { limit: 1, leaseMs, runId: id });
  if (!run || more.length > 0) throw new Error(`${worker} could not claim ${id} alone`);
  return run;
}

/** Creates run `id` and claims it for `worker`. */
export async function heldRun(
  store: WorkflowStore,
  worker: string,
  id: string,
  leaseMs = LIVE_LEASE_MS,
): Promise<WorkflowRun> {
  await store.createRun(newRun(id));
  return claimRun(store, worker, id, leaseMs);
}

/** Takes `id` over from whoever holds it under a short lease, once that lease has ended. */
export async function takeOver(fixture: StoreFixture, from: WorkflowRun, worker: string) {
  await fixture.reach(from.leaseUntil!);
  return claimRun(fixture.store, worker, from.id);
}

export function ids(runs: readonly { readonly id: string }[]): string[] {
  return runs.map((run) => run.id);
}
