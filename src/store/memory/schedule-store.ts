/** The in-memory twin of the SQLite last fire times: the same contract, nothing on disk. */
import type { ScheduleStore } from '../schedule-store.js';

/** Last fire times in memory. */
export class MemoryScheduleStore implements ScheduleStore {
  private readonly fires = new Map<string, number>();

  recordFire(process: string, at: number): void {
    this.fires.set(process, Math.max(at, this.fires.get(process) ?? at));
  }

  lastFires(): Map<string, number> {
    return new Map([...this.fires].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}
