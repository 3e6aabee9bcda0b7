/**
 * The sandbox as data (docs/configuration.md, `settings.sandbox` and a process's `sandbox:`), and its
 * pure parts: narrowing the settings' policy by a process's own without ever widening it,
 * the environment a child may see, whether a path lies inside another. The simple command
 * lines a checked string command may be are read in command-line.ts; what needs the file
 * system (PATH lookup, symlinks, bubblewrap) is in runtime/sandbox/sandbox.ts.
 */
import type { SpecIssue } from '../errors.js';

/** What a process may do, settings and the process's own rules merged. */
export interface SandboxPolicy {
  /**
   * Lists of command names (`node`) or absolute paths (`/usr/bin/node`); an executable must
   * be allowed by every list (the settings' first, then the process's own). No list: any
   * executable may run.
   */
  readonly allowedCommands: readonly (readonly string[])[];
  /** Paths a child's `cwd` may not be inside (relative ones against the config's folder). */
  readonly restrictedPaths: readonly string[];
  readonly env: SandboxEnv;
  /** Run the child under bubblewrap: read-only system, private /tmp, no network unless `network`. */
  readonly isolate: boolean;
  /** Whether an isolated child keeps the network. */
  readonly network: boolean;
}

export interface SandboxEnv {
  /** False: the child sees only the supervisor's variables named in `pass`, plus its own. */
  readonly inherit: boolean;
  /** Names (`PATH`) or prefixes (`LC_*`) passed on when `inherit` is false. */
  readonly pass: readonly string[];
}

/** The rules as written (settings or a process), every key optional, in camelCase. */
export interface SandboxRules {
  readonly allowedCommands?: readonly string[];
  readonly restrictedPaths?: readonly string[];
  readonly env?: { readonly inherit?: boolean; readonly pass?: readonly string[] };
  readonly isolate?: boolean;
  readonly network?: boolean;
}

/** No sandbox: any command, any cwd, the whole environment, no isolation. */
export const OPEN_SANDBOX: SandboxPolicy = {
  allowedCommands: [],
  restrictedPaths: [],
  env: { inherit: true, pass: [] },
  isolate: false,
  network: true,
};

/** A command name without a folder (`node`) or an absolute path (`/usr/bin/node`). */
export function isCommandEntry(entry: string): boolean {
  return entry.startsWith('/') ? entry.length > 1 : /^[^/\s]+$/.test(entry);
}

/** What a bad `allowed_commands` entry is told. */
export const COMMAND_ENTRY_MESSAGE = 'expected a command name (node) or an absolute path';

/** A variable name (`PATH`) or a prefix ending in `*` (`LC_*`). */
export function isPassEntry(entry: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*\*?$/.test(entry) || entry === '*';
}

/** What a bad `env.pass` entry is told. */
export const PASS_ENTRY_MESSAGE = 'expected a variable name (PATH) or a prefix ending in * (LC_*)';

/** The policy and, when the rules tried to widen `base`, one issue per attempt. */
export interface Narrowed {
  readonly policy: SandboxPolicy;
  /** Paths relative to the `sandbox` block (`allowed_commands.1`, `env.inherit`). */
  readonly issues: readonly SpecIssue[];
}

/**
 * Narrows `base` (the settings' policy, or `OPEN_SANDBOX`) by a process's `rules`. A process
 * may list fewer commands, restrict more paths, pass fewer variables, inherit less, isolate
 * and drop the network; every attempt to do the opposite is an issue, named by its path.
 * `restricted_paths` only ever add up, so no path can be un-restricted.
 */
export function narrowSandbox(base: SandboxPolicy, rules: SandboxRules): Narrowed {
  const issues: SpecIssue[] = [];
  const allowedCommands = narrowCommands(base.allowedCommands, rules.allowedCommands, issues);
  const env = narrowEnv(base.env, rules.env, issues);
  if (rules.isolate === false && base.isolate) {
    issues.push({
      path: 'isolate',
      message: 'cannot turn isolation off: settings.sandbox.isolate is true',
    });
  }
  if (rules.network === true && !base.network) {
    issues.push({
      path: 'network',
      message: 'cannot allow the network: settings.sandbox keeps isolated processes off it',
    });
  }
  const isolate = base.isolate || rules.isolate === true;
  // A process that turns isolation on itself gets isolation's default: no network.
  const network =
    (rules.network ?? (rules.isolate === true && !base.isolate ? false : base.network)) &&
    base.network;
  const restrictedPaths = [...new Set([...base.restrictedPaths, ...(rules.restrictedPaths ?? [])])];
  return { policy: { allowedCommands, restrictedPaths, env, isolate, network }, issues };
}

