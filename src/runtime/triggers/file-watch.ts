/**
 * Watching files and folders for changes, a burst of changes told once: chokidar does the
 * watching, picomatch judges the `ignore` globs (chokidar 5 takes none), and core decides
 * when a burst is over (`burstDueAt`). What to do about a burst is the caller's.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { type FSWatcher, watch } from 'chokidar';
import picomatch from 'picomatch';
import { addChange, type Burst, burstDueAt } from '../../core/triggers/watch.js';

export interface FileWatchOptions {
  /** Relative `paths` are from here, and changed files are named relative to it. */
  readonly baseDir: string;
  /**
   * Files or folders (folders recursively). One that does not exist yet is watched from
   * when it appears: a `dist/` a build will write, a config's `.env` not yet made.
   */
  readonly paths: readonly string[];
  /**
   * Globs of what not to watch. One without a `/` matches a file or folder name anywhere
   * (`node_modules`, `*.log`), as in `.gitignore`; one with a `/` matches the path from
   * `baseDir` (`src/generated/**`). An ignored folder is not even looked into.
   */
  readonly ignore: readonly string[];
  /** A burst ends this long after its latest change (capped, see `burstDueAt`). */
  readonly debounceMs: number;
  /** How deep into folders to look; all the way down when absent. */
  readonly depth?: number;
  /**
   * Absolute folders or files never watched, whatever `paths` says: the supervisor's state
   * dir, whose logs and store it writes at every restart (a watch of `.` would restart
   * forever). Read at each change seen: an array changed in place applies at once.
   */
  readonly exclude?: readonly string[];
}

/** Told each burst of changes, once it is over. */
export type BurstListener = (burst: Burst) => void;

/** One set of watched paths, telling each burst of changes once. */
export class FileWatch {
  /** Resolves once the initial scan is done: a change from then on is seen. */
  readonly ready: Promise<void>;
  private readonly watcher: FSWatcher;
  private burst: Burst | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly options: FileWatchOptions,
    private readonly onBurst: BurstListener,
    onError: (error: Error) => void = () => {},
  ) {
    const targets = options.paths.map((path) => resolve(options.baseDir, path));
    const ignoredByGlob = ignoreMatcher(options.baseDir, options.ignore);
    const excluded = (path: string) =>
      (options.exclude ?? []).some(
        (folder) => path === folder || path.startsWith(`${folder}${sep}`),
      );
    // chokidar 5 does not watch a path that does not exist yet: its nearest existing folder
    // is watched instead, and everything there but the way to the path is left out.
    const roots = [...new Set(targets.map(nearestExisting))];
    this.watcher = watch(roots, {
      ignoreInitial: true,
      ignored: (path: string) =>
        excluded(path) || ignoredByGlob(path) || !targets.some((target) => onWay(path, target)),
      ...(options.depth !== undefined && { depth: options.depth }),
    });
    // chokidar 5 tells `ready` once per path it found missing, too: the first one counts.
    this.ready = new Promise((resolve) => this.watcher.once('ready', () => resolve()));
    // Files only: a folder made or removed changes no code by itself (its files tell).
    this.watcher.on('all', (event, path) => {
      if (event === 'add' || event === 'change' || event === 'unlink') this.changed(path);
    });
    this.watcher.on('error', (error) => onError(error as Error));
  }

  /** Stops watching; a burst under way is dropped. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.burst = undefined;
    await this.watcher.close();
  }

  private changed(path: string): void {
    if (this.closed) return;
    this.burst = addChange(this.burst, nameOf(this.options.baseDir, path), Date.now());
    clearTimeout(this.timer);
    const delay = burstDueAt(this.burst, this.options.debounceMs) - Date.now();
    this.timer = setTimeout(() => this.over(), Math.max(0, delay));
  }

  private over(): void {
    const burst = this.burst;
    this.burst = undefined;
    if (burst && !this.closed) this.onBurst(burst);
  }
}

/** The ignore test chokidar calls with each absolute path it meets. */
export function ignoreMatcher(
  baseDir: string,
  globs: readonly string[],
): (path: string) => boolean {
  const byName = globs.filter((glob) => !glob.includes('/'));
  const byPath = globs.filter((glob) => glob.includes('/'));
  const nameMatches = byName.length > 0 ? picomatch(byName, { dot: true }) : () => false;
  const pathMatches = byPath.length > 0 ? picomatch(byPath, { dot: true }) : () => false;
  return (path) =>
    nameMatches(basename(path)) || pathMatches(nameOf(baseDir, path).split(sep).join('/'));
}

/** The path itself when it exists, else its nearest folder that does. */
function nearestExisting(path: string): string {
  for (let at = path; ; at = dirname(at)) {
    if (existsSync(at) || dirname(at) === at) return at;
  }
}

/** Whether `path` is `target`, inside it, or a folder on the way to it. */
function onWay(path: string, target: string): boolean {
  return (
    path === target || path.startsWith(`${target}${sep}`) || target.startsWith(`${path}${sep}`)
  );
}

/** A path as a user would write it in the config: relative to `baseDir` unless on another root. */
function nameOf(baseDir: string, path: string): string {
  const name = relative(baseDir, path);
  if (isAbsolute(name)) return path;
  return name === '' ? '.' : name;
}
