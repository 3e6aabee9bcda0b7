/** The in-memory twin of the SQLite desired states: the same contract, nothing on disk. */
import type { DesiredState, DesiredStateStore } from '../desired-state-store.js';

/** Desired states in memory. */
export class MemoryDesiredStateStore implements DesiredStateStore {
  private readonly wishes = new Map<string, DesiredState>();

  setDesiredState(process: string, desired: DesiredState): void {
    this.wishes.set(process, desired);
  }

  desiredStates(): Map<string, DesiredState> {
    return new Map(this.wishes);
  }
}