function narrowCommands(
  base: readonly (readonly string[])[],
  own: readonly string[] | undefined,
  issues: SpecIssue[],
): readonly (readonly string[])[] {
  if (own === undefined) return base;
  own.forEach((entry, index) => {
    const path = `allowed_commands.${index}`;
    if (!isCommandEntry(entry)) {
      issues.push({ path, message: COMMAND_ENTRY_MESSAGE });
      return;
    }
    // The real check is at spawn, against every list. Here: a name no list of the settings
    // could ever match is a widening attempt, and surely a mistake.
    const unmatched = base.find((list) => !list.some((allowed) => sameName(allowed, entry)));
    if (unmatched) {
      issues.push({
        path,
        message: `${JSON.stringify(entry)} is not allowed by settings.sandbox.allowed_commands (${unmatched.join(', ')}): a process may only narrow them`,
      });
    }
  });
  const last = base.at(-1);
  if (last && last.length === own.length && last.every((entry, i) => entry === own[i])) return base;
  return [...base, own];
}

function narrowEnv(base: SandboxEnv, own: SandboxRules['env'], issues: SpecIssue[]): SandboxEnv {
  if (own?.inherit === true && !base.inherit) {
    issues.push({
      path: 'env.inherit',
      message: 'cannot inherit the environment: settings.sandbox.env.inherit is false',
    });
  }
  own?.pass?.forEach((entry, index) => {
    const path = `env.pass.${index}`;
    if (!isPassEntry(entry)) issues.push({ path, message: PASS_ENTRY_MESSAGE });
    else if (!base.inherit && !base.pass.some((allowed) => covers(allowed, entry))) {
      issues.push({
        path,
        message: `${JSON.stringify(entry)} is not passed by settings.sandbox.env.pass: a process may only narrow it`,
      });
    }
  });
  return { inherit: base.inherit && own?.inherit !== false, pass: own?.pass ?? base.pass };
}

/** True when two entries name the same command file name (`node`, `/usr/bin/node`). */
function sameName(a: string, b: string): boolean {
  return a.slice(a.lastIndexOf('/') + 1) === b.slice(b.lastIndexOf('/') + 1);
}

/** True when `pattern` (a name or `PREFIX*`) passes every variable `entry` would. */
function covers(pattern: string, entry: string): boolean {
  if (!pattern.endsWith('*')) return pattern === entry;
  return entry.startsWith(pattern.slice(0, -1));
}

/** True when the variable `name` is passed by one of `pass` (names or `PREFIX*`). */
export function isPassed(name: string, pass: readonly string[]): boolean {
  return pass.some((pattern) => covers(pattern, name));
}

/** The part of the supervisor's environment a child starts from under `env`. */
export function visibleEnv(
  base: Readonly<Record<string, string | undefined>>,
  env: SandboxEnv | undefined,
): Record<string, string | undefined> {
  if (env === undefined || env.inherit) return { ...base };
  const visible: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value !== undefined && isPassed(name, env.pass)) visible[name] = value;
  }
  return visible;
}

/**
 * True when the absolute, normalized `path` is `parent` or lies below it
 * (`/etc/ssl` in `/etc`; `/etcetera` is not).
 */
export function isWithin(path: string, parent: string): boolean {
  if (parent === '/') return path.startsWith('/');
  const trimmed = parent.endsWith('/') ? parent.slice(0, -1) : parent;
  return path === trimmed || path.startsWith(`${trimmed}/`);
}

/**
 * Variables a process may not set itself when its commands are checked: they make the
 * dynamic loader run any code inside an allowed executable.
 */
export function isLoaderVariable(name: string): boolean {
  return name.startsWith('LD_');
}
