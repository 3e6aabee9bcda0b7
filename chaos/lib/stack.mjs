// Checks on a running stack as the docs define it: each process listed once and in its
// expected state, one live copy of each instance, and no orphan: every process of the run
// belongs to a tree the live supervisor owns.
import { isAlive } from './procs.mjs';

/**
 * The processes of the run that no live supervisor owns. Owned: the daemon, its
 * descendants (by parent pid), and a detached grandchild whose argv names its owner
 * (`--grandchild OWNER`, see fixtures/double-fork.mjs) while that owner is itself owned.
 * Processes in `transient` (the CLI commands the scenario is running) are left out.
 */
export function unowned(processes, daemonPid, transient = new Set()) {
  const byPid = new Map(processes.map((p) => [p.pid, p]));
  const owned = new Set();
  const isOwned = (proc, seen = new Set()) => {
    if (owned.has(proc.pid)) return true;
    if (seen.has(proc.pid)) return false;
    seen.add(proc.pid);
    let verdict = false;
    if (proc.pid === daemonPid) verdict = true;
    else if (byPid.has(proc.ppid)) verdict = isOwned(byPid.get(proc.ppid), seen);
    if (!verdict) {
      const at = proc.argv.indexOf('--grandchild');
      const owner = at >= 0 ? byPid.get(Number(proc.argv[at + 1])) : undefined;
      verdict = owner !== undefined && isOwned(owner, seen);
    }
    if (verdict) owned.add(proc.pid);
    return verdict;
  };
  return processes.filter(
    (p) => !transient.has(p.pid) && !isTransientAncestor(p, byPid, transient) && !isOwned(p),
  );
}

function isTransientAncestor(proc, byPid, transient) {
  for (let p = proc; p; p = byPid.get(p.ppid)) if (transient.has(p.pid)) return true;
  return false;
}

/** The live main processes of instance `name` (its run's leader, not its grandchildren). */
export function liveCopies(processes, name, mainScript) {
  return processes.filter(
    (p) =>
      // OVERSEER_PROCESS is the instance's name for a process with instances, else its own.
      (p.env.OVERSEER_PROCESS === name ||
        `${p.env.OVERSEER_PROCESS}-${p.env.OVERSEER_INSTANCE}` === name) &&
      p.argv[1] === mainScript &&
      !p.argv.includes('--grandchild') &&
      !p.argv.includes('--intermediate') &&
      isAlive(p.pid),
  );
}

/**
 * What is wrong with the stack now, as a list of sentences (empty: converged).
 * `expected`: the name `ps` shows → { status, script, instance } from the docs' rules
 * (`instance`: `NAME-INDEX` as in OVERSEER_PROCESS and OVERSEER_INSTANCE); `rows`: `ps --json` processes.
 */
export function stackProblems({ rows, processes, daemonPid, expected }) {
  const problems = [];
  if (!rows) return ['ps --json did not answer'];
  for (const [name, want] of Object.entries(expected)) {
    const listed = rows.filter((r) => r.name === name);
    if (listed.length !== 1) {
      problems.push(`${name} is listed ${listed.length} times`);
      continue;
    }
    const row = listed[0];
    if (row.status !== want.status)
      problems.push(
        `${name} is ${row.status} (${row.reason ?? 'no reason'}), expected ${want.status}`,
      );
    const copies = liveCopies(processes, want.instance ?? name, want.script);
    const wantCopies = want.status === 'running' ? 1 : 0;
    if (copies.length !== wantCopies) {
      problems.push(
        `${name} has ${copies.length} live copies (${copies.map((c) => c.pid).join(', ')}), expected ${wantCopies}`,
      );
    } else if (wantCopies === 1 && (row.pid !== copies[0].pid || copies[0].ppid !== daemonPid)) {
      problems.push(
        `${name}: ps says pid ${row.pid}, the live copy is ${copies[0].pid} (parent ${copies[0].ppid}, daemon ${daemonPid})`,
      );
    }
  }
  for (const row of rows)
    if (!(row.name in expected)) problems.push(`${row.name} is listed but not declared`);
  return problems;
}
