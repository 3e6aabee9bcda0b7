/**
 * What to execute for a spec: program and arguments, working folder, environment. Read at
 * each spawn, so an edited `env_file` applies from the next start on.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { visibleEnv } from '../core/sandbox.js';
import type { ProcessSpec } from '../core/spec.js';
import type { LaunchPlan } from './child.js';
import { confinedPlan, currentHost, type SandboxHost } from './sandbox.js';

/** Why a spec cannot be launched; becomes the `spawn error:` reason. */
export class LaunchError extends Error {}

/**
 * Resolves `cwd` and `env_file` against `baseDir`, layers the environment (the
 * supervisor's own, then `env_file`, then `env`, then `OVERSEER_*`) and picks the program:
 * a string command runs through `/bin/sh -c`, an array is executed directly. A spec with a
 * `sandbox` or `runAs` is checked and shaped by `confinedPlan`, which throws
 * `SandboxRefusal` when it may not run.
 */
export function planLaunch(
  spec: ProcessSpec,
  baseDir: string,
  baseEnv: NodeJS.ProcessEnv,
  host: SandboxHost = currentHost(baseEnv),
): LaunchPlan {
  const cwd = resolve(baseDir, spec.cwd ?? '.');
  if (!isDirectory(cwd)) throw new LaunchError(`cwd ${cwd} is not a folder`);
  const own = {
    ...(spec.envFile ? readEnvFile(resolve(baseDir, spec.envFile)) : {}),
    ...spec.env,
  };
  const ids = { OVERSEER_PROCESS: spec.name, OVERSEER_INSTANCE: String(spec.instance) };
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
