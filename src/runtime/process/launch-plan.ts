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
}

/** Why a spec cannot be launched; becomes the `spawn error:` reason. */
export class LaunchError extends Error {}
