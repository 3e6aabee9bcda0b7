/**
 * Resource sampling of whole process trees from Linux `/proc`: for each tracked root, the
 * root, the members of its process group and every descendant, summed into one sample:
 * CPU since the previous pass, resident memory, open descriptors, threads.
 *
 * One pass lists `/proc` once. A process seen before is not read again unless it belongs to
 * a tree: only new pids are looked at, and every `FULL_PASS_EVERY` passes all of them (a
 * reused pid then cannot hide a descendant for long). A member's `stat` and `fd` folder are
 * kept open, so each later pass costs one `pread` and one `fstat` per member; an open handle
 * also names that very process, never another one that reuses its pid.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import type { ResourceSample } from '../core/resources.js';

/** Passes between two reads of every pid, members or not. */
const FULL_PASS_EVERY = 15;

/** Open handles the sampler may hold at most (two per member); beyond, it opens per read. */
const HANDLE_BUDGET = 4_096;

/** Longest `/proc/PID/stat` line read: the command name is at most 64 bytes. */
const STAT_BYTES = 512;

interface Member {
  readonly pid: number;
  /** The tree (its root pid) the process belongs to. */
  readonly root: number;
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
}

interface Tree {
  readonly root: number;
  readonly members: Set<number>;
  /** Sum of members' ticks at the last pass, and when (`null` before the first pass). */
  lastAt: number | null;
}

/** What one read of `/proc/PID/stat` says. */
interface Stat {
  state: number;
  ppid: number;
  pgid: number;
  ticks: number;
  threads: number;
  startTicks: number;
  rssPages: number;
}

const ZOMBIE = 'Z'.charCodeAt(0);

/** Clock ticks per second and page size, asked once of `getconf` (100 and 4096 nearly everywhere). */
let systemUnits: { readonly ticksPerSecond: number; readonly pageBytes: number } | undefined;

export function readSystemUnits(): { readonly ticksPerSecond: number; readonly pageBytes: number } {
  systemUnits ??= {
    ticksPerSecond: getconf('CLK_TCK', 100),
    pageBytes: getconf('PAGESIZE', 4096),
  };
  return systemUnits;
}

function getconf(name: string, fallback: number): number {
  try {
    const value = Number(execFileSync('getconf', [name], { encoding: 'utf8' }).trim());
    return Number.isInteger(value) && value > 0 ? value : fallback;
  } catch {
    return fallback;
  }
}

/**
 * Samples the trees of tracked root pids. Where there is no `/proc` (not Linux), `sample()`
 * returns nothing.
 */
export class TreeSampler {
  private readonly trees = new Map<number, Tree>();
  private readonly members = new Map<number, Member>();
  /** Pids seen and found to belong to no tree. */
  private foreign = new Set<number>();
  private passes = 0;
  private handles = 0;
  private readonly buffer = Buffer.allocUnsafe(STAT_BYTES);
  private readonly ticksPerSecond: number;
  private readonly pageBytes: number;
  /** `fstat` of `/proc/PID/fd` gives the count of open descriptors (Linux ≥ 6.2). */
  private readonly fdSizeCounts: boolean;

  constructor() {
    const units = readSystemUnits();
    this.ticksPerSecond = units.ticksPerSecond;
    this.pageBytes = units.pageBytes;
    this.fdSizeCounts = fdDirSizeCounts();
  }

