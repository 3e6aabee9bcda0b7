/**
 * Resource sampling of whole process trees from Linux `/proc`: for each tracked root, the
 * root, the members of its process group and every descendant, summed into one sample:
 * CPU since the previous pass, resident memory, open descriptors, threads, and the storage
 * I/O of the run so far (see `IoTally`).
 *
 * A process seen before is not read again unless it belongs to a tree: a pass reads only
 * the pids that may have been handed out since the last one (`newPidsSince`, from the
 * kernel's pid counter), and lists `/proc` only when a process was forked meanwhile; after
 * a new tree is tracked, or when the counter may have gone full circle, it reads every pid.
 * A member's `stat` and `fd` folder are kept open, so each later pass costs one `pread` and
 * one `fstat` per member; an open handle also names that very process, never another one
 * that reuses its pid.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { type IoBytes, IoTally } from '../../core/limits/io-tally.js';
import {
  mayBeNew,
  type NewPids,
  newPidsSince,
  type PidCounter,
} from '../../core/limits/new-pids.js';
import type { ResourceSample } from '../../core/limits/resources.js';
import { type ProcessIdentity, type Stat, ZOMBIE } from '../process/proc.js';
import { PidCounterReader } from './pid-counter.js';
import { ProcHandles } from './proc-handles.js';
import type { IoReading } from './proc-io.js';
import { readSystemUnits } from './system-units.js';

const EVERY_PID: NewPids = { kind: 'all' };

interface Member {
  readonly pid: number;
  /** The tree the process belongs to. */
  readonly tree: Tree;
  ppid: number;
  pgid: number;
  state: number;
  readonly startTicks: number;
  /** utime + stime + cutime + cstime at the last read, in clock ticks. */
  ticks: number;
  rssPages: number;
  threads: number;
  /** Open handle on `/proc/PID/stat`, or -1. */
  statHandle: number;
  /** Open handle on `/proc/PID/fd`, or -1 (not held, or not readable). */
  fdHandle: number;
  /** Open handle on `/proc/PID/io`, or -1 (not held). */
  ioHandle: number;
}

interface Tree {
  readonly root: number;
  readonly members: Set<number>;
  /** When the last pass was (`null` before the first). */
  lastAt: number | null;
  /** Ticks the tree gained in the pass under way. */
  gained: number;
  /** What the tree read and wrote so far, members gone included. */
  readonly io: IoTally;
}

/**
 * One tree as a pass saw it. The object handed to a `pass` visitor is reused for every tree
 * and every pass: copy what you keep.
 */
export interface TreeReading {
  at: number;
  cpuPercent: number | null;
  memoryBytes: number;
  fds: number | null;
  threads: number;
  processes: number;
  /** What the tree read from and wrote to storage since the run began; `null` if not readable. */
  io: IoBytes | null;
}

/** Told of each tree a pass sampled, by its root pid. */
export type TreeVisitor = (root: number, reading: Readonly<TreeReading>) => void;

/**
 * Samples the trees of tracked root pids. A pass allocates next to nothing (one reading
 * object reused, members updated in place): run every few seconds over hundreds of
 * processes, garbage would cost more than the reads. Where there is no `/proc` (not
 * Linux), a pass sees nothing.
 */
export class TreeSampler {
  private readonly trees = new Map<number, Tree>();
  private readonly members = new Map<number, Member>();
  private readonly counter = new PidCounterReader();
  /** The pid counter at the last listing; `null` when the next pass must read every pid. */
  private counted: PidCounter | null = null;
  private readonly handles = new ProcHandles();
  private readonly reading: TreeReading = {
    at: 0,
    cpuPercent: null,
    memoryBytes: 0,
    fds: null,
    threads: 0,
    processes: 0,
    io: null,
  };
  private readonly ioReading: IoReading = { readBytes: 0, writeBytes: 0 };
  private readonly ticksPerSecond: number;
  private readonly pageBytes: number;

  constructor() {
    const units = readSystemUnits();
    this.ticksPerSecond = units.ticksPerSecond;
    this.pageBytes = units.pageBytes;
  }

  /** Starts sampling the tree of `root` (a process group leader) from the next pass on. */
  track(root: number): void {
    if (this.trees.has(root)) return;
    this.trees.set(root, {
      root,
      members: new Set(),
      lastAt: null,
      gained: 0,
      io: new IoTally(),
    });
    // The root, and any child it had before it was tracked, may have been seen as foreign.
    this.counted = null;
  }

