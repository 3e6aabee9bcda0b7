/**
 * The one reader of Linux `/proc`: who is whose child, in which process group, whether a
 * process is still the one that was seen (same pid, same start time) and alive (a zombie is
 * dead: it has exited and only waits to be reaped). Also the one wrapper of `kill(2)`.
 * Elsewhere the table is empty and callers fall back to the process group alone.
 */
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';

/** A process named for good: a pid alone may be given to another process once it is reaped. */
export interface ProcessIdentity {
  readonly pid: number;
  /** Start time in clock ticks since boot (`/proc/PID/stat` field 22). */
  readonly startTime: number;
}

export interface ProcEntry extends ProcessIdentity {
  readonly ppid: number;
  readonly pgid: number;
  /** One-letter state: R, S, D, Z (zombie), T… */
  readonly state: string;
}

/** What one read of `/proc/PID/stat` says; a scratch object the sampler reuses. */
export interface Stat {
  /** The state letter as a byte (`'Z'.charCodeAt(0)` for a zombie). */
  state: number;
  ppid: number;
  pgid: number;
  /** utime + stime + cutime + cstime, in clock ticks. */
  ticks: number;
  /** utime + stime: the process's own CPU, without that of the children it has reaped. */
  ownTicks: number;
  threads: number;
  startTicks: number;
  rssPages: number;
}

/** The byte of the zombie state in `Stat.state`. */
export const ZOMBIE = 'Z'.charCodeAt(0);

/** Longest `/proc/PID/stat` line read: the command name is at most 64 bytes. */
export const STAT_BYTES = 512;

export function emptyStat(): Stat {
  return {
    state: 0,
    ppid: 0,
    pgid: 0,
    ticks: 0,
    ownTicks: 0,
    threads: 0,
    startTicks: 0,
    rssPages: 0,
  };
}

/**
 * The fields of a `/proc/PID/stat` line, read straight from its bytes into `into` (no
 * string, no split: the sampler runs it for every member at every pass).
 */
export function parseStatBytes(
  bytes: Uint8Array,
  length: number,
  into: Stat = emptyStat(),
): Stat | undefined {
  // The command name is in parentheses and may itself hold spaces or parentheses.
  let index = length - 1;
  while (index > 0 && bytes[index] !== 0x29) index -= 1;
  if (index <= 0) return undefined;
  index += 2;
  into.state = bytes[index]!;
  into.ticks = 0;
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
        into.ppid = value;
        break;
      case 5:
        into.pgid = value;
        break;
      case 14:
      case 16:
      case 17:
        into.ticks += value;
        break;
      case 15:
        into.ticks += value;
        into.ownTicks = into.ticks;
        break;
      case 20:
        into.threads = value;
        break;
      case 22:
        into.startTicks = value;
        break;
      case 24:
        into.rssPages = value;
        return into;
    }
    field += 1;
    value = 0;
  }
  return undefined;
}

const statBuffer = Buffer.allocUnsafe(STAT_BYTES);
const statScratch = emptyStat();

/**
 * Reads `/proc/PID/stat` into `into` (a scratch object by default: copy what you keep), or
 * `undefined` when the process is gone (reaped).
 */
export function readStat(pid: number, into: Stat = statScratch): Stat | undefined {
  let length: number;
  try {
    const handle = openSync(`/proc/${pid}/stat`, 'r');
    try {
      length = readSync(handle, statBuffer, 0, STAT_BYTES, 0);
    } finally {
      closeSync(handle);
    }
  } catch {
    return undefined;
  }
  return parseStatBytes(statBuffer, length, into);
}

/** Reads one process's entry, or `undefined` when it is gone (reaped). */
export function readProcEntry(pid: number): ProcEntry | undefined {
  const stat = readStat(pid);
  if (!stat) return undefined;
  return {
    pid,
    ppid: stat.ppid,
    pgid: stat.pgid,
    state: String.fromCharCode(stat.state),
    startTime: stat.startTicks,
  };
}

/** False for a zombie: it has exited, and only its exit status waits to be collected. */
export function isLive(entry: ProcEntry): boolean {
  return entry.state !== 'Z';
}

/**
 * THE liveness check: true while `identity` still names a running process (same pid, same
 * start time, not a zombie). `now` is the pid's entry if the caller has read it already
 * (from a table); otherwise it is read. A zombie counts as dead everywhere: a killed
 * supervisor whose parent does not reap it holds no lock, and a zombie child holds up no stop.
 */
export function isAlive(
  identity: ProcessIdentity,
  now: ProcEntry | undefined = readProcEntry(identity.pid),
): boolean {
  return now !== undefined && now.startTime === identity.startTime && isLive(now);
}

/** Every process visible in `/proc` right now (empty where there is no `/proc`). */
export function readProcTable(): ProcEntry[] {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  const entries: ProcEntry[] = [];
  for (const name of names) {
    const first = name.charCodeAt(0);
    if (first < 48 || first > 57) continue;
    const entry = readProcEntry(Number(name));
    if (entry) entries.push(entry);
  }
  return entries;
}

/** The live descendants of `root`, found by following parent links. */
export function liveDescendants(table: readonly ProcEntry[], root: number): ProcEntry[] {
  const children = new Map<number, ProcEntry[]>();
  for (const entry of table) {
    const siblings = children.get(entry.ppid);
    if (siblings) siblings.push(entry);
    else children.set(entry.ppid, [entry]);
  }
  const found: ProcEntry[] = [];
  const queue = [root];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    for (const child of children.get(pid) ?? []) {
      if (isLive(child)) found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/** The live members of a process group. */
export function liveGroupMembers(table: readonly ProcEntry[], pgid: number): ProcEntry[] {
  return table.filter((entry) => entry.pgid === pgid && isLive(entry));
}

let tickTable: ProcEntry[] | undefined;
let tickIndex: Map<number, ProcEntry> | undefined;

/**
 * `readProcTable()`, read at most once per turn of the event loop: stopping a hundred
 * processes at once then costs one scan of `/proc`, not a hundred.
 */
export function procTableThisTick(): ProcEntry[] {
  if (!tickTable) {
    tickTable = readProcTable();
    setImmediate(() => {
      tickTable = undefined;
      tickIndex = undefined;
    });
  }
  return tickTable;
}

/** `procTableThisTick()` by pid. */
export function procIndexThisTick(): Map<number, ProcEntry> {
  const table = procTableThisTick();
  tickIndex ??= new Map(table.map((entry) => [entry.pid, entry]));
  return tickIndex;
}

/**
 * Sends `signal` to a pid (or to a process group, as `-pgid`). True when it was delivered;
 * false when there was no such process (or no right to signal it): nothing is left there
 * to act on.
 */
export function sendSignal(target: number, signal: NodeJS.Signals): boolean {
  return kill(target, signal) === null;
}

/**
 * True while `kill(target, 0)` finds a process: a pid, or a group as `-pgid`, zombies
 * included (another user's process counts: it exists, we just may not signal it).
 */
export function targetExists(target: number): boolean {
  return kill(target, 0) !== 'ESRCH';
}

/** THE call of `kill(2)`: null when delivered, else the error code (`ESRCH`, `EPERM`). */
function kill(target: number, signal: NodeJS.Signals | 0): string | null {
  try {
    process.kill(target, signal);
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'ESRCH';
  }
}
