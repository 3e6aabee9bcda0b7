/**
 * Ending what a dead supervisor left behind: each run's process group, the strays it
 * recorded (descendants that left the group), the processes that carry its mark, and its
 * cgroup. A recorded process is only touched while its pid still names the process that was
 * spawned (same boot, same start time, not a zombie): a pid the kernel has since given to an
 * unrelated process is left alone.
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { cgroupIsEmpty, cgroupPids, killCgroup, removeCgroup } from './cgroup.js';
import { markedProcesses } from './marks.js';
import {
  isAlive,
  isLive,
  type ProcEntry,
  type ProcessIdentity,
  readProcTable,
  sendSignal,
} from './proc.js';

/** A run that never ended, as the store recorded it. */
export interface LeftoverRun {
  readonly pid: number;
  readonly pidStartTime: number | null;
  readonly bootId: string | null;
  /** The `OVERSEER_RUN` mark its processes inherited. Default: none. */
  readonly treeMark?: string | null;
  /** Its cgroup folder (cgroup containment). Default: none. */
  readonly cgroup?: string | null;
  /** Processes seen outside its process group while it ran. Default: none. */
  readonly strays?: readonly ProcessIdentity[];
}

/** What became of one leftover run. */
export type LeftoverFate =
  /**
   * Processes of it were still alive, and they were ended; `survivors` lists those that
   * outlived even SIGKILL (stuck in uninterruptible sleep, or not ours to signal).
   */
  | { readonly kind: 'ended'; readonly processes: number; readonly survivors: readonly number[] }
  /** Nothing of it was left. */
  | { readonly kind: 'gone' }
  /** Its pid now belongs to another process, or it cannot be told apart: left alone. */
  | { readonly kind: 'foreign' };

export interface EndLeftoversOptions {
  readonly signal: string;
  readonly timeoutMs: number;
}

const POLL_MS = 25;

/**
 * How long SIGKILLed leftovers get to be gone. One that outlives it (in uninterruptible
 * sleep, or not ours to signal) is reported, not waited on for ever: the caller holds the
 * state dir's lock meanwhile, and no supervisor could start.
 */
const KILL_WAIT_MS = 5_000;

/** The kernel's id of this boot, or `null` where there is none. */
export function currentBootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return null;
  }
}

/**
 * Sends `signal` to what is left of each run, then SIGKILL to whatever outlives
 * `timeoutMs` (`cgroup.kill` for a cgroup); resolves with each run's fate, in the order
 * given, once they are gone and their cgroups removed.
 */
export async function endLeftovers(
  runs: readonly LeftoverRun[],
  options: EndLeftoversOptions,
): Promise<LeftoverFate[]> {
  const bootId = currentBootId();
  const before = scan();
  const members = runs.map((run) => leftoverMembers(run, bootId, before));
  const targets = dedupe(members.flatMap((found) => (found === 'foreign' ? [] : found)));
  signalAll(targets, options.signal as NodeJS.Signals);
  // A tree its supervisor left paused (a CPU throttle mid-period) acts on the signal only
  // once resumed; resuming a running process changes nothing.
  signalAll(targets, 'SIGCONT');
  const deadline = Date.now() + options.timeoutMs;
  let alive = stillAlive(targets);
  while (alive.length > 0 && Date.now() < deadline) {
    await pause();
    alive = stillAlive(targets);
  }
  // Look again: a member may have forked while it was being asked to stop.
  const fresh = scan();
  const late = runs.flatMap((run) => {
    const found = leftoverMembers(run, bootId, fresh);
    return found === 'foreign' ? [] : found;
  });
  const cgroups = runs.flatMap((run) => (run.cgroup && run.bootId === bootId ? [run.cgroup] : []));
  for (const cgroup of cgroups) killCgroup(cgroup);
  const toKill = dedupe([...alive, ...late]);
  signalAll(toKill, 'SIGKILL');
  const killDeadline = Date.now() + KILL_WAIT_MS;
  let survivors = stillAlive(toKill);
  while ((survivors.length > 0 || !cgroups.every(cgroupIsEmpty)) && Date.now() < killDeadline) {
    await pause();
    survivors = stillAlive(toKill);
  }
  for (const cgroup of cgroups) {
    removeCgroup(cgroup);
    // The dead supervisor's folder, once its last run is gone.
    removeCgroup(dirname(cgroup));
  }
  return members.map((found) => {
    if (found === 'foreign') return { kind: 'foreign' };
    if (found.length === 0) return { kind: 'gone' };
    const mine = new Set(found.map((entry) => entry.pid));
    const left = survivors.filter((entry) => mine.has(entry.pid)).map((entry) => entry.pid);
    return { kind: 'ended', processes: found.length, survivors: left };
  });
}

interface Scan {
  readonly table: readonly ProcEntry[];
  readonly index: ReadonlyMap<number, ProcEntry>;
  readonly marked: ReadonlyMap<string, ProcEntry[]>;
}

function scan(): Scan {
  const table = readProcTable();
  return {
    table,
    index: new Map(table.map((entry) => [entry.pid, entry])),
    marked: markedProcesses(table),
  };
}

/**
 * The live processes of a run, or `foreign` when its pid was reused and nothing else of it
 * is known. A group whose leader is gone is still ours: the kernel gives out no pid that is
 * in use as a group id, so its members can only descend from the run. Members that started
 * before the leader cannot be, and are left out; so are marked processes that did.
 */
function leftoverMembers(
  run: LeftoverRun,
  bootId: string | null,
  { table, index, marked }: Scan,
): ProcEntry[] | 'foreign' {
  const started = run.pidStartTime;
  if (started === null || run.bootId === null || bootId === null) return 'foreign';
  if (run.bootId !== bootId) return [];
  const found = new Map<number, ProcEntry>();
  const leader = index.get(run.pid);
  const leaderReused = leader !== undefined && leader.startTime !== started;
  if (!leaderReused) {
    for (const entry of table) {
      if (entry.pgid === run.pid && isLive(entry) && entry.startTime >= started) {
        found.set(entry.pid, entry);
      }
    }
  }
  for (const stray of run.strays ?? []) {
    const now = index.get(stray.pid);
    if (now && isAlive(stray, now)) found.set(now.pid, now);
  }
  if (run.treeMark) {
    for (const entry of marked.get(run.treeMark) ?? []) {
      if (entry.startTime >= started) found.set(entry.pid, entry);
    }
  }
  if (run.cgroup) {
    for (const pid of cgroupPids(run.cgroup)) {
      const entry = index.get(pid);
      if (entry && isLive(entry)) found.set(pid, entry);
    }
  }
  found.delete(process.pid);
  if (leaderReused && found.size === 0) return 'foreign';
  return [...found.values()];
}

function dedupe(entries: readonly ProcEntry[]): ProcEntry[] {
  return [...new Map(entries.map((entry) => [entry.pid, entry])).values()];
}

function signalAll(targets: readonly ProcEntry[], signal: NodeJS.Signals): void {
  for (const target of targets) sendSignal(target.pid, signal);
}

/** The targets still alive as the same process (not reaped, not a zombie, pid not reused). */
function stillAlive(targets: readonly ProcEntry[]): ProcEntry[] {
  if (targets.length === 0) return [];
  const now = new Map(readProcTable().map((entry) => [entry.pid, entry]));
  return targets.filter((target) => isAlive(target, now.get(target.pid)));
}

function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, POLL_MS));
}
