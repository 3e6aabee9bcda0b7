/**
 * The contract of a `DesiredStateStore`, for every implementation to run: the SQLite file
 * and its in-memory twin must answer alike.
 */
import { describe, expect, it } from 'vitest';
import type { DesiredStateStore } from '../../src/store/desired-state-store.js';

/** Opens an empty store of desired states; the caller closes it after each test. */
export type OpenDesiredStateStore = () => DesiredStateStore;

/** Runs the `DesiredStateStore` contract against the stores `open` gives. */
export function desiredStateStoreContract(open: OpenDesiredStateStore): void {
  describe('DesiredStateStore', () => {
    it("remembers each process's last wish, and nothing of processes never asked about", () => {
      const store = open();
      expect(store.desiredStates()).toEqual(new Map());
      store.setDesiredState('api', 'stopped');
      store.setDesiredState('worker-0', 'running');
      store.setDesiredState('api', 'running');
      store.setDesiredState('api', 'stopped');
      expect(store.desiredStates()).toEqual(
        new Map([
          ['api', 'stopped'],
          ['worker-0', 'running'],
        ]),
      );
    });
  });
}
