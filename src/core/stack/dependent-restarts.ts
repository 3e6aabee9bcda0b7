/**
 * `depends_on: {cache: {condition: started, restart: true}}`: a dependent that is restarted
 * whenever its dependency restarts, as docker compose does. Which processes that means is
 * decided here; the supervisor feeds each of them a `restart`, and the scheduler holds
 * their new run back until the dependency is there again per the condition.
 */
import type { ProcessSpec } from '../process/spec.js';
import { activeRun, isSettled } from '../process/state.js';
import type { ScheduledProcess } from './scheduler.js';

/**
 * The names of the processes to restart because `restarted` (one instance of a declared
 * process) began a new run after an earlier one: every instance that depends on it with
 * `restart: true` and has a run of its own (starting with a pid, or running). One that is
 * waiting, backing off or stopping starts its next run after the dependency anyway; one
 * stopped, completed or failed is not started by somebody else's restart.
 */
export function dependentsToRestart(
  restarted: ProcessSpec,
  processes: readonly ScheduledProcess[],
): string[] {
  return processes
    .filter(
      ({ spec, record }) =>
        activeRun(record.state) !== null &&
        spec.dependsOn.some(
          (dependency) => dependency.restart && dependency.name === restarted.family,
        ),
    )
    .map(({ spec }) => spec.name);
}

/**
 * The names of the processes to restart because a changed config recreated the processes
 * `recreated` (declared names) and started them: every instance that depends with `restart:
 * true` on one of them that is on its way up again (not settled), has a run of its own (as
 * above), and was not recreated itself (its new run already follows the new dependency). A
 * dependency the change left stopped (stopped on request) restarts nobody.
 */
export function dependentsOfRecreated(
  recreated: ReadonlySet<string>,
  processes: readonly ScheduledProcess[],
): string[] {
  const comingUp = new Set(
    processes
      .filter(({ spec, record }) => recreated.has(spec.family) && !isSettled(record.state))
      .map(({ spec }) => spec.family),
  );
  return processes
    .filter(
      ({ spec, record }) =>
        !recreated.has(spec.family) &&
        activeRun(record.state) !== null &&
        spec.dependsOn.some((dependency) => dependency.restart && comingUp.has(dependency.name)),
    )
    .map(({ spec }) => spec.name);
}

/**
 * Why a dependent is restarted, as its run's exit says: the dependency that restarted
 * (`db restarted`), not a request nobody made.
 */
export function dependentRestartCause(restarted: ProcessSpec): string {
  return `${restarted.name} restarted`;
}
