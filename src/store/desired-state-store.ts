/**
 * What the user last asked of each process, remembered across supervisors: a process
 * stopped on request stays stopped when a new supervisor takes over.
 */
import type { Wish } from '../core/stack/desired-state.js';

/** The desired state of each process (instance) the user asked something of. */
export interface DesiredStateStore {
  /** Remembers the user's last wish for a process, replacing the one before. */
  setDesiredState(process: string, desired: Wish): void;
  /** Every process the user asked something of, with its last wish, by name. */
  desiredStates(): Map<string, Wish>;
}
