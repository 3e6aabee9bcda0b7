/**
 * cgroup v2 for containment: one cgroup per run, beneath the supervisor's own, so that every
 * process a run starts stays inside it however it forks or calls `setsid`, and
 * `cgroup.kill` ends all of them at once (as systemd does for a unit). No controller is
 * enabled: the cgroups only group, so the v2 rule against processes in inner cgroups never
 * applies. Layout: `<supervisor's cgroup>/overseer-<pid>-<start time>/run-<n>`; a supervisor
 * that finds the folder of a dead one removes what is empty of it, and recovery ends what is
 * not (the store keeps each run's path).
 */
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { isAlive, readProcEntry, sendSignal } from './proc.js';

/** Prefix of a supervisor's folder of run cgroups. */
const SUPERVISOR_PREFIX = 'overseer-';

/** Where the unified (v2) hierarchy is mounted and where this process sits in it. */
export interface CgroupPlace {
  /** Absolute folder of this process's own v2 cgroup. */
  readonly own: string;
}

/**
 * This process's own v2 cgroup folder, or why there is none: from `/proc/self/mountinfo`
 * (a `cgroup2` mount: `/sys/fs/cgroup` on a pure-v2 host, `/sys/fs/cgroup/unified` on a
 * hybrid one) and `/proc/self/cgroup` (its `0::PATH` line).
 */
export function findOwnCgroup(): CgroupPlace | { readonly missing: string } {
  let mountinfo: string;
  let membership: string;
  try {
    mountinfo = readFileSync('/proc/self/mountinfo', 'utf8');
    membership = readFileSync('/proc/self/cgroup', 'utf8');
  } catch {
    return { missing: 'no /proc (not Linux)' };
  }
  const path = membership
    .split('\n')
    .find((line) => line.startsWith('0::'))
    ?.slice(3);
  if (path === undefined) return { missing: 'this process is in no cgroup v2 hierarchy' };
  for (const line of mountinfo.split('\n')) {
    const [before, after] = line.split(' - ');
    if (!before || !after?.startsWith('cgroup2 ')) continue;
    // Fields: id, parent, major:minor, root of the mount, mount point, …
    const fields = before.split(' ');
    const root = unescapeMount(fields[3] ?? '/');
    const mountPoint = unescapeMount(fields[4] ?? '');
    if (root !== '/' && path !== root && !path.startsWith(`${root}/`)) continue;
    const inside = root === '/' ? path : path.slice(root.length);
    return { own: join(mountPoint, inside) };
  }
  return { missing: 'no cgroup v2 hierarchy is mounted' };
}

/** mountinfo escapes space, tab, newline and backslash as octal. */
function unescapeMount(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) =>
    String.fromCharCode(Number.parseInt(octal, 8)),
  );
}

/**
 * Creates this supervisor's folder of run cgroups beneath its own cgroup, or says why it
 * cannot: not delegated to us (no write access), or a kernel without `cgroup.kill` (< 5.14).
 * `identity` names this supervisor (pid and start time), so a successor can tell a dead
 * one's folder from a live one's.
 */
export function createSupervisorCgroup(
  place: CgroupPlace,
  identity: { readonly pid: number; readonly startTime: number },
): { readonly dir: string } | { readonly missing: string } {
  const dir = join(place.own, `${SUPERVISOR_PREFIX}${identity.pid}-${identity.startTime}`);
  try {
    // Moving a process needs write access to the cgroup.procs of the common ancestor.
    accessSync(join(place.own, 'cgroup.procs'), constants.W_OK);
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    return { missing: `cannot create cgroups in ${place.own} (${errorCode(error)})` };
  }
  if (!existsSync(join(dir, 'cgroup.kill'))) {
    removeCgroup(dir);
    return { missing: 'the kernel has no cgroup.kill (Linux < 5.14)' };
  }
  sweepDeadSupervisors(place);
  return { dir };
}

/**
 * Removes the empty run cgroups of supervisors that are dead (a zombie included), and their
 * folders once empty. A run cgroup that still holds processes is left for recovery, which
 * knows from the store how that run asks to be stopped.
 */
export function sweepDeadSupervisors(place: CgroupPlace): void {
  let names: string[];
  try {
    names = readdirSync(place.own);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(SUPERVISOR_PREFIX)) continue;
    const [pid, startTime] = name.slice(SUPERVISOR_PREFIX.length).split('-').map(Number);
    if (!Number.isInteger(pid) || !Number.isInteger(startTime)) continue;
    if (isAlive({ pid: pid!, startTime: startTime! })) continue;
    const dir = join(place.own, name);
    for (const run of subfolders(dir)) removeCgroup(join(dir, run));
    removeCgroup(dir);
  }
}

/**
 * Creates the cgroup of one run inside the supervisor's folder (made again if another
 * supervisor of this process removed it meanwhile); returns its path.
 */
export function createRunCgroup(supervisorDir: string, name: string): string {
  const dir = join(supervisorDir, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The pids in a cgroup (none once it is removed). */
export function cgroupPids(dir: string): number[] {
  try {
    const text = readFileSync(join(dir, 'cgroup.procs'), 'latin1');
    return text ? text.trim().split('\n').filter(Boolean).map(Number) : [];
  } catch {
    return [];
  }
}

/**
 * True once no process of the cgroup is alive (`populated 0`: zombies are out of it already,
 * and a removed cgroup holds nothing).
 */
export function cgroupIsEmpty(dir: string): boolean {
  try {
    return readFileSync(join(dir, 'cgroup.events'), 'latin1').includes('populated 0');
  } catch {
    return true;
  }
}

/** Moves a process into a cgroup (for a child that could not enter it itself). */
export function moveIntoCgroup(dir: string, pid: number): boolean {
  try {
    writeFileSync(join(dir, 'cgroup.procs'), String(pid));
    return true;
  } catch {
    return false;
  }
}

/**
 * SIGKILL to every process of the cgroup at once, forks in flight included (`cgroup.kill`);
 * where the file is missing, to each member listed. Synchronous: usable at host exit.
 */
export function killCgroup(dir: string): void {
  try {
    writeFileSync(join(dir, 'cgroup.kill'), '1');
    return;
  } catch (error) {
    if (errorCode(error) !== 'ENOENT' || !existsSync(dir)) return;
  }
  for (const pid of cgroupPids(dir)) sendSignal(pid, 'SIGKILL');
}

/** Removes an empty cgroup; false when it still holds processes (or was never there). */
export function removeCgroup(dir: string): boolean {
  try {
    rmdirSync(dir);
    return true;
  } catch (error) {
    return errorCode(error) === 'ENOENT';
  }
}

/** This process's start time, which names its supervisor folder. */
export function ownStartTime(): number {
  return readProcEntry(process.pid)?.startTime ?? 0;
}

function subfolders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}