  /** Stops sampling the tree of `root` and lets go of its handles. */
  untrack(root: number): void {
    const tree = this.trees.get(root);
    if (!tree) return;
    for (const pid of tree.members) this.drop(pid);
    this.trees.delete(root);
  }

  /** Roots being sampled. */
  get size(): number {
    return this.trees.size;
  }

  /**
   * Live members of the tree of `root` outside its process group (`setsid`), at the last
   * pass: what a stop must reach beside the group, and what a successor must be told of.
   */
  strays(root: number): ProcessIdentity[] {
    const tree = this.trees.get(root);
    if (!tree) return [];
    const found: ProcessIdentity[] = [];
    for (const pid of tree.members) {
      const member = this.members.get(pid);
      if (member && member.pgid !== root && member.state !== ZOMBIE) {
        found.push({ pid, startTime: member.startTicks });
      }
    }
    return found;
  }

  /** One pass, as fresh objects by root pid: for tests and tools; the supervisor uses `pass`. */
  sample(now: number): Map<number, ResourceSample> {
    const samples = new Map<number, ResourceSample>();
    this.pass(now, (root, reading) => samples.set(root, { ...reading }));
    return samples;
  }

  /** One pass: `visit` is told of every tracked tree whose root is still there. */
  pass(now: number, visit: TreeVisitor): void {
    if (this.trees.size === 0) return;
    // Read before listing: a pid handed out after it is looked at again next pass.
    const counted = this.counter.read();
    const fresh =
      counted === null ? EVERY_PID : newPidsSince(this.counted, counted, this.counter.pidMax);
    let names: string[] = [];
    if (fresh.kind !== 'none') {
      try {
        names = readdirSync('/proc');
      } catch {
        return;
      }
    }
    this.counted = counted;
    for (const tree of this.trees.values()) tree.gained = 0;
    this.readMembers();
    this.joinNewcomers(names, fresh, now);
    for (const tree of this.trees.values()) {
      tree.io.endPass();
      if (this.summarize(tree, now)) visit(tree.root, this.reading);
      tree.lastAt = now;
    }
  }

  /** Lets go of every handle; the sampler can be used again afterwards. */
  close(): void {
    for (const root of [...this.trees.keys()]) this.untrack(root);
    this.counter.close();
    this.counted = null;
  }

  /**
   * One pread per member. A member that is gone was reaped, and what it used moved into its
   * reaper's cutime: the part already counted is taken off again there.
   */
  private readMembers(): void {
    let gone:
      | Map<number, { readonly ppid: number; readonly ticks: number; readonly tree: Tree }>
      | undefined;
    // Deleting from a Map while iterating it is safe: a deleted entry is not visited.
    for (const member of this.members.values()) {
      const stat = this.handles.readStat(member.pid, member.statHandle);
      if (!stat || stat.startTicks !== member.startTicks) {
        gone ??= new Map();
        gone.set(member.pid, { ppid: member.ppid, ticks: member.ticks, tree: member.tree });
        this.drop(member.pid);
        continue;
      }
      member.tree.gained += stat.ticks - member.ticks;
      member.ppid = stat.ppid;
      member.pgid = stat.pgid;
      member.state = stat.state;
      member.ticks = stat.ticks;
      member.rssPages = stat.rssPages;
      member.threads = stat.threads;
      this.readIo(member);
    }
    if (!gone) return;
    for (const [pid, { ppid, ticks, tree }] of gone) {
      // A parent gone too handed it on, in its own cutime, to the nearest live ancestor.
      let reaper = ppid;
      for (let hops = 0, hop = gone.get(reaper); hop && hops < gone.size; hops += 1) {
        reaper = hop.ppid;
        hop = gone.get(reaper);
      }
      const parent = this.members.get(reaper);
      if (parent) parent.tree.gained = Math.max(0, parent.tree.gained - ticks);
      tree.io.left(pid, reaper);
    }
  }

