/**
 * Carries out `scale(name, n)` (core/stack/scale-plan.ts): the highest-numbered instances
 * are stopped and forgotten, or new ones are declared from the process's own spec and
 * started with it; the other instances are never touched.
 */
import { OverseerError } from '../../core/errors.js';
import type { ProcessSpec } from '../../core/process/spec.js';
import { isLive, isSettled } from '../../core/process/state.js';
import { planScale } from '../../core/stack/scale-plan.js';
import { ALL } from '../../core/stack/selector.js';
import type { ProcessInfo } from '../../core/view.js';
import { describe, type InstanceRegistry } from './instance-registry.js';
import type { SupervisorLoop } from './loop.js';
import type { ManagedProcess } from './managed-process.js';

/** What scaling acts through beside the registry and the loop. */
export interface ScalingRooms {
  readonly registry: InstanceRegistry;
  readonly loop: SupervisorLoop;
  /** Makes the managed process of a new instance (its log file included). */
  readonly manage: (spec: ProcessSpec) => ManagedProcess;
  /** Lets go of what a forgotten instance held (its timers, its log file). */
  readonly forget: (managed: ManagedProcess) => void;
  /** Throws `SHUT_DOWN` once the supervisor is shutting down. */
  readonly assertOpen: () => void;
}

/**
 * The declared process a `scale` names: a process, never one instance nor `all`. Throws
 * `BAD_REQUEST` for those, `UNKNOWN_PROCESS` for a name that is nothing.
 */
export function familyToScale(registry: InstanceRegistry, name: string): string {
  if (name === ALL) {
    throw new OverseerError('BAD_REQUEST', 'scale takes the name of one process, not all');
  }
  const instance = registry.find(name);
  if (instance && instance.spec.family !== name) {
    const { family } = instance.spec;
    throw new OverseerError(
      'BAD_REQUEST',
      `${name} is one instance of ${family}: scale takes the process's name (${family})`,
    );
  }
  return registry.familyOf(name);
}

/** Runs `target` instances of `family`; resolves with its rows once the added ones are at rest. */
export async function scaleFamily(
  rooms: ScalingRooms,
  family: string,
  target: number,
): Promise<ProcessInfo[]> {
  const { registry, loop } = rooms;
  const members = registry.instancesOf(family);
  const plan = planScale(
    family,
    members.map(({ spec, record }) => ({
      name: spec.name,
      instance: spec.instance,
      // A failed instance its breaker will try again still runs: added ones start too.
      settled: !isLive(record.state),
    })),
    target,
    (name) => registry.find(name) !== undefined,
  );
  if (!plan.ok) throw new OverseerError(plan.code, plan.message);

  const leaving = plan.remove.map((name) => registry.byName(name));
  for (const managed of leaving) {
    if (!isSettled(managed.record.state)) loop.feed(managed, { type: 'stop' });
  }
  await loop.until(() =>
    leaving.every((managed) => isSettled(managed.record.state) && managed.child === undefined),
  );
  for (const managed of registry.shrink(family, plan.remove)) rooms.forget(managed);
  // Checked in the same turn as the start below: a shutdown that began while the removed
  // instances stopped admits nothing more, and new instances would wait forever.
  rooms.assertOpen();

  // Every instance of a process shares one spec but for its name and number.
  const template = members[0]!.spec;
  const specs = plan.add.map(({ name, instance }) => ({ ...template, name, instance }));
  registry.grow(family, specs, rooms.manage);
  if (plan.startAdded) {
    await loop.startAll(specs.map((spec) => registry.byName(spec.name)));
  }
  return registry.instancesOf(family).map(describe);
}
