// Reading /proc (Linux) for the benchmarks: a process's memory and CPU time, and the
// processes below it, so every daemon and child a benchmark started can be found and ended
// by pid. Process entries, liveness and signals come from the build (the supervisor's own
// /proc reader and kill wrapper); what only a benchmark measures (memory by kind, CPU by
// thread) is read here.
import { readdirSync, readFileSync } from 'node:fs';
import {
  isAlive as isSameLiveProcess,
  liveDescendants,
  readProcEntry,
  readProcTable,
  readStat as readStatOf,
  sendSignal,
} from '../dist/runtime/process/proc.js';

export { sendSignal };

/** Clock ticks per second of utime/stime in /proc/<pid>/stat (USER_HZ: 100 on Linux). */
export const CLOCK_TICKS = 100;

/** The entry of `pid` (ppid, pgid, state, startTime), or undefined when the process is gone. */
export function readStat(pid) {
  return readProcEntry(pid);
}

/** True while `pid` runs as the process that started at `startTime` (a zombie is gone). */
export function isAlive(pid, startTime) {
  return isSameLiveProcess({ pid, startTime });
}

/** VmRSS and its parts (anonymous, file-backed, shared memory) in bytes, from /proc/<pid>/status. */
export function readMemory(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const field = (name) => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text);
    return match ? Number(match[1]) * 1024 : null;
  };
  return {
    rss: field('VmRSS'),
    rssAnon: field('RssAnon'),
    rssFile: field('RssFile'),
    rssShmem: field('RssShmem'),
  };
}

/** Proportional (Pss) and private dirty memory in bytes, from /proc/<pid>/smaps_rollup. */
export function readMemoryRollup(pid) {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1]) * 1024;
  return { pss: field('Pss'), privateDirty: field('Private_Dirty') };
}

/**
 * CPU time a process has used so far, in ms, two ways: utime + stime of /proc/<pid>/stat
 * (every thread, 10 ms ticks) and the sum of its threads' /proc/<pid>/task/<tid>/schedstat
 * run times (nanosecond precision, but only of threads alive now). Undefined when gone.
 */
export function readCpu(pid) {
  // Read before the threads: the reading is a scratch object the next one overwrites.
  const ownTicks = readStatOf(pid)?.ownTicks;
  if (ownTicks === undefined) return undefined;
  let runNs = 0;
  let threads = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        runNs += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
        threads += 1;
      } catch {
        // The thread ended meanwhile.
      }
    }
  } catch {
    return undefined;
  }
  return { statMs: (ownTicks * 1000) / CLOCK_TICKS, schedMs: runNs / 1e6, threads };
}

/** Every live process now: pid → entry. */
export function processTable() {
  return new Map(readProcTable().map((entry) => [entry.pid, entry]));
}

/** The live descendants of `pid` (children, their children…), zombies left out. */
export function descendants(pid, table = processTable()) {
  return liveDescendants([...table.values()], pid);
}

/**
 * Every process the benchmark started or saw below what it started, by pid and start time
 * (so a reused pid is never touched). `killAll` SIGKILLs whatever of it is still alive:
 * the last resort when a daemon did not take its children down with it.
 */
export class ProcessLedger {
  #known = new Map();

  /** Remembers `pid` and, while it runs, every process below it. */
  add(pid) {
    const stat = readStat(pid);
    if (!stat) return;
    this.#known.set(pid, stat.startTime);
    this.track(pid);
  }

  /** Remembers the processes now below `pid` (a daemon's children), if `pid` is known. */
  track(pid) {
    for (const stat of descendants(pid)) this.#known.set(stat.pid, stat.startTime);
  }

  /** Known processes still alive. */
  alive() {
    return [...this.#known].filter(([pid, startTime]) => isAlive(pid, startTime));
  }

  /** SIGKILLs every known process still alive (and its group); returns how many there were. */
  killAll() {
    const alive = this.alive();
    for (const [pid] of alive) {
      // The pid, and its group if it leads one (a failure means gone, or not a leader).
      sendSignal(pid, 'SIGKILL');
      sendSignal(-pid, 'SIGKILL');
    }
    this.#known.clear();
    return alive.length;
  }
}

/**
 * The pids of the direct children of `pid`, from /proc/<pid>/task/<tid>/children: cheap
 * enough to poll every few ms while a supervisor spawns (reading the whole process table
 * that often would itself load the machine). Empty when the process is gone.
 */
export function directChildren(pid) {
  const pids = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
        if (text !== '') for (const child of text.split(' ')) pids.push(Number(child));
      } catch {
        // The thread ended meanwhile.
      }
    }
  } catch {
    return [];
  }
  return pids;
}

/** The command name of `pid` (`sleep`, `node`…), or undefined when it is gone. */
export function commandName(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/**
 * CPU ticks `pid` has used and those of the children it has reaped (utime + stime + cutime
 * + cstime of /proc/<pid>/stat), or undefined when it is gone: a daemon's figure includes
 * the children it has spawned and seen exit.
 */
export function lifetimeTicks(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // After "pid (comm) ": state is field 3, utime … cstime are fields 14 to 17.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return fields.slice(11, 15).reduce((total, field) => total + Number(field), 0);
}
