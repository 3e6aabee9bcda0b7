/**
 * What the user last asked of each process, remembered across supervisors: a process
 * stopped on request stays stopped when a new supervisor takes over.
 */

/** What the user last asked of a process: `stopped` keeps it down when a supervisor starts. */
export type DesiredState = 'running' | 'stopped';

/** The desired state of each process (instance) the user asked something of. */
export interface DesiredStateStore {
  /** Remembers the user's last wish for a process, replacing the one before. */
  setDesiredState(process: string, desired: DesiredState): void;
  /** Every process the user asked something of, with its last wish, by name. */
  desiredStates(): Map<string, DesiredState>;
}
