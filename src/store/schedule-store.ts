/**
 * The last fire time each schedule took, remembered across supervisors: a daemon killed
 * right after a fire, and started again, does not run that fire time a second time.
 */

/** The last fire time taken of each process's (instance's) schedule. */
export interface ScheduleStore {
  /** Remembers `at` (epoch ms) as the last fire time `process` took, unless a later one is known. */
  recordFire(process: string, at: number): void;
  /** The last fire time taken of every process that ever fired, by name. */
  lastFires(): Map<string, number>;
}