  /** Starts sampling the tree of `root` (a process group leader) from the next pass on. */
  track(root: number): void {
    if (this.trees.has(root)) return;
    this.trees.set(root, { root, members: new Set(), lastAt: null });
    this.foreign.delete(root);
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

  /** Members of the tree of `root` outside its process group, at the last pass. */
  strays(root: number): number[] {
    const tree = this.trees.get(root);
    if (!tree) return [];
    const found: number[] = [];
    for (const pid of tree.members) {
      const member = this.members.get(pid);
      if (member && member.pgid !== root && member.state !== ZOMBIE) found.push(pid);
    }
    return found;
  }

  /** One pass: a sample of every tracked tree whose root is still there, by root pid. */
  sample(now: number): Map<number, ResourceSample> {
    const samples = new Map<number, ResourceSample>();
    if (this.trees.size === 0) return samples;
    const pids = listPids();
    if (pids === undefined) return samples;
    this.passes += 1;
    const full = this.passes % FULL_PASS_EVERY === 0;
    const bootTicks = this.uptimeTicks();
    // Ticks each tree gained since the last pass.
    const gained = new Map<number, number>();
    const listed = new Set<number>();

    // Members first: one pread each. A member that is gone was reaped, and what it used
    // moved into its reaper's cutime: the part already counted is taken off again there.
    const gone = new Map<number, { readonly ppid: number; readonly ticks: number }>();
    for (const member of [...this.members.values()]) {
      const stat = this.readStat(member.pid, member.statHandle);
      if (!stat || stat.startTicks !== member.startTicks) {
        gone.set(member.pid, { ppid: member.ppid, ticks: member.ticks });
        this.drop(member.pid);
        continue;
      }
      const before = member.ticks;
      Object.assign(member, stat);
      gained.set(member.root, (gained.get(member.root) ?? 0) + (stat.ticks - before));
      listed.add(member.pid);
    }
    for (const { ppid, ticks } of gone.values()) {
      // A parent gone too handed it on, in its own cutime, to the nearest live ancestor.
      let reaper = ppid;
      for (let hops = 0, hop = gone.get(reaper); hop && hops < gone.size; hops += 1) {
        reaper = hop.ppid;
        hop = gone.get(reaper);
      }
      const parent = this.members.get(reaper);
      if (!parent) continue;
      gained.set(parent.root, Math.max(0, (gained.get(parent.root) ?? 0) - ticks));
    }

    // New pids: read once; those whose root, group or parent is a tree join it.
    const fresh: Array<{ pid: number; stat: Stat; handle: number }> = [];
    for (const pid of pids) {
      if (listed.has(pid) || this.members.has(pid)) continue;
      if (!full && this.foreign.has(pid) && !this.trees.has(pid)) continue;
      const handle = this.openStat(pid);
      const stat = this.readStat(pid, handle);
      if (!stat) {
        if (handle >= 0) this.closeHandle(handle);
        continue;
      }
      fresh.push({ pid, stat, handle });
    }
    if (full) this.foreign = new Set();
    let joined = true;
    while (joined && fresh.length > 0) {
      joined = false;
      for (let index = fresh.length - 1; index >= 0; index -= 1) {
        const { pid, stat, handle } = fresh[index]!;
        const root = this.rootFor(pid, stat);
        if (root === undefined) continue;
        fresh.splice(index, 1);
        joined = true;
        this.join(pid, root, stat, handle);
        // Born since the last pass: everything it used, it used since then.
        const tree = this.trees.get(root)!;
        const born =
          tree.lastAt !== null && stat.startTicks >= bootTicks - this.ticksSince(tree.lastAt, now);
        if (born) gained.set(root, (gained.get(root) ?? 0) + stat.ticks);
      }
    }
    for (const { pid, handle } of fresh) {
      if (handle >= 0) this.closeHandle(handle);
      this.foreign.add(pid);
    }

    for (const tree of this.trees.values()) {
      const sample = this.summarize(tree, now, gained.get(tree.root) ?? 0);
      if (sample) samples.set(tree.root, sample);
      tree.lastAt = now;
    }
    return samples;
  }

  /** Lets go of every handle; the sampler can be used again afterwards. */
  close(): void {
    for (const root of [...this.trees.keys()]) this.untrack(root);
    this.foreign.clear();
  }

  private summarize(tree: Tree, now: number, ticks: number): ResourceSample | undefined {
    let processes = 0;
    let rssPages = 0;
    let threads = 0;
    let fds: number | null = null;
    let rootAlive = false;
    for (const pid of tree.members) {
      const member = this.members.get(pid)!;
      if (member.state === ZOMBIE) continue;
      if (pid === tree.root) rootAlive = true;
      processes += 1;
      rssPages += member.rssPages;
      threads += member.threads;
      const count = this.countFds(member);
      if (count !== null) fds = (fds ?? 0) + count;
    }
    if (!rootAlive && processes === 0) return undefined;
    const seconds = tree.lastAt === null ? 0 : (now - tree.lastAt) / 1000;
    const cpuPercent =
      seconds > 0 ? Math.round((ticks / this.ticksPerSecond / seconds) * 100 * 10) / 10 : null;
    return {
      at: now,
      cpuPercent,
      memoryBytes: rssPages * this.pageBytes,
      fds,
      threads,
      processes,
    };
  }

  /** The tree a new process belongs to: its own (a root), its group's, or its parent's. */
  private rootFor(pid: number, stat: Stat): number | undefined {
    if (this.trees.has(pid)) return pid;
    if (this.trees.has(stat.pgid)) return stat.pgid;
    return this.members.get(stat.ppid)?.root;
  }

  private join(pid: number, root: number, stat: Stat, handle: number): void {
    let fdHandle = -1;
    if (this.fdSizeCounts && this.handles < HANDLE_BUDGET) {
      try {
        fdHandle = openSync(`/proc/${pid}/fd`, 'r');
        this.handles += 1;
      } catch {
        // Not ours to look into (another user): its descriptors go uncounted.
      }
    }
    this.members.set(pid, { pid, root, ...stat, statHandle: handle, fdHandle });
    this.trees.get(root)!.members.add(pid);
  }

  private drop(pid: number): void {
    const member = this.members.get(pid);
    if (!member) return;
    if (member.statHandle >= 0) this.closeHandle(member.statHandle);
    if (member.fdHandle >= 0) this.closeHandle(member.fdHandle);
    this.members.delete(pid);
    this.trees.get(member.root)?.members.delete(pid);
  }

  private countFds(member: Member): number | null {
    if (member.fdHandle >= 0) {
      try {
        return fstatSync(member.fdHandle).size;
      } catch {
        return null;
      }
    }
    try {
      return readdirSync(`/proc/${member.pid}/fd`).length;
    } catch {
      return null;
    }
  }

  private openStat(pid: number): number {
    if (this.handles >= HANDLE_BUDGET) return -1;
    try {
      const handle = openSync(`/proc/${pid}/stat`, 'r');
      this.handles += 1;
      return handle;
    } catch {
      return -1;
    }
  }

  private closeHandle(handle: number): void {
    this.handles -= 1;
    try {
      closeSync(handle);
    } catch {
      // already closed
    }
  }

  /** Reads `/proc/PID/stat` through `handle` (or by path when -1); `undefined` once it is gone. */
  private readStat(pid: number, handle: number): Stat | undefined {
    let length: number;
    try {
      if (handle >= 0) {
        length = readSync(handle, this.buffer, 0, STAT_BYTES, 0);
      } else {
        const opened = openSync(`/proc/${pid}/stat`, 'r');
        try {
          length = readSync(opened, this.buffer, 0, STAT_BYTES, 0);
        } finally {
          closeSync(opened);
        }
      }
    } catch {
      return undefined;
    }
    return parseStatBytes(this.buffer, length);
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

  private ticksSince(then: number, now: number): number {
    return ((now - then) / 1000) * this.ticksPerSecond;
  }
}

/**
 * The fields of a `/proc/PID/stat` line the sampler needs, read straight from its bytes
 * (no string, no split: this runs for every member at every pass).
 */
export function parseStatBytes(bytes: Uint8Array, length: number): Stat | undefined {
  // The command name is in parentheses and may itself hold spaces or parentheses.
  let index = length - 1;
  while (index > 0 && bytes[index] !== 0x29) index -= 1;
  if (index <= 0) return undefined;
  index += 2;
  const stat: Stat = {
    state: bytes[index]!,
    ppid: 0,
    pgid: 0,
    ticks: 0,
    threads: 0,
    startTicks: 0,
    rssPages: 0,
  };
  // Field 3 is the state; the numbers wanted are fields 4, 5, 14–17, 20, 22 and 24.
  let field = 3;
  let value = 0;
  for (; index < length; index += 1) {
    const byte = bytes[index]!;
    if (byte >= 0x30 && byte <= 0x39) {
      value = value * 10 + (byte - 0x30);
      continue;
    }
    if (byte !== 0x20 && byte !== 0x0a) continue;
    switch (field) {
      case 4:
        stat.ppid = value;
        break;
      case 5:
        stat.pgid = value;
        break;
      case 14:
      case 15:
      case 16:
      case 17:
        stat.ticks += value;
        break;
      case 20:
        stat.threads = value;
        break;
      case 22:
        stat.startTicks = value;
        break;
      case 24:
        stat.rssPages = value;
        return stat;
    }
    field += 1;
    value = 0;
  }
  return undefined;
}

/** Every numeric entry of `/proc`; `undefined` where there is no `/proc`. */
function listPids(): number[] | undefined {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const pids: number[] = [];
  for (const name of names) {
    const first = name.charCodeAt(0);
    if (first >= 48 && first <= 57) pids.push(Number(name));
  }
  return pids;
}

/** True when the size of `/proc/self/fd` is its count of descriptors (Linux ≥ 6.2). */
function fdDirSizeCounts(): boolean {
  try {
    const handle = openSync('/proc/self/fd', 'r');
    try {
      return fstatSync(handle).size > 0;
    } finally {
      closeSync(handle);
    }
  } catch {
    return false;
  }
}
