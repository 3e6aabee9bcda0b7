/**
 * The pid/lock file that keeps one supervisor per state dir. It records the pid and the
 * process's start time from /proc, so a stale file left by a dead supervisor (a zombie
 * nobody reaped included, or a pid reused by an unrelated process) is recognized and replaced.
 */
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { OverseerError } from '../core/errors.js';
import { stateDirLayout } from '../protocol/state-dir.js';
import {
  isLive,
  isAlive as isSameLiveProcess,
  readProcEntry,
  targetExists,
} from '../runtime/process/proc.js';

interface LockRecord {
  readonly pid: number;
  /** Start time in clock ticks since boot, or null where /proc is absent. */
  readonly startTime: number | null;
}

/** A held lock; `release()` removes the file if it is still ours. */
export interface Lock {
  readonly path: string;
  release(): void;
}

/**
 * Takes the lock of `stateDir` for this process. Throws `INVALID_STATE` naming the pid when
 * another live supervisor holds it.
 */
export function acquireLock(stateDir: string): Lock {
  const path = stateDirLayout(stateDir).pidFile;
  const mine: LockRecord = { pid: process.pid, startTime: startTimeOf(process.pid) };
  // Written whole beside the lock, then linked into place (which fails if the lock exists):
  // a lock created empty and written after could be read half-made by a rival, taken for
  // stale and removed, and two supervisors would each believe they hold it.
  const draft = `${path}.${process.pid}`;
  writeFileSync(draft, JSON.stringify(mine), { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        linkSync(draft, path);
        return { path, release: () => releaseIfMine(path) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = readLock(path);
      if (holder && isAlive(holder)) {
        throw new OverseerError(
          'INVALID_STATE',
          `a supervisor is already running for ${stateDir} (pid ${holder.pid})`,
        );
      }
      // Left by a supervisor that died: take its place.
      removeQuietly(path);
    }
  } finally {
    removeQuietly(draft);
  }
  throw new OverseerError(
    'INVALID_STATE',
    `cannot take the lock ${path}: another supervisor raced for it`,
  );
}

/** The pid of the live supervisor holding `stateDir`, if any. */
export function lockHolder(stateDir: string): number | undefined {
  const holder = readLock(stateDirLayout(stateDir).pidFile);
  return holder && isAlive(holder) ? holder.pid : undefined;
}

function readLock(path: string): LockRecord | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockRecord>;
    return typeof parsed.pid === 'number'
      ? { pid: parsed.pid, startTime: parsed.startTime ?? null }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * True while the holder still runs: same pid, same start time, and not a zombie (a
 * supervisor killed in a container whose PID 1 does not reap stays one, and holds nothing).
 * A record without a start time (written where /proc was missing) goes by the pid alone.
 */
function isAlive(record: LockRecord): boolean {
  if (record.startTime !== null) {
    return isSameLiveProcess({ pid: record.pid, startTime: record.startTime });
  }
  const now = readProcEntry(record.pid);
  return now ? isLive(now) : targetExists(record.pid);
}

function startTimeOf(pid: number): number | null {
  return readProcEntry(pid)?.startTime ?? null;
}

function releaseIfMine(path: string): void {
  if (readLock(path)?.pid === process.pid) removeQuietly(path);
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
