/**
 * The `watch:` of every declared process: one file watch per process (shared by its
 * instances), opened when it is declared and closed when it is removed or the supervisor
 * shuts down. Each burst of changes is handed to `act` with the process's name; what it
 * asks of each instance is core's (`watchRequest`).
 */
import type { WatchSpec } from '../../core/process/spec.js';
import type { Burst } from '../../core/triggers/watch.js';
import { FileWatch } from './file-watch.js';

/** What the watches tell their owner. */
export interface WatchListeners {
  /** A burst of changes of `name`'s watched files is over. */
  readonly changed: (name: string, burst: Burst) => void;
  /** `name`'s watch is in place: a change from now on is seen. */
  readonly ready?: (name: string, watch: WatchSpec) => void;
  /** `name`'s watch failed (no more inotify watches, a folder it may not read). */
  readonly error?: (name: string, error: Error) => void;
}

/** Every watched process's file watch, by declared name. */
export class ProcessWatches {
  private readonly watches = new Map<string, FileWatch>();
  /**
   * Absolute paths no watch sees (see `FileWatchOptions.exclude`). One array, shared by
   * every watch and changed in place: a change applies to the watches already open.
   */
  private readonly exclude: string[];

  constructor(
    private readonly baseDir: string,
    private readonly listeners: WatchListeners,
    exclude: readonly string[] = [],
  ) {
    this.exclude = [...exclude];
  }

  /** Changes the paths no watch sees, for every watch, open or to come. */
  setExclude(paths: readonly string[]): void {
    this.exclude.splice(0, this.exclude.length, ...paths);
  }

  /** Starts watching `watch.paths` for the process `name`. */
  add(name: string, watch: WatchSpec): void {
    const { changed, ready, error } = this.listeners;
    const fileWatch = new FileWatch(
      { baseDir: this.baseDir, ...watch, exclude: this.exclude },
      (burst) => changed(name, burst),
      (failure) => error?.(name, failure),
    );
    this.watches.set(name, fileWatch);
    if (ready) void fileWatch.ready.then(() => this.watches.has(name) && ready(name, watch));
  }

  /** Stops watching for `name`, if it was watched. */
  async remove(name: string): Promise<void> {
    const watch = this.watches.get(name);
    this.watches.delete(name);
    await watch?.close();
  }

  /** Resolves once every watch opened so far is in place. */
  async ready(): Promise<void> {
    await Promise.all([...this.watches.values()].map((watch) => watch.ready));
  }

  /** Stops every watch. */
  async close(): Promise<void> {
    await Promise.all([...this.watches.keys()].map((name) => this.remove(name)));
  }
}
