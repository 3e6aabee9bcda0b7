/**
 * Resource limits set at spawn. Node cannot call setrlimit for a child, so the program is
 * started through `/bin/sh`, which sets the limit on itself and then `exec`s the program
 * in its place: same pid, same process group, the limit inherited by everything it starts.
 * `ulimit -n N` sets the soft and the hard limit, so the program cannot raise it again.
 *
 * Chosen over `prlimit` (util-linux): `/bin/sh` is there wherever overseer runs string
 * commands, and the limit is in place before the program's first instruction.
 */
import { readFileSync } from 'node:fs';
import { LaunchError, type LaunchPlan } from './launch-plan.js';

/** `$0` of the wrapping shell: what its own error messages start with. */
const WRAPPER_NAME = 'overseer-limits';

/**
 * The plan that runs `plan` with at most `openFiles` open descriptors (RLIMIT_NOFILE, soft
 * and hard). Throws `LaunchError` when it could not be granted: above the supervisor's own
 * hard limit (which only root may raise), or above the system's `fs.nr_open` for root.
 */
export function withOpenFilesLimit(plan: LaunchPlan, openFiles: number): LaunchPlan {
  const root = process.getuid?.() === 0;
  const ceiling = root ? systemFileCeiling() : ownHardFileLimit();
  if (ceiling !== undefined && openFiles > ceiling) {
    const whose = root ? "the system's fs.nr_open" : "the supervisor's own hard limit";
    throw new LaunchError(`limits.open_files ${openFiles} is above ${whose} of ${ceiling}`);
  }
  return {
    ...plan,
    file: '/bin/sh',
    args: ['-c', `ulimit -n ${openFiles} && exec "$@"`, WRAPPER_NAME, plan.file, ...plan.args],
  };
}

/** This process's hard RLIMIT_NOFILE, from `/proc/self/limits`; `undefined` if unknown or unlimited. */
export function ownHardFileLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((row) => row.startsWith('Max open files'));
    const hard = line?.slice('Max open files'.length).trim().split(/\s+/)[1];
    const value = Number(hard);
    return Number.isInteger(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The most descriptors any process may be allowed (`fs.nr_open`); `undefined` if unknown. */
function systemFileCeiling(): number | undefined {
  try {
    const value = Number(readFileSync('/proc/sys/fs/nr_open', 'utf8').trim());
    return Number.isInteger(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
