/**
 * The engine's file watches: each process's `watch:` is followed (runtime/triggers), and a
 * burst of changes is turned into what core asks of each instance (core/triggers/watch.ts)
 * and fed to the loop. Apart from the engine, which only opens them and closes them.
 */
import { resolve } from 'node:path';
import { type Burst, describeBurst, watchRequest } from '../../core/triggers/watch.js';
import { ProcessWatches } from '../triggers/process-watches.js';
import type { EngineOptions } from './engine-options.js';
import type { InstanceRegistry } from './instance-registry.js';
import type { SupervisorLoop } from './loop.js';

/** What a burst of changes acts through. */
export interface WatchRooms {
  readonly registry: InstanceRegistry;
  readonly loop: SupervisorLoop;
  /** True once the supervisor shuts down: a change then starts nothing. */
  readonly closing: () => boolean;
}

/**
 * The watches of the processes the engine declares, relative to its `cwd`, never seeing its
 * `unwatched` folders (by default its `logDir`); `onWatch` is told of each watch in place and
 * of each that fails.
 */
export function openProcessWatches(options: EngineOptions, rooms: WatchRooms): ProcessWatches {
  const unwatched = options.unwatched ?? (options.logDir ? [resolve(options.logDir)] : []);
  return new ProcessWatches(
    options.cwd ?? process.cwd(),
    {
      changed: (name, burst) => changed(rooms, name, burst),
      error: (name, error) => warnOfWatchError(name, error),
      ...options.onWatch,
    },
    unwatched,
  );
}

/**
 * A burst of changes of `name`'s watched files: each instance is asked what core says
 * (restart, start, or nothing), with the files named as the cause.
 */
function changed(rooms: WatchRooms, name: string, burst: Burst): void {
  if (rooms.closing()) return;
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
