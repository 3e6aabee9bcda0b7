/**
 * What a config asks of this machine, checked when it is loaded so that every problem is
 * reported at once, with the schema's, instead of one process at a time at spawn: a `cwd`
 * that is not a folder, an `env_file` that cannot be read, a `user` or `group` the account
 * databases do not know, a program outside `allowed_commands`.
 *
 * The same things are checked again before every spawn (runtime/sandbox/sandbox.ts), since a file,
 * a PATH entry or /etc/passwd may change in between; that check has the last word. This one
 * judges programs on the supervisor's own PATH: the child's PATH (its `env`, `env_file`) is
 * only known at spawn. The file-system lookups are kept here rather than shared with the
 * runtime, so config and runtime stay independent (both build on core only); what they
 * look at is decided by the same pure functions: the order of a PATH search
 * (core/sandbox/path-search.ts) and the account databases (core/sandbox/accounts.ts).
 */
import { accessSync, constants, readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { SpecIssue } from '../core/errors.js';
import { findAccountEntry, numericId } from '../core/sandbox/accounts.js';
import { isShellSyntax, parseSimpleCommand } from '../core/sandbox/command-line.js';
import { findExecutable, trustedSearchPath } from '../core/sandbox/path-search.js';
import type { SandboxPolicy } from '../core/sandbox/sandbox.js';

/** What the checks need to know of the machine. */
export interface Host {
  /** The supervisor's PATH: what a command name in `allowed_commands` stands for. */
  readonly path: string | undefined;
  /** The text of an account database (`/etc/passwd`, `/etc/group`), or undefined. */
  readonly readAccounts: (file: '/etc/passwd' | '/etc/group') => string | undefined;
}

/** This machine, with `env` as the supervisor's environment. */
export function currentHost(env: NodeJS.ProcessEnv): Host {
  return {
    path: env.PATH,
    readAccounts: (file) => {
      try {
        return readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}

/** The parts of a validated process entry looked at here. */
export interface HostEntry {
  readonly command: string | readonly string[];
  readonly cwd?: string | undefined;
  readonly env_file?: string | undefined;
  readonly env?: Readonly<Record<string, string>> | undefined;
  readonly user?: string | undefined;
  readonly group?: string | undefined;
}

/**
 * Every problem `entry` would meet on this machine; paths are relative to the entry.
 * `policy` is the process's sandbox, settings included; `baseDir` the config's folder.
 */
export function hostIssues(
  entry: HostEntry,
  policy: SandboxPolicy | undefined,
  baseDir: string,
  host: Host,
): SpecIssue[] {
  const cwd = resolve(baseDir, entry.cwd ?? '.');
  return [
    ...folderIssues(entry.cwd, cwd),
    ...envFileIssues(entry.env_file, baseDir),
    ...accountIssues(entry, host),
    // With no PATH to judge names by (an environment without one), the spawn judges alone.
    ...(policy && policy.allowedCommands.length > 0 && host.path !== undefined
      ? commandIssues(entry, policy, cwd, host)
      : []),
  ];
}

function folderIssues(written: string | undefined, cwd: string): SpecIssue[] {
  if (written === undefined) return [];
  const shown = shownPath(written);
  const stat = statOf(cwd);
  if (stat === undefined) return [{ path: 'cwd', message: `${shown} does not exist` }];
  if (!stat.isDirectory()) return [{ path: 'cwd', message: `${shown} is not a folder` }];
  return [];
}

function envFileIssues(written: string | undefined, baseDir: string): SpecIssue[] {
  if (written === undefined) return [];
  const file = resolve(baseDir, written);
  const shown = shownPath(written);
  const stat = statOf(file);
  if (stat === undefined) return [{ path: 'env_file', message: `${shown} does not exist` }];
  if (!stat.isFile()) return [{ path: 'env_file', message: `${shown} is not a file` }];
  try {
    accessSync(file, constants.R_OK);
  } catch {
    return [{ path: 'env_file', message: `${shown} cannot be read` }];
  }
  return [];
}

/** A path as written, saying what a relative one is relative to. */
function shownPath(written: string): string {
  return isAbsolute(written) ? written : `${written} (relative to the config's folder)`;
}

/** `group: backend` is usually meant as a set of processes: say that it is not one. */
const GROUPING_HINT = 'not a set of processes';

/**
 * A `user` or `group` name the account databases do not know (a numeric id is taken as it
 * is). Whether the supervisor may switch to it (it must be root) is left to the spawn: the
 * config may be checked by another user than the one who runs it.
 */
function accountIssues(entry: HostEntry, host: Host): SpecIssue[] {
  const issues: SpecIssue[] = [];
  if (entry.user !== undefined) {
    const passwd = host.readAccounts('/etc/passwd');
    const userKnown = passwd !== undefined && findAccountEntry(passwd, entry.user) !== undefined;
    if (!userKnown && numericId(entry.user) === undefined) {
      issues.push({ path: 'user', message: `unknown user ${entry.user} (not in /etc/passwd)` });
    } else if (!userKnown && entry.group === undefined) {
      issues.push({
        path: 'user',
        message: `user ${entry.user} is not in /etc/passwd, so it has no group: set group as well`,
      });
    }
  }
  if (entry.group !== undefined && numericId(entry.group) === undefined) {
    const groups = host.readAccounts('/etc/group');
    if (groups === undefined || findAccountEntry(groups, entry.group) === undefined) {
      issues.push({
        path: 'group',
        message: `unknown group ${entry.group} (not in /etc/group): group is the Unix group the process runs as, ${GROUPING_HINT}`,
      });
    }
  }
  return issues;
}

/**
 * The program of `entry` against every `allowed_commands` list, as the supervisor's PATH
 * resolves both. A program not found there is only reported when the process cannot bring
 * a PATH of its own (`env.PATH`, `env_file`): the spawn then looks on the child's PATH.
 */
function commandIssues(
  entry: HostEntry,
  policy: SandboxPolicy,
  cwd: string,
  host: Host,
): SpecIssue[] {
  const path = typeof entry.command === 'string' ? 'command' : 'command.0';
  const program = programOf(entry.command);
  if (program === undefined) return [];
  const trusted = trustedSearchPath(host.path);
  const found = findExecutable(program, trusted, cwd, isExecutableFile);
  if (found === undefined) {
    if (!program.includes('/') && (entry.env?.PATH !== undefined || entry.env_file !== undefined)) {
      return [];
    }
    return [
      {
        path,
        message: program.includes('/')
          ? `${program} is not an executable file`
          : `${program} is not on the supervisor's PATH (${trusted})`,
      },
    ];
  }
  const real = realPath(found) ?? found;
  for (const list of policy.allowedCommands) {
    if (list.some((allowed) => allowedFile(allowed, trusted) === real)) continue;
    const shown = found === real ? real : `${found} → ${real}`;
    const allowed = list.map((allowed) => describeAllowed(allowed, trusted)).join(', ');
    return [
      { path, message: `${program} (${shown}) is not allowed by allowed_commands: ${allowed}` },
    ];
  }
  return [];
}

/** The program a command starts; undefined for a string with shell syntax (refused already). */
function programOf(command: string | readonly string[]): string | undefined {
  if (typeof command !== 'string') return command[0];
  const parsed = parseSimpleCommand(command);
  return isShellSyntax(parsed) ? undefined : parsed.argv[0];
}

/** The real file an `allowed_commands` entry stands for. */
function allowedFile(entry: string, trusted: string): string | undefined {
  if (entry.startsWith('/')) return realPath(entry);
  const found = findExecutable(entry, trusted, '/', isExecutableFile);
  return found && realPath(found);
}

function describeAllowed(entry: string, trusted: string): string {
  const file = allowedFile(entry, trusted);
  if (file === undefined) return `${entry} (not found)`;
  return file === entry ? entry : `${entry} → ${file}`;
}

/** A regular file this user may execute. */
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

function statOf(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
