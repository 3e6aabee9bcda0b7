/**
 * The sandbox checks that need the file system, run before each spawn (a PATH entry, a
 * symlink or /etc/passwd can change between two spawns): the real executable against
 * `allowed_commands`, the real `cwd` against `restricted_paths`, the account of `user` and
 * `group`, and bubblewrap for `isolate`. A refusal throws `SandboxRefusal`; the process
 * becomes `failed` with `sandbox: <what> (<details>)` and nothing is spawned.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync, realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ProcessSpec, RunAs } from '../../core/process/spec.js';
import { findAccountEntry, numericId } from '../../core/sandbox/accounts.js';
import { isShellSyntax, parseSimpleCommand } from '../../core/sandbox/command-line.js';
import { executableCandidates, trustedSearchPath } from '../../core/sandbox/path-search.js';
import { isLoaderVariable, isWithin, type SandboxPolicy } from '../../core/sandbox/sandbox.js';
import type { LaunchPlan } from '../process/launch-plan.js';

/** Why a spec may not run; its message becomes the reason after `sandbox: `. */
export class SandboxRefusal extends Error {}

/** What the checks need to know of the supervisor itself. */
export interface SandboxHost {
  /**
   * The supervisor's own PATH: the one trusted to say what a command name in
   * `allowed_commands` (`node`) means, and where `bwrap` is. Never the child's PATH.
   */
  readonly path: string | undefined;
  /** The supervisor's user and group ids: another `user` or `group` needs uid 0. */
  readonly uid: number;
  readonly gid: number;
}

/** The host as the running process sees it, with `env` as its environment. */
export function currentHost(env: NodeJS.ProcessEnv): SandboxHost {
  return { path: env.PATH, uid: process.getuid?.() ?? -1, gid: process.getgid?.() ?? -1 };
}

/** Where libuv (and execvp) look for a program when the child's environment has no PATH. */
const DEFAULT_CHILD_PATH = '/usr/bin:/bin';

/** The pieces of a launch, before the sandbox shapes them into a plan. */
export interface LaunchParts {
  /** Absolute, an existing folder. */
  readonly cwd: string;
  /** The supervisor's variables the sandbox lets through. */
  readonly inherited: NodeJS.ProcessEnv;
  /** The process's own variables: `env_file`, then `env`. */
  readonly own: Readonly<Record<string, string>>;
  /** `OVERSEER_*`, set last. */
  readonly ids: Readonly<Record<string, string>>;
}

/**
 * The plan for a spec under its sandbox and account, or a `SandboxRefusal`. With
 * `allowed_commands`, a string command must be a simple command line and is executed
 * directly (no shell) once its program has been checked, so what runs is what was checked.
 */
export function confinedPlan(
  spec: ProcessSpec,
  parts: LaunchParts,
  baseDir: string,
  host: SandboxHost,
): LaunchPlan {
  const policy = spec.sandbox;
  if (policy) checkCwd(parts.cwd, policy, baseDir);
  const account = spec.runAs && accountOf(spec.runAs, host);
  const env: NodeJS.ProcessEnv = {
    ...parts.inherited,
    // What `su` would set; only when the child inherits, or it would leak in uninvited.
    ...(account && (policy?.env.inherit ?? true) ? account.env : {}),
    ...parts.own,
  };
  let file: string;
  let args: readonly string[];
  if (policy && policy.allowedCommands.length > 0) {
    const argv = checkedArgv(spec.command, parts, env);
    const executable = checkExecutable(argv[0]!, policy, parts.cwd, env, host);
    [file, args] = [executable, argv.slice(1)];
  } else if (typeof spec.command === 'string') {
    [file, args] = ['/bin/sh', ['-c', spec.command]];
  } else {
    [file, args] = [spec.command[0]!, spec.command.slice(1)];
  }
  Object.assign(env, parts.ids);
  if (policy?.isolate) {
    const bwrap = usableBwrap(host);
    args = [...isolationArgs(parts.cwd, policy), '--', file, ...args];
    file = bwrap;
  }
  return { file, args, cwd: parts.cwd, env, ...account?.ids };
}

