/**
 * What to execute for a spec: program and arguments, working folder, environment. Read at
 * each spawn, so an edited `env_file` applies from the next start on.
 *
 * THE launch plan: its layers are applied here and only here, innermost first: the
 * environment, the sandbox's checks, bubblewrap, resource limits, the usage shim when the
 * run is measured, and outermost the entry into the run's cgroup, so that whatever is
 * exec'd after it (the shim and bubblewrap included) is already inside and no fork can
 * escape.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import type { ProcessSpec } from '../../core/process/spec.js';
import { visibleEnv } from '../../core/sandbox/sandbox.js';
import { confinedPlan, currentHost, findExecutable, type SandboxHost } from '../sandbox/sandbox.js';
import { LaunchError, type LaunchPlan } from './launch-plan.js';
import { RUN_MARK_VARIABLE } from './marks.js';
import { withOpenFilesLimit } from './rlimits.js';
import type { RunTreeRecord } from './run-tree.js';
import { cachedUsageShimPath, measuringUsage } from './usage-shim.js';

/** What a caller may ask of a run besides its spec. */
export interface LaunchOptions {
  /** Written to the program's stdin, which is then closed; absent: stdin is /dev/null. */
  readonly stdin?: string | Buffer;
  /**
   * Measure what the run's whole tree used (`ChildRun.usage()`) by running it under the
   * usage shim. Ignored when the shim was not built, and for a run as another user (see
   * `planLaunch`): its figures then come from sampling only.
   */
  readonly measureUsage?: boolean;
  /** Variables beneath the spec's own `env_file` and `env` (`EngineOptions.childEnv`). */
  readonly childEnv?: Readonly<Record<string, string>>;
}

/**
 * Resolves `cwd` and `env_file` against `baseDir`, layers the environment (the
 * supervisor's own, then its `childEnv`, then `env_file`, then `env`, then `OVERSEER_*`, the run's mark
 * included) and picks the program: a string command runs through `/bin/sh -c`, an array is
 * executed directly. A spec with a `sandbox` or `runAs` is checked and shaped by
 * `confinedPlan`, which throws `SandboxRefusal` when it may not run. Then `limits.open_files`
 * (`withOpenFilesLimit`), the usage shim when `options.measureUsage` asks for it, and last
 * the entry into `tree`'s cgroup when it has one. Throws `LaunchError` for what cannot be
 * launched.
 *
 * A run as another user is not measured: that user may not be allowed into the folder the
 * shim was built in, and in cgroup mode such a run is moved into its cgroup only after the
 * spawn (see `RunTree.attach`), which the shim's fork of the program would overtake, leaving
 * the program outside.
 */
export function planLaunch(
  spec: ProcessSpec,
  baseDir: string,
  baseEnv: NodeJS.ProcessEnv,
  host: SandboxHost = currentHost(baseEnv),
  tree?: RunTreeRecord,
  options: LaunchOptions = {},
): LaunchPlan {
  let plan = programPlan(spec, baseDir, baseEnv, host, tree?.mark, options.childEnv);
  const openFiles = spec.limits?.openFiles;
  if (openFiles !== undefined) plan = withOpenFilesLimit(plan, openFiles);
  if (options.stdin !== undefined) plan = { ...plan, stdin: options.stdin };
  const shim = options.measureUsage && !runsAsAnotherUser(plan) ? cachedUsageShimPath() : undefined;
  // The shim enters the run's cgroup itself: one exec fewer than the shell's entry.
  if (shim !== undefined) return measuringUsage(lookedUp(plan), shim, tree?.cgroup ?? undefined);
  if (tree?.cgroup && !runsAsAnotherUser(plan)) plan = enteringCgroup(plan, tree.cgroup);
  return plan;
}

/**
 * A process started as another user cannot move itself into a cgroup the supervisor owns:
 * the supervisor moves it in just after the spawn instead (see `RunTree.attach`).
 */
export function runsAsAnotherUser(plan: LaunchPlan): boolean {
  return plan.uid !== undefined && plan.uid !== process.getuid?.();
}

/** The wrapping shell's script; its `$0` is the cgroup. */
const CGROUP_ENTRY = 'echo 0 > "$0/cgroup.procs" && exec "$@"';

/**
 * The plan that first moves itself into `cgroup` (writing 0 to `cgroup.procs` moves the
 * writer), then execs `plan` in its place: same pid, and inside before its first
 * instruction. Node cannot spawn straight into a cgroup (no `CLONE_INTO_CGROUP`).
 */
function enteringCgroup(plan: LaunchPlan, cgroup: string): LaunchPlan {
  lookedUp(plan);
  // dash (/bin/sh on Debian) exports PWD: unset, the program gets the environment it was
  // given (a bash as /bin/sh would still add SHLVL and _).
  const script = plan.env.PWD === undefined ? `unset PWD; ${CGROUP_ENTRY}` : CGROUP_ENTRY;
  return { ...plan, file: '/bin/sh', args: ['-c', script, cgroup, plan.file, ...plan.args] };
}

/**
 * `plan`, once its program was found as `execvp` will look for it. For a plan about to be
 * wrapped in a program that execs it (the cgroup's shell, the usage shim): a missing
 * program is still a spawn error, as without the wrapper, not the wrapper's exit 127.
 */
function lookedUp(plan: LaunchPlan): LaunchPlan {
  if (findExecutable(plan.file, plan.env.PATH ?? DEFAULT_PATH, plan.cwd) === undefined) {
    throw new LaunchError(`spawn ${plan.file} ENOENT`);
  }
  return plan;
}

/** Where `execvp` looks when the environment has no PATH. */
const DEFAULT_PATH = '/usr/local/bin:/usr/bin:/bin';

/** Environment, sandbox and bubblewrap: the program as it would run without limits. */
function programPlan(
  spec: ProcessSpec,
  baseDir: string,
  baseEnv: NodeJS.ProcessEnv,
  host: SandboxHost,
  mark: string | null | undefined,
  childEnv: Readonly<Record<string, string>> = {},
): LaunchPlan {
  const cwd = resolve(baseDir, spec.cwd ?? '.');
  if (!isDirectory(cwd)) throw new LaunchError(`cwd ${cwd} is not a folder`);
  // The supervisor's word beneath the process's own: a process may point elsewhere.
  const own = {
    ...childEnv,
    ...(spec.envFile ? readEnvFile(resolve(baseDir, spec.envFile)) : {}),
    ...spec.env,
  };
  const ids = {
    OVERSEER_PROCESS: spec.name,
    OVERSEER_INSTANCE: String(spec.instance),
    ...(mark != null && { [RUN_MARK_VARIABLE]: mark }),
  };
  if (spec.sandbox || spec.runAs) {
    const inherited = visibleEnv(baseEnv, spec.sandbox?.env);
    return confinedPlan(spec, { cwd, inherited, own, ids }, baseDir, host);
  }
  const env: NodeJS.ProcessEnv = { ...baseEnv, ...own, ...ids };
  if (typeof spec.command === 'string') {
    return { file: '/bin/sh', args: ['-c', spec.command], cwd, env };
  }
  const [file, ...args] = spec.command;
  return { file: file!, args, cwd, env };
}

function readEnvFile(path: string): Record<string, string> {
  try {
    return parseEnv(readFileSync(path, 'utf8')) as Record<string, string>;
  } catch (error) {
    throw new LaunchError(`env_file ${path} cannot be read: ${(error as Error).message}`);
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
