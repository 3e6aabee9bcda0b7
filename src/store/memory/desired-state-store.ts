/** The in-memory twin of the SQLite desired states: the same contract, nothing on disk. */
import type { Wish } from '../../core/stack/desired-state.js';
import type { DesiredStateStore } from '../desired-state-store.js';

/** Desired states in memory. */
export class MemoryDesiredStateStore implements DesiredStateStore {
  private readonly wishes = new Map<string, Wish>();

  setDesiredState(process: string, desired: Wish): void {
    this.wishes.set(process, desired);
  }

  desiredStates(): Map<string, Wish> {
    return new Map(this.wishes);
  }
}
