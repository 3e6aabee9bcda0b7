/**
 * Run marks: every child is started with `OVERSEER_RUN=<mark>` in its environment, which
 * every descendant inherits unless it rewrites its environment. A descendant that left the
 * process group and was reparented before anything looked for it (a double fork with
 * `setsid`) is no one's descendant any more, but still carries its run's mark in
 * `/proc/PID/environ`: that is how a run without a cgroup, or a dead supervisor's run, finds
 * it (Jenkins' ProcessTreeKiller finds a build's strays the same way).
 */
import { readFileSync } from 'node:fs';
import { isLive, type ProcEntry, procTableThisTick } from './proc.js';

/** The environment variable that carries a run's mark. */
export const RUN_MARK_VARIABLE = 'OVERSEER_RUN';

const NEEDLE = Buffer.from(`\0${RUN_MARK_VARIABLE}=`, 'latin1');

/** The mark read from each pid, by start time: a process's environment is read once. */
const markCache = new Map<number, { readonly startTime: number; readonly mark: string | null }>();

let tickMarks: Map<string, ProcEntry[]> | undefined;

/**
 * The live processes of `table` by the run mark they carry. Each process's environment is
 * read once in its life (cached by pid and start time); processes that are gone leave the
 * cache as the table is read. This process itself is never listed (it may carry the mark of
 * a supervisor that runs it).
 */
export function markedProcesses(table: readonly ProcEntry[]): Map<string, ProcEntry[]> {
  const found = new Map<string, ProcEntry[]>();
  const seen = new Set<number>();
  for (const entry of table) {
    seen.add(entry.pid);
    if (!isLive(entry) || entry.pid === process.pid) continue;
    let cached = markCache.get(entry.pid);
    if (cached?.startTime !== entry.startTime) {
      cached = { startTime: entry.startTime, mark: readMark(entry.pid) };
      markCache.set(entry.pid, cached);
    }
    if (cached.mark === null) continue;
    const runs = found.get(cached.mark);
    if (runs) runs.push(entry);
    else found.set(cached.mark, [entry]);
  }
  for (const pid of markCache.keys()) if (!seen.has(pid)) markCache.delete(pid);
  return found;
}

/** `markedProcesses` of this tick's table, computed once per turn of the event loop. */
export function markedThisTick(): Map<string, ProcEntry[]> {
  if (!tickMarks) {
    tickMarks = markedProcesses(procTableThisTick());
    setImmediate(() => {
      tickMarks = undefined;
    });
  }
  return tickMarks;
}

/** The mark in a process's environment; null when it has none or cannot be read. */
function readMark(pid: number): string | null {
  let environ: Buffer;
  try {
    environ = readFileSync(`/proc/${pid}/environ`);
  } catch {
    return null;
  }
  const prefix = NEEDLE.subarray(1);
  let start: number;
  if (environ.subarray(0, prefix.length).equals(prefix)) start = prefix.length;
  else {
    const at = environ.indexOf(NEEDLE);
    if (at < 0) return null;
    start = at + NEEDLE.length;
  }
  const end = environ.indexOf(0, start);
  return environ.toString('latin1', start, end < 0 ? environ.length : end);
}
