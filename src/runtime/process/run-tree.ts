/**
 * Everything one run started, wherever it went: its process group; in cgroup mode its
 * cgroup, which no fork leaves; and the strays, descendants that left the group (`setsid`),
 * seen by following parent links while the run lives (at each sampling pass, stop and exit)
 * or, once reparented, by the run mark they carry (see `marks.ts`). A stop reaches all of
 * them, the run is over when none is left, and a pid is only signalled while it still names
 * the process that was seen (same start time): never a reused one.
 */
import { cgroupIsEmpty, cgroupPids, killCgroup, moveIntoCgroup, removeCgroup } from './cgroup.js';
import { markedThisTick } from './marks.js';
import {
  isAlive,
  isLive,
  liveDescendants,
  liveGroupMembers,
  type ProcEntry,
  type ProcessIdentity,
  procIndexThisTick,
  procTableThisTick,
  readProcEntry,
  sendSignal,
  targetExists,
} from './proc.js';

/** What a successor needs to end a run's tree, and what the store keeps of it. */
export interface RunTreeRecord {
  /** The `OVERSEER_RUN` value every process of the run inherits (null: none given). */
  readonly mark: string | null;
  /** The run's cgroup folder, in cgroup mode. */
  readonly cgroup: string | null;
}

/** Told of strays not seen before (for the store: a successor must find them too). */
export type StraysListener = (strays: readonly ProcessIdentity[]) => void;

export class RunTree implements RunTreeRecord {
  private leader: ProcessIdentity | undefined;
  private readonly strays = new Map<number, ProcessIdentity>();
  private straysListener: StraysListener | undefined;

  /**
   * @param mark the run's `OVERSEER_RUN` value (null: the run was given none).
   * @param cgroup the run's cgroup (cgroup containment), or null (process-group containment).
   */
  constructor(
    readonly mark: string | null,
    private ownCgroup: string | null,
  ) {}

  /** The run's cgroup, or null when the run is kept together by its process group. */
  get cgroup(): string | null {
    return this.ownCgroup;
  }

  /** The main process was spawned as `pid`, leader of its own group. */
  attach(pid: number, moveIn: boolean): void {
    // Read now, while the child is certainly alive (or at worst an unreaped zombie).
    this.leader = { pid, startTime: readProcEntry(pid)?.startTime ?? -1 };
    // A child that could not enter its cgroup itself (run as another user) is moved in.
    // Should that fail, the run is kept as a process group is (strays through /proc and the
    // mark) rather than judged by a cgroup it is not in, which would let its strays go.
    if (this.ownCgroup !== null && moveIn && !moveIntoCgroup(this.ownCgroup, pid)) {
      removeCgroup(this.ownCgroup);
      this.ownCgroup = null;
    }
  }

  /** The leader's identity, once spawned. */
  get main(): ProcessIdentity | undefined {
    return this.leader;
  }

  /** Calls `listener` with every stray seen from now on, and once with those seen so far. */
  onStrays(listener: StraysListener): void {
    this.straysListener = listener;
    if (this.strays.size > 0) listener([...this.strays.values()]);
  }

  /** Strays someone else saw (a sampling pass, which walks the tree anyway). */
  noteStrays(found: readonly ProcessIdentity[]): void {
    let fresh: ProcessIdentity[] | undefined;
    for (const stray of found) {
      if (this.strays.get(stray.pid)?.startTime === stray.startTime) continue;
      const identity = { pid: stray.pid, startTime: stray.startTime };
      this.strays.set(stray.pid, identity);
      fresh ??= [];
      fresh.push(identity);
    }
    if (fresh) this.straysListener?.(fresh);
  }

  /** Looks for descendants of the main process that left its group, while it lives. */
  look(): void {
    const leader = this.leader;
    if (!leader) return;
    const found = liveDescendants(procTableThisTick(), leader.pid).filter(
      (entry) => entry.pgid !== leader.pid,
    );
    if (found.length > 0) this.noteStrays(found);
  }

  /** Sends `signal` to the group and to every live member of the tree outside it. */
  signal(signal: NodeJS.Signals): void {
    const leader = this.leader;
    if (!leader) return;
    // A cgroup holds every stray already: no need to look for them through /proc.
    if (this.cgroup === null) this.look();
    sendSignal(-leader.pid, signal);
    for (const outsider of this.outsiders()) sendSignal(outsider.pid, signal);
  }

  /** SIGKILL to the whole tree, synchronously (usable while the host exits). */
  kill(): void {
    if (this.cgroup !== null) killCgroup(this.cgroup);
    this.signal('SIGKILL');
  }

  /** True once nothing of the tree is alive (zombies are dead). */
  isGone(): boolean {
    const leader = this.leader;
    if (!leader) return true;
    if (this.cgroup !== null && !cgroupIsEmpty(this.cgroup)) return false;
    if (targetExists(-leader.pid) && liveGroupMembers(procTableThisTick(), leader.pid).length > 0) {
      return false;
    }
    return this.outsiders().length === 0;
  }

  /** Removes the run's cgroup once it is empty; false while processes are left in it. */
  release(): boolean {
    return this.cgroup === null || removeCgroup(this.cgroup);
  }

  /**
   * Live members of the tree outside the main process group: known strays still the same
   * process, the cgroup's other members, and (without a cgroup) processes carrying the
   * run's mark that started after the run did. Each new one becomes a known stray.
   */
  private outsiders(): ProcEntry[] {
    const leader = this.leader!;
    const outside = new Map<number, ProcEntry>();
    const consider = (entry: ProcEntry | undefined) => {
      if (entry && isLive(entry) && entry.pgid !== leader.pid && entry.pid !== process.pid) {
        outside.set(entry.pid, entry);
      }
    };
    // In cgroup mode the cgroup lists the whole tree: a few reads, no scan of /proc.
    if (this.cgroup !== null) {
      for (const pid of cgroupPids(this.cgroup)) consider(readProcEntry(pid));
      return [...outside.values()];
    }
    const index = procIndexThisTick();
    for (const stray of this.strays.values()) {
      const now = index.get(stray.pid);
      if (isAlive(stray, now)) consider(now);
      else this.strays.delete(stray.pid);
    }
    if (this.mark !== null) {
      for (const entry of markedThisTick().get(this.mark) ?? []) {
        if (entry.startTime >= leader.startTime) consider(entry);
      }
    }
    const found = [...outside.values()];
    this.noteStrays(found);
    return found;
  }
}
