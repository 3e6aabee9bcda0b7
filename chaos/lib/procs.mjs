// The chaos suite's view of processes: every process a run starts inherits CHAOS_RUN (the
// run's mark), so what is left behind is found by reading /proc, whoever its parent is.
import { readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** The environment variable that marks every process of one chaos run. */
export const MARK = 'CHAOS_RUN';

/** Where cgroup v2 is mounted on this machine (hybrid: `unified`; pure v2: the root). */
export const CGROUP_ROOT = (() => {
  try {
    readFileSync('/sys/fs/cgroup/unified/cgroup.procs');
    return '/sys/fs/cgroup/unified';
  } catch {
    return '/sys/fs/cgroup';
  }
})();

/**
 * One process as /proc shows it: pid, parent, state letter (`Z` for a zombie), the command
 * line, and the environment variables the suite cares about.
 */
function readProcess(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    const env = {};
    for (const entry of environ) {
      const equals = entry.indexOf('=');
      if (equals > 0) env[entry.slice(0, equals)] = entry.slice(equals + 1);
    }
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    let cgroup = null;
    try {
      const line = readFileSync(`/proc/${pid}/cgroup`, 'utf8')
        .split('\n')
        .find((l) => l.startsWith('0::'));
      cgroup = line ? line.slice(3) : null;
    } catch {
      // gone
    }
    return {
      pid,
      state: fields[0],
      ppid: Number(fields[1]),
      pgid: Number(fields[2]),
      sid: Number(fields[3]),
      argv,
      command: argv.join(' '),
      env,
      cgroup,
    };
  } catch {
    return null; // gone while we looked, or not ours to read
  }
}

/** Every live (non-zombie) process carrying `runId`'s mark. */
export function markedProcesses(runId) {
  const found = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const proc = readProcess(pid);
    if (proc && proc.state !== 'Z' && proc.env[MARK] === runId) found.push(proc);
  }
  return found;
}

/** True while `pid` names a process that is not a zombie. */
export function isAlive(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** True when `pid` is a zombie: dead, but not reaped by its parent. */
export function isZombie(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] === 'Z';
  } catch {
    return false;
  }
}

/** Sends `signal` to `pid`; false when it was already gone. */
export function signal(pid, name) {
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false;
  }
}

/** Resident set size (bytes) and open file descriptors of `pid`, or null once it is gone. */
export function usage(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
    const fds = readdirSync(`/proc/${pid}/fd`).length;
    return { rssBytes: rssKb * 1024, fds };
  } catch {
    return null;
  }
}

/**
 * SIGKILLs every live process of `runId` except those in `spare` (the runner, the
 * scenario, its reaper), until none is left or `timeoutMs` passes. Returns what it found
 * on its first look, and what would not die.
 */
export async function sweep(runId, { spare = [], timeoutMs = 5_000 } = {}) {
  const spared = new Set(spare);
  const found = markedProcesses(runId).filter((p) => !spared.has(p.pid));
  const deadline = Date.now() + timeoutMs;
  let left = found;
  while (left.length > 0 && Date.now() < deadline) {
    for (const proc of left) signal(proc.pid, 'SIGKILL');
    await sleep(50);
    left = markedProcesses(runId).filter((p) => !spared.has(p.pid));
  }
  return { found, survivors: left };
}

/**
 * Removes the cgroup folders processes of this run were seen in (deepest first), once empty:
 * a supervisor that gives each run a cgroup must not leave them behind, and neither may we.
 * Folders that still hold processes are emptied with `cgroup.kill` first.
 */
export function removeCgroups(paths) {
  const removed = [];
  const sorted = [...paths].filter((p) => p && p !== '/').sort((a, b) => b.length - a.length);
  for (const path of sorted) {
    const dir = `${CGROUP_ROOT}${path}`;
    try {
      writeFileSync(`${dir}/cgroup.kill`, '1');
    } catch {
      // no cgroup.kill (older kernel) or already gone
    }
    try {
      rmdirSync(dir);
      removed.push(path);
    } catch {
      // busy, gone, or not ours
    }
  }
  return removed;
}
