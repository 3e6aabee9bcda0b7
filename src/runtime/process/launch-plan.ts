/**
 * What to execute for one run, once every layer of confinement has been applied: the one
 * value the launch plan builder (`launch.ts`), its layers (the sandbox, rlimits) and the
 * child (`child.ts`) share, and why a plan cannot be made.
 */
export interface LaunchPlan {
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Run as this user and group (`user`/`group` of a spec); absent: the supervisor's own. */
  readonly uid?: number;
  readonly gid?: number;
  /** Written to the child's stdin, which is then closed; absent: stdin is /dev/null. */
  readonly stdin?: string | Buffer;
  /**
   * The program runs under the usage shim (`usage-shim.ts`), which reports what the run's
   * tree used on the child's fd 3: a pipe `ChildRun` reads (`ChildRun.usage()`).
   */
  readonly measureUsage?: boolean;
}

/** Why a spec cannot be launched; becomes the `spawn error:` reason. */
export class LaunchError extends Error {}
