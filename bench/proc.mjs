// Reading /proc (Linux) for the CLI benchmark: a process's memory and CPU time, and the
// processes below it, so every daemon and child the benchmark started can be found and
// ended by pid.
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of utime/stime in /proc/<pid>/stat (USER_HZ: 100 on Linux). */
export const CLOCK_TICKS = 100;

/**
 * The fields of /proc/<pid>/stat this benchmark needs, or undefined when the process is
 * gone. The command name is in parentheses and may hold spaces: fields count from the last ')'.
 */
export function readStat(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return {
    pid,
    state: fields[0],
    ppid: Number(fields[1]),
    pgid: Number(fields[2]),
    utime: Number(fields[11]),
    stime: Number(fields[12]),
    startTime: Number(fields[19]),
  };
}

/** True while `pid` runs as the process that started at `startTime` (a zombie is gone). */
export function isAlive(pid, startTime) {
  const stat = readStat(pid);
  return stat !== undefined && stat.state !== 'Z' && stat.startTime === startTime;
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

/**
 * CPU time a process has used so far, in ms, two ways: utime + stime of /proc/<pid>/stat
 * (every thread, 10 ms ticks) and the sum of its threads' /proc/<pid>/task/<tid>/schedstat
 * run times (nanosecond precision, but only of threads alive now). Undefined when gone.
 */
export function readCpu(pid) {
  const stat = readStat(pid);
  if (!stat) return undefined;
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
  return {
    statMs: ((stat.utime + stat.stime) * 1000) / CLOCK_TICKS,
    schedMs: runNs / 1e6,
    threads,
  };
}

/** Every live process now: pid → stat. */
export function processTable() {
  const table = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat) table.set(stat.pid, stat);
  }
  return table;
}

/** The live descendants of `pid` (children, their children…), zombies left out. */
export function descendants(pid, table = processTable()) {
  const children = new Map();
  for (const stat of table.values()) {
    if (!children.has(stat.ppid)) children.set(stat.ppid, []);
    children.get(stat.ppid).push(stat);
  }
  const found = [];
  const queue = [...(children.get(pid) ?? [])];
  for (let stat = queue.shift(); stat; stat = queue.shift()) {
    if (stat.state !== 'Z') found.push(stat);
    queue.push(...(children.get(stat.pid) ?? []));
  }
  return found;
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
      for (const target of [pid, -pid]) {
        try {
          process.kill(target, 'SIGKILL');
        } catch {
          // Gone, or not a group leader.
        }
      }
    }
    this.#known.clear();
    return alive.length;
  }
}
