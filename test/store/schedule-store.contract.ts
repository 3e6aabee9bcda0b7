/**
 * The contract of a `ScheduleStore`, for every implementation to run: the SQLite file and
 * its in-memory twin must answer alike.
 */
import { describe, expect, it } from 'vitest';
import type { ScheduleStore } from '../../src/store/schedule-store.js';

/** Opens an empty store of last fire times; the caller closes it after each test. */
export type OpenScheduleStore = () => ScheduleStore;

/** Runs the `ScheduleStore` contract against the stores `open` gives. */
export function scheduleStoreContract(open: OpenScheduleStore): void {
  describe('ScheduleStore', () => {
    it("remembers each schedule's latest fire time, by name", () => {
      const store = open();
      expect(store.lastFires()).toEqual(new Map());
      store.recordFire('report', 1_000);
      store.recordFire('backup-1', 5_000);
      store.recordFire('report', 2_000);
      expect(store.lastFires()).toEqual(
        new Map([
          ['backup-1', 5_000],
          ['report', 2_000],
        ]),
      );
    });

    it('never moves a fire time back: an earlier one recorded late is not the last', () => {
      const store = open();
      store.recordFire('report', 2_000);
      store.recordFire('report', 1_000);
      expect(store.lastFires().get('report')).toBe(2_000);
    });
  });
}
