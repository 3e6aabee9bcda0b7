/**
 * Ending what a dead supervisor left behind. A recorded run is only touched when its pid
 * still names the process that was spawned (same boot, same start time): a pid the kernel
 * has since given to an unrelated process is left alone.
 */
import { readFileSync } from 'node:fs';
import { type ProcEntry, readProcTable } from './proc.js';

/** A run that never ended, as the store recorded it. */
export interface LeftoverRun {
  readonly pid: number;
  readonly pidStartTime: number | null;
  readonly bootId: string | null;
}

/** What became of one leftover run. */
export type LeftoverFate =
  /** Its process group still had members, and they were ended. */
  | { readonly kind: 'ended'; readonly processes: number }
  /** Nothing of it was left. */
  | { readonly kind: 'gone' }
  /** Its pid now belongs to another process, or it cannot be told apart: left alone. */
  | { readonly kind: 'foreign' };

export interface EndLeftoversOptions {
  readonly signal: string;
  readonly timeoutMs: number;
}

const POLL_MS = 25;

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
 * `timeoutMs`; resolves with each run's fate, in the order given, once they are gone.
 */
export async function endLeftovers(
  runs: readonly LeftoverRun[],
  options: EndLeftoversOptions,
): Promise<LeftoverFate[]> {
  const bootId = currentBootId();
  const table = readProcTable();
  const members = runs.map((run) => leftoverMembers(run, bootId, table));
  const targets = members.filter((found): found is ProcEntry[] => Array.isArray(found)).flat();
  signalAll(targets, options.signal);
  // A tree its supervisor left paused (a CPU throttle mid-period) acts on the signal only
  // once resumed; resuming a running process changes nothing.
  signalAll(targets, 'SIGCONT');
  const deadline = Date.now() + options.timeoutMs;
  let alive = stillAlive(targets);
  while (alive.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    alive = stillAlive(targets);
  }
  // Look again: a member may have forked while it was being asked to stop.
  const fresh = readProcTable();
  const late = runs.flatMap((run) => {
    const found = leftoverMembers(run, bootId, fresh);
    return found === 'foreign' ? [] : found;
  });
  const toKill = [...alive, ...late.filter((entry) => !targets.some((t) => t.pid === entry.pid))];
  signalAll(toKill, 'SIGKILL');
  while (stillAlive(toKill).length > 0)
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  return members.map((found) => {
    if (found === 'foreign') return { kind: 'foreign' };
    return found.length === 0 ? { kind: 'gone' } : { kind: 'ended', processes: found.length };
  });
}

/**
 * The live processes of a run's process group, or `foreign` when its pid was reused. A
 * group whose leader is gone is still ours: the kernel gives out no pid that is in use as
 * a group id, so its members can only descend from the run. Members that started before
 * the leader cannot be, and are left out.
 */
function leftoverMembers(
  run: LeftoverRun,
  bootId: string | null,
  table: readonly ProcEntry[],
): ProcEntry[] | 'foreign' {
  if (run.pidStartTime === null || run.bootId === null || bootId === null) return 'foreign';
  if (run.bootId !== bootId) return [];
  const leader = table.find((entry) => entry.pid === run.pid);
  if (leader && leader.startTime !== run.pidStartTime) return 'foreign';
  return table.filter(
    (entry) =>
      entry.pgid === run.pid && entry.state !== 'Z' && entry.startTime >= run.pidStartTime!,
  );
}

function signalAll(targets: readonly ProcEntry[], signal: string): void {
  for (const target of targets) {
    try {
      process.kill(target.pid, signal as NodeJS.Signals);
    } catch {
      // Gone already.
    }
  }
}

/** The targets still alive as the same process (not reaped, pid not reused). */
function stillAlive(targets: readonly ProcEntry[]): ProcEntry[] {
  if (targets.length === 0) return [];
  const now = new Map(readProcTable().map((entry) => [entry.pid, entry]));
  return targets.filter((target) => {
    const entry = now.get(target.pid);
    return entry !== undefined && entry.startTime === target.startTime && entry.state !== 'Z';
  });
}
