/**
 * What a run's whole tree used, measured exactly rather than sampled: the run is started
 * through `overseer-usage-shim` (native/usage-shim.c), a child subreaper that reaps every
 * process of the tree and, once its child has exited, writes `getrusage(RUSAGE_CHILDREN)`
 * as `maxrss_kb utime_us stime_us` on its fd 3. Node cannot tell a child's rusage itself
 * (libuv reaps with waitpid, not wait4), and a sample every few seconds misses a run of
 * 50 ms. The program is compiled at install (scripts/build-native.mjs); without it, runs
 * are not measured and their figures come from sampling only.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LaunchPlan } from './launch-plan.js';

export interface MeasuredUsage {
  /**
   * The largest peak resident set of any single process of the tree (the kernel's high-water
   * mark), in bytes: not the sum of the tree at one instant.
   */
  readonly peakRssBytes: number;
  /**
   * CPU time (user and system), in milliseconds to the microsecond, of the main process
   * and of every descendant that exited before it did, orphans re-parented to the shim
   * included. Descendants still alive when the main process exits are not counted.
   */
  readonly cpuMs: number;
}

/** The compiled program, beside the package: the same from `dist/` and from `src/`. */
const SHIM = fileURLToPath(new URL('../../../native/build/overseer-usage-shim', import.meta.url));

/** The usage shim's path, or `undefined` when it was not built (or cannot be executed). */
export function usageShimPath(): string | undefined {
  try {
    if (!statSync(SHIM).isFile()) return undefined;
    accessSync(SHIM, constants.X_OK);
    return SHIM;
  } catch {
    return undefined;
  }
}

/**
 * The plan run by `shim`, which runs `plan`'s program as its child and reports on fd 3
 * (read by `ChildRun`). Whatever wrapped the program before (bubblewrap, resource limits)
 * runs inside the shim: the shim is the process spawned, the leader of the run's group.
 * With `cgroup`, the shim enters it before its child is born: no shell is needed to.
 */
export function measuringUsage(plan: LaunchPlan, shim: string, cgroup?: string): LaunchPlan {
  const entry = cgroup === undefined ? [] : ['--cgroup', cgroup];
  return { ...plan, file: shim, args: [...entry, plan.file, ...plan.args], measureUsage: true };
}

/** The shim's path, checked once: it does not come and go while a supervisor runs. */
let shimFound: string | undefined | null = null;

/** `usageShimPath()`, remembered after the first answer. */
export function cachedUsageShimPath(): string | undefined {
  if (shimFound === null) shimFound = usageShimPath();
  return shimFound;
}

const REPORT = /^(\d+) (\d+) (\d+)\n?$/;

/** The shim's report (`maxrss_kb utime_us stime_us`), or `undefined` for anything else. */
export function parseUsageReport(text: string): MeasuredUsage | undefined {
  const match = REPORT.exec(text);
  if (!match) return undefined;
  const [maxRssKb, userUs, systemUs] = match.slice(1).map(Number) as [number, number, number];
  return { peakRssBytes: maxRssKb * 1024, cpuMs: (userUs + systemUs) / 1000 };
}
