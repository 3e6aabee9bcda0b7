// Watching a supervisor's children from outside, through /proc only: how long until N of
// them are alive running a given program, or until none is. What a user sees with `ps`,
// whatever the supervisor's own status command says and whenever it returns.
import { now, sleep } from './lib.mjs';
import { commandName, directChildren, readStat } from './proc.mjs';

/** Between two looks at /proc: often enough for 0.1 s figures, cheap enough not to load them. */
const POLL_MS = 5;

/** The daemon's direct children running `program` (by /proc/<pid>/comm), zombies left out. */
export function liveChildren(daemonPid, program) {
  return directChildren(daemonPid).filter(
    (pid) => commandName(pid) === program && readStat(pid)?.state !== 'Z',
  );
}

/**
 * Polls until exactly `count` of the daemon's children are alive running `program` (0: until
 * none is); resolves with the ms from `t0`. `daemonPid()` may be undefined for a while (a
 * daemon still booting has no pid file yet). Rejects after `timeoutMs`, or once `signal`
 * is aborted (the command that was to start or stop them failed).
 */
export async function waitForChildren({
  daemonPid,
  program,
  count,
  t0,
  signal,
  timeoutMs = 120_000,
}) {
  for (;;) {
    signal?.throwIfAborted();
    const pid = daemonPid();
    // The cheap look first: reading 100 children's comm and stat every poll would load the
    // machine while the supervisor spawns.
    const children = pid === undefined ? [] : directChildren(pid);
    const possible = count === 0 || children.length >= count;
    if (pid !== undefined && possible && liveChildren(pid, program).length === count) {
      return now() - t0;
    }
    if (now() - t0 > timeoutMs) {
      throw new Error(`${count} children running ${program}: still waiting after ${timeoutMs} ms`);
    }
    await sleep(POLL_MS);
  }
}
