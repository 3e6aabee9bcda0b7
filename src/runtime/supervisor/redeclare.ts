/**
 * What applying a changed config does to the processes (which ones, core decides:
 * core/stack/apply-plan.ts): those it drops or changes are stopped and forgotten, each once
 * no reload or scale holds it; the new and changed ones are declared; every process is
 * listed in the config's order; what it touched starts, and the `restart: true` dependents
 * of what it recreated follow it. Apart from the engine, which only wires it to its rooms.
 */
import type { ProcessSpec } from '../../core/process/spec.js';
import { isSettled } from '../../core/process/state.js';
import { dependentsOfRecreated } from '../../core/stack/dependent-restarts.js';
import type { InstanceRegistry } from './instance-registry.js';
import type { SupervisorLoop } from './loop.js';
import type { ManagedProcess } from './managed-process.js';
import type { ReshapeGuard } from './reshape-guard.js';

/** What a redeclaration acts through. */
export interface RedeclareRooms {
  readonly registry: InstanceRegistry;
  readonly loop: SupervisorLoop;
  readonly reshaping: ReshapeGuard;
  /** Forgets a declared process none of whose instances runs (the engine's `remove`). */
  readonly remove: (family: string) => void;
  /** Declares a process from its specs (the engine's `declare`). */
  readonly declare: (specs: readonly ProcessSpec[]) => void;
}

/** The processes a changed config replaces. */
export interface Redeclaration {
  /** Declared processes to stop and forget: dropped by the config, or changed. */
  readonly retire: readonly string[];
  /** The specs of each process to declare: new, or changed. */
  readonly declare: ReadonlyArray<readonly ProcessSpec[]>;
  /** Every declared process, in the config's order: `list` shows them so. */
  readonly order: readonly string[];
  /** Brings up what the change touched, once it is declared (not awaited). */
  readonly start: () => Promise<unknown>;
}

/** Carries out a redeclaration; resolves once it is in force and its start under way. */
export async function redeclare(rooms: RedeclareRooms, change: Redeclaration): Promise<void> {
  await Promise.all(change.retire.map((family) => retire(rooms, family)));
  for (const specs of change.declare) rooms.declare(specs);
  rooms.registry.arrange(change.order);
  // A shutdown racing the start is fine: what it started is stopped with the rest.
  change.start().catch(() => {});
  // Only now: each dependent's new run waits for its recreated dependency, on its way up.
  const recreated = change.declare.flatMap((specs) => specs[0]?.family ?? []);
  restartDependents(rooms, recreated);
}

/**
 * Stops every instance of `family` and forgets them, waiting for a reload or scale of it to
 * be over first (neither can then add or replace an instance meanwhile).
 */
async function retire(rooms: RedeclareRooms, family: string): Promise<void> {
  const { registry, loop } = rooms;
  await rooms.reshaping.whenFree([family], async () => {
    for (;;) {
      const members = registry.instancesOf(family);
      for (const managed of members) {
        if (needsStop(managed)) loop.feed(managed, { type: 'stop' });
      }
      // Woken too by a `start` that came in meanwhile: its run is stopped in turn, the
      // config no longer has it.
      await loop.until(() => members.every(isIdle) || members.some(needsStop));
      // Checked and forgotten in one turn, so nothing starts in between.
      if (members.every(isIdle)) return rooms.remove(family);
    }
  });
}

/**
 * Restarts the running `restart: true` dependents of the processes a changed config
 * recreated and now starts (`dependentsOfRecreated`). Each new run waits for its
 * dependency per its condition.
 */
function restartDependents(rooms: RedeclareRooms, recreated: readonly string[]): void {
  const { registry, loop } = rooms;
  for (const name of dependentsOfRecreated(new Set(recreated), [...registry.all()])) {
    loop.feed(registry.byName(name), { type: 'restart', cause: 'config: a dependency changed' });
  }
}

function isIdle(managed: ManagedProcess): boolean {
  return isSettled(managed.record.state) && managed.child === undefined;
}

/** Whether an instance is not settled, nor already stopping for good: a stop is due. */
function needsStop(managed: ManagedProcess): boolean {
  const { state } = managed.record;
  return !isSettled(state) && !(state.status === 'stopping' && state.intent.kind === 'stop');
}
