/**
 * The everyday controls of running instances, as the engine offers them: a rolling reload
 * (rolling-reload.ts), a scale (scaling.ts), a signal. Each resolves what its name stands for
 * and guards what it reshapes; apart from the engine, which only wires them to its rooms.
 */
import { constants as osConstants } from 'node:os';
import { OverseerError } from '../../core/errors.js';
import {
  describeUnknownSignal,
  type SignalReport,
  signalNamed,
} from '../../core/process/signals.js';
import type { ProcessInput } from '../../core/process/transition.js';
import type { ReloadReport } from '../../core/stack/rolling.js';
import { judgeAction } from '../../core/stack/selector.js';
import type * as View from '../../core/view.js';
import { describe } from './instance-registry.js';
import type { ReshapeGuard } from './reshape-guard.js';
import { reloadRolling } from './rolling-reload.js';
import { familyToScale, type ScalingRooms, scaleFamily } from './scaling.js';

/** What the controls act through. */
export interface ControlRooms extends ScalingRooms {
  /** One reload or scale per process at a time. */
  readonly reshaping: ReshapeGuard;
  /** True once the supervisor shuts down: a reload then touches no further instance. */
  readonly closing: () => boolean;
}

/**
 * The rolling reload of what `name` stands for (see `SupervisorEngine.reload`), its
 * processes held against another reload or scale of them until it is over.
 */
export async function reloadInstances(rooms: ControlRooms, name: string): Promise<ReloadReport> {
  rooms.assertOpen();
  const selection = rooms.registry.select([name]);
  const families = selection.instances.map(
    (instance) => rooms.registry.byName(instance).spec.family,
  );
  return rooms.reshaping.run(families, () =>
    reloadRolling(rooms.registry, rooms.loop, selection, rooms.closing),
  );
}

/**
 * The scale of the process `name` (see `SupervisorEngine.scale`), held against another
 * reload or scale of it: refused while one is under way, or (`wait`) done once it is over.
 */
export async function scaleProcess(
  rooms: ControlRooms,
  name: string,
  instances: number,
  wait = false,
): Promise<View.ProcessInfo[]> {
  rooms.assertOpen();
  const family = familyToScale(rooms.registry, name);
  const work = () => scaleFamily(rooms, family, instances);
  return wait ? rooms.reshaping.whenFree([family], work) : rooms.reshaping.run([family], work);
}

/**
 * Feeds `signal`, by its full name, to each instance of `name` that takes it (core's
 * `judgeAction`), and tells who was not running (see `SupervisorEngine.signal`).
 */
export async function signalInstances(
  rooms: ControlRooms,
  name: string,
  signal: string,
): Promise<SignalReport> {
  const full = signalNamed(signal, Object.keys(osConstants.signals));
  if (full === undefined) {
    throw new OverseerError('BAD_REQUEST', `signal: ${describeUnknownSignal(signal)}`);
  }
  const input: ProcessInput = { type: 'signal', signal: full };
  rooms.assertOpen();
  const { registry } = rooms;
  const accepted = registry.accepting(name, input, Date.now(), judgeAction);
  const selected = registry.select([name]).instances.map((i) => registry.byName(i));
  for (const managed of accepted) rooms.loop.feed(managed, input);
  const notRunning = selected.filter((managed) => !accepted.includes(managed));
  return {
    signal: full,
    signalled: accepted.map(describe),
    notRunning: notRunning.map(describe),
  };
}
