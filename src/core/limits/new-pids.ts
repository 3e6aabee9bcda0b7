/**
 * Which pids a sampling pass must look at to find every process started since the last
 * pass, from the kernel's pid counter: how many processes were ever forked (`/proc/stat`
 * `processes`), the tasks in use (`/proc/loadavg`) and the last pid handed out
 * (`/proc/sys/kernel/ns_last_pid`). The first two count the whole machine, so in a pid
 * namespace they only overstate what may be new: a pass then reads more, never less.
 *
 * Pids are handed out in increasing order and wrap around at `pid_max` to `RESERVED_PIDS`,
 * skipping pids still in use. So while the counter has not gone full circle, a process
 * started since the last pass has a pid above the last pid then, or (once it wrapped) below
 * the last pid now; every other pid belongs to a process that was already there.
 */

/** The kernel's pid counter at one moment. */
export interface PidCounter {
  /** Processes (and threads) forked since boot. */
  readonly forks: number;
  /** The last pid handed out. */
  readonly lastPid: number;
  /** Tasks (processes and threads, each holding a pid) in use. */
  readonly tasks: number;
}

/** Where the processes started since the last pass can be. */
export type NewPids =
  /** Nothing was forked: no process can be new. */
  | { readonly kind: 'none' }
  /** Above `after`, or at most `upTo` once the counter wrapped (`null` when it did not). */
  | { readonly kind: 'range'; readonly after: number; readonly upTo: number | null }
  /** Any pid may be new: the first pass, a counter that could not be read, a full circle. */
  | { readonly kind: 'all' };

/** Pids below this are never handed out again after a wrap (Linux `RESERVED_PIDS`). */
export const RESERVED_PIDS = 300;

/**
 * The pids that may be new at a pass, from the counter at the last pass (`before`) and now
 * (read before listing `/proc`), and `pidMax`. The counter may have gone full circle,
 * handing out again pids already seen, only if the forks since plus the pids it skipped
 * (in use meanwhile: at most the tasks then and all those forked) span every pid: then any
 * pid may be new.
 */
export function newPidsSince(
  before: PidCounter | null,
  now: PidCounter | null,
  pidMax: number,
): NewPids {
  if (before === null || now === null) return { kind: 'all' };
  const forks = now.forks - before.forks;
  if (forks === 0 && now.lastPid === before.lastPid) return { kind: 'none' };
  const skipped = before.tasks + forks;
  if (forks < 0 || forks + skipped >= pidMax - RESERVED_PIDS) return { kind: 'all' };
  const wrapped = now.lastPid < before.lastPid;
  return { kind: 'range', after: before.lastPid, upTo: wrapped ? now.lastPid : null };
}

/** Whether `pid` may belong to a process started since the last pass. */
export function mayBeNew(pids: NewPids, pid: number): boolean {
  switch (pids.kind) {
    case 'none':
      return false;
    case 'all':
      return true;
    case 'range':
      return pid > pids.after || (pids.upTo !== null && pid <= pids.upTo);
  }
}
