/**
 * Which containment a supervisor uses, decided once when it starts: a cgroup per run where
 * the machine lets it create them (cgroup v2 with `cgroup.kill`, delegated to it: root on a
 * host, a systemd unit with `Delegate=yes`), else the process group plus the strays tracked
 * through `/proc` and the run mark. `OVERSEER_CONTAINMENT` (or the `containment` option)
 * forces `process-group`, or insists on `cgroup`. See docs/containment.md.
 */
import { OverseerError } from '../../core/errors.js';
import type { ContainmentInfo, ContainmentMode } from '../../core/view.js';
import {
  type CgroupPlace,
  createRunCgroup,
  createSupervisorCgroup,
  findOwnCgroup,
  ownStartTime,
  removeCgroup,
} from './cgroup.js';
import { RunTree } from './run-tree.js';

/** What a supervisor may be asked to use: `auto` picks cgroups when the machine allows. */
export type ContainmentChoice = 'auto' | ContainmentMode;

/** The environment variable that chooses the containment when the option does not. */
export const CONTAINMENT_VARIABLE = 'OVERSEER_CONTAINMENT';

const CHOICES: readonly ContainmentChoice[] = ['auto', 'cgroup', 'process-group'];

/**
 * Runs started by every supervisor of this process: the supervisors of one process share
 * its cgroup folder (named after the process) and mark prefix, so run names count across
 * all of them.
 */
let runsStarted = 0;

export class Containment {
  private readonly markPrefix: string;

  private constructor(
    readonly info: ContainmentInfo,
    private readonly supervisorDir: string | undefined,
  ) {
    this.markPrefix = `${process.pid}-${ownStartTime()}`;
  }

  /**
   * Decides the containment: `choice` if given, else `OVERSEER_CONTAINMENT` from `env`, else
   * `auto`. Throws `INVALID_SPEC` for a value that is none of `auto`, `cgroup`,
   * `process-group`, and `UNAVAILABLE` when `cgroup` is insisted on and cannot be had.
   */
  static detect(choice: string | undefined, env: NodeJS.ProcessEnv): Containment {
    const source = choice !== undefined ? 'containment' : CONTAINMENT_VARIABLE;
    const asked = choice ?? env[CONTAINMENT_VARIABLE] ?? 'auto';
    if (!CHOICES.includes(asked as ContainmentChoice)) {
      const message = `${source}: expected one of ${CHOICES.join(', ')}, got ${JSON.stringify(asked)}`;
      throw new OverseerError('INVALID_SPEC', message, [
        { path: source, message: `expected one of ${CHOICES.join(', ')}` },
      ]);
    }
    if (asked === 'process-group') {
      return new Containment({ mode: 'process-group', reason: `chosen by ${source}` }, undefined);
    }
    const place = findOwnCgroup();
    const created = 'own' in place ? createdFor(place) : place;
    if ('dir' in created)
      return new Containment({ mode: 'cgroup', cgroup: created.dir }, created.dir);
    if (asked === 'cgroup') {
      throw new OverseerError('UNAVAILABLE', `${source}: cgroup containment: ${created.missing}`);
    }
    return new Containment({ mode: 'process-group', reason: created.missing }, undefined);
  }

  get mode(): ContainmentMode {
    return this.info.mode;
  }

  /** The tree of a run about to be spawned: its mark, and its cgroup in cgroup mode. */
  open(): RunTree {
    runsStarted += 1;
    const name = `run-${runsStarted}`;
    const cgroup =
      this.supervisorDir === undefined ? null : createRunCgroup(this.supervisorDir, name);
    return new RunTree(`${this.markPrefix}-${runsStarted}`, cgroup);
  }

  /** Removes this supervisor's cgroup folder, once every run's cgroup is gone. */
  close(): void {
    if (this.supervisorDir !== undefined) removeCgroup(this.supervisorDir);
  }

  /**
   * For the host's exit, after every tree was killed: waits (blocking, at most `withinMs`)
   * for the kernel to empty their cgroups, and removes them and this supervisor's folder.
   * What is not empty by then is left to the next supervisor's sweep.
   */
  closeNow(trees: readonly RunTree[], withinMs = 200): void {
    if (this.supervisorDir === undefined) return;
    const deadline = performance.now() + withinMs;
    const pause = new Int32Array(new SharedArrayBuffer(4));
    let left = trees.filter((tree) => !tree.release());
    while (left.length > 0 && performance.now() < deadline) {
      Atomics.wait(pause, 0, 0, 2);
      left = left.filter((tree) => !tree.release());
    }
    this.close();
  }
}

function createdFor(place: CgroupPlace): { dir: string } | { missing: string } {
  return createSupervisorCgroup(place, { pid: process.pid, startTime: ownStartTime() });
}
