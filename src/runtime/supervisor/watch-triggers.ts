/**
 * The engine's file watches: each process's `watch:` is followed (runtime/triggers), and a
 * burst of changes is turned into what core asks of each instance (core/triggers/watch.ts)
 * and fed to the loop. Apart from the engine, which only opens them and closes them.
 */
import { resolve } from 'node:path';
import type { LogFor } from '../../core/logging.js';
import { type Burst, describeBurst, joinBursts, watchRequest } from '../../core/triggers/watch.js';
import { ProcessWatches } from '../triggers/process-watches.js';
import type { EngineOptions } from './engine-options.js';
import type { InstanceRegistry } from './instance-registry.js';
import type { SupervisorLoop } from './loop.js';
import type { ReshapeGuard } from './reshape-guard.js';

/** What a burst of changes acts through. */
export interface WatchRooms {
  readonly registry: InstanceRegistry;
  readonly loop: SupervisorLoop;
  /** True once the supervisor shuts down: a change then starts nothing. */
  readonly closing: () => boolean;
  /** The processes being reloaded or scaled: a change of theirs waits until that is over. */
  readonly reshaping: ReshapeGuard;
  /** The supervisor's log: each burst is written under `watch`. */
  readonly log: LogFor;
}

/**
 * The watches of the processes the engine declares, relative to its `cwd`, never seeing its
 * `unwatched` folders (by default its `logDir`); `onWatch` is told of each watch in place and
 * of each that fails.
 */
export function openProcessWatches(options: EngineOptions, rooms: WatchRooms): ProcessWatches {
  const unwatched = options.unwatched ?? (options.logDir ? [resolve(options.logDir)] : []);
  const held = new Map<string, Burst>();
  return new ProcessWatches(
    options.cwd ?? process.cwd(),
    {
      changed: (name, burst) => changedOrHeld(rooms, held, name, burst),
      error: (name, error) => warnOfWatchError(name, error),
      ...options.onWatch,
    },
    unwatched,
  );
}

/**
 * A burst of changes of `name`'s watched files, held back while `name` is reloaded or
 * scaled: restarting every instance then would take down those the reload keeps serving
 * (or the scale keeps). Once that is over, what was held acts once, as one burst.
 */
function changedOrHeld(
  rooms: WatchRooms,
  held: Map<string, Burst>,
  name: string,
  burst: Burst,
): void {
  if (!rooms.reshaping.holds(name)) return changed(rooms, name, burst);
  rooms
    .log('watch')
    .info({ name, files: burst.files }, 'changed; held until the reload or scale of it is over');
  const earlier = held.get(name);
  held.set(name, earlier ? joinBursts(earlier, burst) : burst);
  if (earlier) return;
  rooms.reshaping.afterwards(name, () => {
    const waited = held.get(name);
    held.delete(name);
    if (waited) changedOrHeld(rooms, held, name, waited);
  });
}

/**
 * A burst of changes of `name`'s watched files: each instance is asked what core says
 * (restart, start, or nothing), with the files named as the cause.
 */
function changed(rooms: WatchRooms, name: string, burst: Burst): void {
  if (rooms.closing()) return;
  rooms.log('watch').info({ name, files: burst.files, untracked: burst.untracked }, 'changed');
  const cause = describeBurst(burst);
  for (const managed of rooms.registry.instancesOf(name)) {
    const request = watchRequest(managed.record.state);
    if (request) rooms.loop.feed(managed, { type: request, cause });
  }
}

/** The default of `onWatch.error`: the library never prints, but does not stay silent. */
function warnOfWatchError(name: string, error: Error): void {
  process.emitWarning(`the watch of ${name} failed: ${error.message}`, {
    type: 'OverseerWatchError',
  });
}
