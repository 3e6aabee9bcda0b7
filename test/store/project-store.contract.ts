/**
 * The contract of a `ProjectStore`, for every implementation to run: its stores may share
 * one file, and what one of them writes never changes what another answers.
 */
import { describe, expect, it } from 'vitest';
import type { ProjectStore, ProjectStoreOptions } from '../../src/store/project-store.js';
import { desiredStateStoreContract } from './desired-state-store.contract.js';
import { historyStoreContract } from './history-store.contract.js';
import { scheduleStoreContract } from './schedule-store.contract.js';
import { taskStoreContract } from './task-store.contract.js';

/** Opens an empty project store; the caller closes it after each test. */
export type OpenProjectStore = (options?: ProjectStoreOptions) => ProjectStore;

/** Runs the contract of a `ProjectStore`, and of each of its stores, against `open`'s. */
export function projectStoreContract(open: OpenProjectStore): void {
  historyStoreContract((retention) => open({ history: retention }).history);
  desiredStateStoreContract(() => open().desired);
  scheduleStoreContract(() => open().schedules);
  taskStoreContract(() => open().tasks);

  describe('ProjectStore', () => {
    it('remembers desired states and counts restarts, neither touching the other', () => {
      const store = open();
      store.desired.setDesiredState('api', 'stopped');
      store.history.countRestart('worker-0');
      store.history.countRestart('worker-0');
      // Counted, never asked about: no wish of its own.
      expect(store.desired.desiredStates()).toEqual(new Map([['api', 'stopped']]));
      store.desired.setDesiredState('worker-0', 'running');
      store.desired.setDesiredState('api', 'running');
      store.desired.setDesiredState('api', 'stopped');
      expect(store.desired.desiredStates()).toEqual(
        new Map([
          ['api', 'stopped'],
          ['worker-0', 'running'],
        ]),
      );
      expect(store.history.restartCounts()).toEqual(new Map([['worker-0', 2]]));
    });

    it('closes once, however often it is told to', () => {
      const store = open();
      store.close();
      expect(() => store.close()).not.toThrow();
    });
  });
}
