/**
 * The lifecycle requests the engine takes (`up`, `start`, `stop`, `restart`): what a name or
 * target stands for, judged by core for each instance, then fed to the loop. Apart from the
 * engine, which only wires them to its rooms.
 */
import type { ProcessInput } from '../../core/process/transition.js';
import { ALL, instancesToStart, type RequestTarget } from '../../core/stack/selector.js';
import type * as View from '../../core/view.js';
import { describe, type InstanceRegistry } from './instance-registry.js';
import type { SupervisorLoop } from './loop.js';
import type { ManagedProcess } from './managed-process.js';

/** What a request acts through. */
export interface RequestRooms {
  readonly registry: InstanceRegistry;
  readonly loop: SupervisorLoop;
  /** Throws `SHUT_DOWN` once the supervisor is shutting down. */
  readonly assertOpen: () => void;
}

/**
 * Brings up the selected processes (all when omitted) and their dependencies; resolves
 * once each is at rest.
 */
export async function upSelected(
  rooms: RequestRooms,
  names?: readonly string[],
): Promise<View.ProcessInfo[]> {
  const { registry } = rooms;
  rooms.assertOpen();
  const graph = registry.soundGraph();
  const selection = registry.select(names ?? [ALL]);
  const selected = instancesToStart(registry.specs(), graph, selection).map((name) =>
    registry.byName(name),
  );
  await rooms.loop.startAll(selected);
  return selected.map(describe);
}

/** The instances `input` would act on now, changing nothing; throws the refusal it would meet. */
export function acceptedFor(
  rooms: RequestRooms,
  target: RequestTarget,
  input: ProcessInput,
): ManagedProcess[] {
  rooms.assertOpen();
  return rooms.registry.accepting(target, input, Date.now());
}

/** Feeds `input` to what `target` stands for; resolves once the loop has carried it out. */
export async function requestInstances(
  rooms: RequestRooms,
  target: RequestTarget,
  input: ProcessInput,
): Promise<View.ProcessInfo[]> {
  const selected = acceptedFor(rooms, target, input);
  await rooms.loop.request(selected, input);
  return selected.map(describe);
}
