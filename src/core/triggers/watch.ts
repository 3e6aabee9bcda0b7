/**
 * What a change of a watched file starts: the debounce of a burst of changes into one
 * action, the words that say which files changed, and what that action is for a process in
 * each status. Pure: every instant is given, none is read.
 */
import type { ProcessState } from '../process/state.js';

/**
 * A burst that never pauses for `debounce` (a build writing for minutes, a log inside a
 * watched folder) still acts once it has lasted this many times `debounce`: the trailing
 * debounce would otherwise wait forever.
 */
export const BURST_CAP_FACTOR = 10;

/** Distinct files a burst names at most; past it, later files are counted, not named. */
export const BURST_TRACKED_FILES = 1_000;

/** The changes seen since the last action, oldest first. */
export interface Burst {
  /** When the first change of the burst was seen (epoch ms). */
  readonly firstAt: number;
  /** When the latest change was seen (epoch ms). */
  readonly lastAt: number;
  /** The distinct files that changed, in the order first seen (at most `BURST_TRACKED_FILES`). */
  readonly files: readonly string[];
  /** How many distinct files were seen past `BURST_TRACKED_FILES`, counted once per change. */
  readonly untracked: number;
}

/** The burst `burst` becomes (a new one when `undefined`) with a change of `file` at `now`. */
export function addChange(burst: Burst | undefined, file: string, now: number): Burst {
  if (burst === undefined) return { firstAt: now, lastAt: now, files: [file], untracked: 0 };
  if (burst.files.includes(file)) return { ...burst, lastAt: now };
  if (burst.files.length >= BURST_TRACKED_FILES) {
    return { ...burst, lastAt: now, untracked: burst.untracked + 1 };
  }
  return { ...burst, lastAt: now, files: [...burst.files, file] };
}

/**
 * One burst of two, `earlier` then `later`: what a burst held back (while its process is
 * reloaded or scaled) and those that came after it become, so they act once, naming every file.
 */
export function joinBursts(earlier: Burst, later: Burst): Burst {
  let joined = earlier;
  for (const file of later.files) joined = addChange(joined, file, later.lastAt);
  return { ...joined, lastAt: later.lastAt, untracked: joined.untracked + later.untracked };
}

/**
 * When a burst is acted on (epoch ms): `debounceMs` after its latest change (a trailing
 * debounce: an editor's save in several writes, a build's output, are one change), but
 * never later than `BURST_CAP_FACTOR × debounceMs` after its first.
 */
export function burstDueAt(burst: Burst, debounceMs: number): number {
  return Math.min(burst.lastAt + debounceMs, burst.firstAt + BURST_CAP_FACTOR * debounceMs);
}

/** How the cause of what a watch asks begins: `describeBurst` writes it, `isWatchCause` reads it. */
const WATCH_CAUSE = 'watch: ';

/** `watch: src/app.js changed`, `watch: src/app.js changed (and 3 more)`. */
export function describeBurst(burst: Burst): string {
  const more = burst.files.length - 1 + burst.untracked;
  return `${WATCH_CAUSE}${burst.files[0]} changed${more > 0 ? ` (and ${more} more)` : ''}`;
}

/** Whether a request's cause is a burst of changes (`describeBurst`): for the `watch` log. */
export function isWatchCause(cause: string | undefined): boolean {
  return cause?.startsWith(WATCH_CAUSE) ?? false;
}

/** What a burst of changes asks of one process: run it again, start it, or nothing. */
export type WatchRequest = 'restart' | 'start' | null;

/**
 * What a burst asks of a process in `state`. One that runs or is on its way (`pending`,
 * `starting`, `backoff`) restarts at once, outside its restart budget, as on request: its
 * code changed. One that ended by itself (`completed`, `failed`) starts again: a job runs
 * again, a service that crashed out gets its fix tried. Nothing for one stopped on request
 * (or never started), one already stopping, or one `scheduled`, whose next run reads the
 * new files anyway.
 */
export function watchRequest(state: ProcessState): WatchRequest {
  switch (state.status) {
    case 'running':
    case 'starting':
    case 'pending':
    case 'backoff':
      return 'restart';
    case 'completed':
    case 'failed':
      return 'start';
    case 'stopped':
    case 'stopping':
    case 'scheduled':
      return null;
  }
}