  /**
   * Pids that may be new (`newPids`) and are not members are read once; those whose root,
   * group or parent is a tree join it, the others are let go.
   */
  private joinNewcomers(names: readonly string[], newPids: NewPids, now: number): void {
    let fresh: Array<{ pid: number; stat: Stat; handle: number }> | undefined;
    for (const name of names) {
      const first = name.charCodeAt(0);
      if (first < 48 || first > 57) continue;
      const pid = Number(name);
      if (!mayBeNew(newPids, pid) || this.members.has(pid)) continue;
      const handle = this.handles.openStat(pid);
      const stat = this.handles.readStat(pid, handle);
      if (!stat) {
        if (handle >= 0) this.handles.close(handle);
        continue;
      }
      fresh ??= [];
      fresh.push({ pid, stat: { ...stat }, handle });
    }
    if (!fresh) return;
    let bootTicks: number | undefined;
    let joined = true;
    while (joined && fresh.length > 0) {
      joined = false;
      for (let index = fresh.length - 1; index >= 0; index -= 1) {
        const { pid, stat, handle } = fresh[index]!;
        const tree = this.treeFor(pid, stat);
        if (tree === undefined) continue;
        fresh.splice(index, 1);
        joined = true;
        this.join(pid, tree, stat, handle);
        if (tree.lastAt === null) continue;
        // Born since the last pass: everything it used, it used since then.
        bootTicks ??= this.uptimeTicks();
        const lastPassTicks = bootTicks - ((now - tree.lastAt) / 1000) * this.ticksPerSecond;
        if (stat.startTicks >= lastPassTicks) tree.gained += stat.ticks;
      }
    }
    for (const { handle } of fresh) {
      if (handle >= 0) this.handles.close(handle);
    }
  }

  /** Fills `this.reading` for `tree`; false when nothing of the tree is left alive. */
  private summarize(tree: Tree, now: number): boolean {
    let processes = 0;
    let rssPages = 0;
    let threads = 0;
    let fds: number | null = null;
    for (const pid of tree.members) {
      const member = this.members.get(pid)!;
      if (member.state === ZOMBIE) continue;
      processes += 1;
      rssPages += member.rssPages;
      threads += member.threads;
      const count = this.handles.countFds(pid, member.fdHandle);
      if (count !== null) fds = (fds ?? 0) + count;
    }
    if (processes === 0) return false;
    const seconds = tree.lastAt === null ? 0 : (now - tree.lastAt) / 1000;
    const reading = this.reading;
    reading.at = now;
    reading.cpuPercent =
      seconds > 0 ? Math.round((tree.gained / this.ticksPerSecond / seconds) * 1000) / 10 : null;
    reading.memoryBytes = rssPages * this.pageBytes;
    reading.fds = fds;
    reading.threads = threads;
    reading.processes = processes;
    reading.io = tree.io.totals;
    return true;
  }

  /** The tree a new process belongs to: its own (a root), its group's, or its parent's. */
  private treeFor(pid: number, stat: Stat): Tree | undefined {
    return this.trees.get(pid) ?? this.trees.get(stat.pgid) ?? this.members.get(stat.ppid)?.tree;
  }

  private join(pid: number, tree: Tree, stat: Stat, handle: number): void {
    const fdHandle = this.handles.openFd(pid);
    const ioHandle = this.handles.openIo(pid);
    const member: Member = { pid, tree, ...stat, statHandle: handle, fdHandle, ioHandle };
    this.members.set(pid, member);
    tree.members.add(pid);
    this.readIo(member);
  }

  /** The member's storage counters into its tree's tally; an unreadable one adds nothing. */
  private readIo(member: Member): void {
    if (!this.handles.readIo(member.pid, member.ioHandle, this.ioReading)) return;
    member.tree.io.member(member.pid, this.ioReading.readBytes, this.ioReading.writeBytes);
  }

  private drop(pid: number): void {
    const member = this.members.get(pid);
    if (!member) return;
    if (member.statHandle >= 0) this.handles.close(member.statHandle);
    if (member.fdHandle >= 0) this.handles.close(member.fdHandle);
    if (member.ioHandle >= 0) this.handles.close(member.ioHandle);
    this.members.delete(pid);
    member.tree.members.delete(pid);
  }

  /** Clock ticks since boot, now. */
  private uptimeTicks(): number {
    try {
      const seconds = Number.parseFloat(readFileSync('/proc/uptime', 'latin1'));
      return seconds * this.ticksPerSecond;
    } catch {
      return 0;
    }
  }
}