/** The program and arguments, with a string command's `NAME=value` prefixes moved into `env`. */
function checkedArgv(
  command: ProcessSpec['command'],
  parts: LaunchParts,
  env: NodeJS.ProcessEnv,
): readonly string[] {
  let argv: readonly string[];
  let own: Readonly<Record<string, string>> = parts.own;
  if (typeof command === 'string') {
    const parsed = parseSimpleCommand(command);
    if (isShellSyntax(parsed))
      throw new SandboxRefusal(`shell syntax in command (${parsed.problem})`);
    Object.assign(env, parsed.assignments);
    own = { ...own, ...parsed.assignments };
    argv = parsed.argv;
  } else {
    argv = command;
  }
  const loader = Object.keys(own).find(isLoaderVariable);
  if (loader !== undefined) {
    throw new SandboxRefusal(
      `environment variable not allowed (${loader} would let an allowed command load any code)`,
    );
  }
  return argv;
}

/**
 * Resolves `name` as the OS would for the child (its PATH, from its cwd), follows symlinks,
 * and checks the real file against every `allowed_commands` list. Returns the path to exec:
 * the one found, so a PATH that changes after the check changes nothing.
 */
function checkExecutable(
  name: string,
  policy: SandboxPolicy,
  cwd: string,
  env: NodeJS.ProcessEnv,
  host: SandboxHost,
): string {
  const childPath = env.PATH ?? DEFAULT_CHILD_PATH;
  const found = findExecutable(name, childPath, cwd);
  if (found === undefined) {
    throw new SandboxRefusal(
      name.includes('/')
        ? `command not found (${name} is not an executable file)`
        : `command not found (${name} is not on PATH ${childPath})`,
    );
  }
  const real = realPath(found)!;
  for (const list of policy.allowedCommands) {
    if (list.some((entry) => allowedFile(entry, host) === real)) continue;
    const shown = found === real ? real : `${found} → ${real}`;
    throw new SandboxRefusal(
      `command not allowed (${name} is ${shown}; allowed: ${list.map((entry) => describeEntry(entry, host)).join(', ')})`,
    );
  }
  return found;
}

/**
 * The real file an `allowed_commands` entry stands for: an absolute path with its symlinks
 * followed; a name as the supervisor's own PATH resolves it (absolute entries only).
 */
function allowedFile(entry: string, host: SandboxHost): string | undefined {
  if (entry.startsWith('/')) return realPath(entry);
  const found = findExecutable(entry, trustedSearchPath(host.path), '/');
  return found && realPath(found);
}

function describeEntry(entry: string, host: SandboxHost): string {
  const file = allowedFile(entry, host);
  if (file === undefined) return `${entry} (not found)`;
  return file === entry ? entry : `${entry} → ${file}`;
}

/**
 * Where `execvp` would find `name`: a path with a slash is taken from `cwd`; a bare name is
 * looked up in each PATH entry in turn (an empty entry meaning `cwd`). Only executable
 * regular files count.
 */
