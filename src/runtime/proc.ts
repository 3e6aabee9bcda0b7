/**
 * A reader of Linux `/proc`: who is whose child, in which process group, and whether a
 * process is only a zombie. Elsewhere the table is empty and callers fall back to the
 * process group alone.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcEntry {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  /** One-letter state: R, S, D, Z (zombie), T… */
  readonly state: string;
  /** Start time in clock ticks since boot: with the pid, it names a process uniquely. */
  readonly startTime: number;
}

/** Parses one `/proc/PID/stat` line; `undefined` when it is not one. */
export function parseStat(line: string): ProcEntry | undefined {
  // The command name is in parentheses and may itself contain spaces or parentheses.
  const close = line.lastIndexOf(')');
  if (close < 0) return undefined;
  const pid = Number.parseInt(line, 10);
  const fields = line.slice(close + 2).split(' ');
  const [state, ppid, pgid] = fields;
  const startTime = fields[19];
  if (!state || ppid === undefined || pgid === undefined || startTime === undefined) {
    return undefined;
  }
  return { pid, ppid: Number(ppid), pgid: Number(pgid), state, startTime: Number(startTime) };
}

/** Reads one process's entry, or `undefined` when it is gone. */
export function readProcEntry(pid: number): ProcEntry | undefined {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
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

/** The live (non-zombie) descendants of `root`, found by following parent links. */
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
      if (child.state !== 'Z') found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/** The live (non-zombie) members of a process group. */
export function liveGroupMembers(table: readonly ProcEntry[], pgid: number): ProcEntry[] {
  return table.filter((entry) => entry.pgid === pgid && entry.state !== 'Z');
}

let tickTable: ProcEntry[] | undefined;

/**
 * `readProcTable()`, read at most once per turn of the event loop: stopping a hundred
 * processes at once then costs one scan of `/proc`, not a hundred.
 */
export function procTableThisTick(): ProcEntry[] {
  if (!tickTable) {
    tickTable = readProcTable();
    setImmediate(() => {
      tickTable = undefined;
    });
  }
  return tickTable;
}
