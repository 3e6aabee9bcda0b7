// The three ways of running N short commands 20 at a time that the tasks benchmark puts
// side by side: overseer's `supervisor.run()`, a hand-written pool over
// `child_process.spawn` (the floor: what any runner built on Node pays), and `p-limit` +
// `execa` (what a user would write instead of a supervisor). Each side returns its wall
// time and the CPU the benchmark's own process spent meanwhile (`process.cpuUsage`: user +
// system of this process, not of the children, which run elsewhere).
import { spawn } from 'node:child_process';
import { execa } from 'execa';
import pLimit from 'p-limit';
import { Supervisor } from '../dist/index.js';
import { now, round } from './lib.mjs';

/** The command each task runs: exits at once, prints nothing. */
export const COMMAND = '/bin/true';

/** Wall time and this process's CPU time of `work()`, both in ms. */
async function timed(work) {
  const cpuBefore = process.cpuUsage();
  const start = now();
  const extra = await work();
  const wallMs = now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  return { wallMs: round(wallMs), cpuMs: round((cpu.user + cpu.system) / 1000), ...extra };
}

/**
 * The floor: `concurrency` children at a time, each started from the previous one's
 * 'close', with the options overseer spawns with (its own process group, output piped and
 * read), until `count` have ended.
 */
export function floorSide(groups, { count, concurrency }) {
  return timed(
    () =>
      new Promise((resolve, reject) => {
        let started = 0;
        let ended = 0;
        const next = () => {
          if (started >= count) return;
          started += 1;
          const child = spawn(COMMAND, [], {
            detached: true,
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          groups.add(child.pid);
          child.stdout.resume();
          child.stderr.resume();
          child.once('error', reject);
          child.once('close', () => {
            groups.gone(child.pid);
            ended += 1;
            if (ended === count) resolve({});
            else next();
          });
        };
        for (let slot = 0; slot < concurrency; slot++) next();
      }),
  );
}

/**
 * overseer: a `Supervisor` with `maxProcesses: concurrency` (sampling at its default), the
 * `count` tasks submitted at once through `run()`. The supervisor is created before and
 * shut down after the timed part. Every result must be `succeeded`.
 */
export async function overseerSide(groups, { count, concurrency, containment }) {
  const supervisor = new Supervisor({ maxProcesses: concurrency, containment });
  const off = supervisor.on('task:started', (event) => groups.add(event.pid));
  try {
    const result = await timed(async () => {
      const results = await Promise.all(
        Array.from({ length: count }, () => supervisor.run({ command: [COMMAND] })),
      );
      const failed = results.filter((each) => each.status !== 'succeeded');
      if (failed.length > 0) {
        throw new Error(`${failed.length} tasks did not succeed: ${failed[0].reason}`);
      }
      return {};
    });
    return { ...result, containment: supervisor.containment.mode };
  } finally {
    off();
    await supervisor.shutdown();
  }
}

/** p-limit + execa, as its README shows: `limit(() => execa(command))` for each. */
export function pLimitExecaSide(_groups, { count, concurrency }) {
  const limit = pLimit(concurrency);
  return timed(async () => {
    await Promise.all(Array.from({ length: count }, () => limit(() => execa(COMMAND))));
    return {};
  });
}

/**
 * The sides, in the order of the first round. `overseer` contains each task as it would by
 * default (`auto`: a cgroup per run where the machine allows it, entered through a
 * `/bin/sh` that then execs the command); `overseer-pgroup` forces `process-group`
 * containment, to show what the cgroup costs.
 */
export const SIDES = {
  floor: floorSide,
  overseer: overseerSide,
  'overseer-pgroup': (groups, params) =>
    overseerSide(groups, { ...params, containment: 'process-group' }),
  'p-limit+execa': pLimitExecaSide,
};