export function findExecutable(name: string, path: string, cwd: string): string | undefined {
  return executableCandidates(name, path, resolve(cwd)).find(isExecutableFile);
}

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function realPath(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/** Refuses a cwd inside a restricted path, comparing both as written and with symlinks followed. */
function checkCwd(cwd: string, policy: SandboxPolicy, baseDir: string): void {
  if (policy.restrictedPaths.length === 0) return;
  const realCwd = realPath(cwd) ?? cwd;
  for (const entry of policy.restrictedPaths) {
    const restricted = resolve(baseDir, entry);
    const realRestricted = realPath(restricted) ?? restricted;
    const inside = [restricted, realRestricted].some(
      (parent) => isWithin(cwd, parent) || isWithin(realCwd, parent),
    );
    if (!inside) continue;
    const shown = realCwd === cwd ? cwd : `${cwd} → ${realCwd}`;
    throw new SandboxRefusal(`cwd is inside a restricted path (${shown} is inside ${entry})`);
  }
}

/** The ids a child runs as, and what `su` would tell it about its account. */
interface Account {
  readonly ids: { readonly uid?: number; readonly gid?: number };
  readonly env: Readonly<Record<string, string>>;
}

/**
 * Resolves `user` and `group` (names or numeric ids) through /etc/passwd and /etc/group.
 * Running as anyone else needs root; asking for the ids the supervisor already has does not.
 */
function accountOf(runAs: RunAs, host: SandboxHost): Account {
  let uid: number | undefined;
  let gid: number | undefined;
  let env: Record<string, string> = {};
  if (runAs.user !== undefined) {
    const entry = lookUp('/etc/passwd', runAs.user);
    uid = entry ? Number(entry[2]) : numericId(runAs.user);
    if (uid === undefined) throw new SandboxRefusal(`unknown user (${runAs.user})`);
    gid = entry ? Number(entry[3]) : undefined;
    if (entry) env = { USER: entry[0]!, LOGNAME: entry[0]!, HOME: entry[5]! };
  }
  if (runAs.group !== undefined) {
    const entry = lookUp('/etc/group', runAs.group);
    gid = entry ? Number(entry[2]) : numericId(runAs.group);
    if (gid === undefined) throw new SandboxRefusal(`unknown group (${runAs.group})`);
  }
  if (uid !== undefined && gid === undefined) {
    // Without a group the child would keep the supervisor's (root's) group.
    throw new SandboxRefusal(
      `user has no group (${runAs.user} is not in /etc/passwd: set group as well)`,
    );
  }
  const otherUser = uid !== undefined && uid !== host.uid;
  const otherGroup = gid !== undefined && gid !== host.gid;
  if ((otherUser || otherGroup) && host.uid !== 0) {
    const what = otherUser ? `user ${runAs.user}` : `group ${runAs.group}`;
    throw new SandboxRefusal(
      `${otherUser ? 'user' : 'group'} requires running as root (${what}; overseer runs as uid ${host.uid})`,
    );
  }
  // The same ids as the supervisor's: nothing to change, and no privilege needed.
  if (!otherUser && !otherGroup) return { ids: {}, env };
  return { ids: { uid: uid ?? host.uid, gid: gid ?? host.gid }, env };
}

/** The fields of the line of `file` naming `nameOrId` (by name, else by numeric id). */
function lookUp(file: string, nameOrId: string): string[] | undefined {
  try {
    return findAccountEntry(readFileSync(file, 'utf8'), nameOrId);
  } catch {
    return undefined;
  }
}

/** Bubblewrap on the supervisor's PATH, once it has been seen to create a sandbox here. */
function usableBwrap(host: SandboxHost): string {
  const bwrap = findExecutable('bwrap', host.path ?? DEFAULT_CHILD_PATH, '/');
  if (bwrap === undefined) throw new SandboxRefusal('isolate requires bubblewrap (bwrap) on PATH');
  const problem = bwrapProblem(bwrap);
  if (problem !== undefined)
    throw new SandboxRefusal(`isolate failed (${bwrap} cannot create a sandbox here: ${problem})`);
  return bwrap;
}

const bwrapVerdicts = new Map<string, string | undefined>();

/**
 * Why `bwrap` cannot sandbox anything here (no user namespaces, say), or undefined when it
 * can. Tried once per bwrap file and remembered: a blocking run of a few milliseconds.
 */
export function bwrapProblem(bwrap: string): string | undefined {
  if (bwrapVerdicts.has(bwrap)) return bwrapVerdicts.get(bwrap);
  const trial = spawnSync(
    bwrap,
    [...isolationArgs('/', { network: false }), '--', '/bin/sh', '-c', ':'],
    { encoding: 'utf8', timeout: 5_000, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const problem =
    trial.error?.message ??
    (trial.status === 0
      ? undefined
      : (trial.stderr.trim().split('\n')[0] ?? `exit ${trial.status ?? trial.signal}`));
  bwrapVerdicts.set(bwrap, problem);
  return problem;
}

/**
 * Bubblewrap's arguments: the whole file system read-only, fresh /dev, /proc and a private
 * /tmp, the working folder kept visible (read-only) when it lies under /tmp, no network
 * unless allowed, no capabilities (even for root), and the child ended with the supervisor.
 */
function isolationArgs(cwd: string, policy: Pick<SandboxPolicy, 'network'>): string[] {
  return [
    '--ro-bind',
    '/',
    '/',
    '--dev',
    '/dev',
    '--proc',
    '/proc',
    '--tmpfs',
    '/tmp',
    ...(isWithin(cwd, '/tmp') ? ['--ro-bind', cwd, cwd] : []),
    '--unshare-ipc',
    ...(policy.network ? [] : ['--unshare-net']),
    // Run by root, bwrap leaves the child every capability: it could remount / read-write.
    '--cap-drop',
    'ALL',
    '--die-with-parent',
    '--chdir',
    cwd,
  ];
}
