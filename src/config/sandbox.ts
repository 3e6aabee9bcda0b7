/**
 * `sandbox:` as written in overseer.yaml, under `settings` and under a process (the same
 * keys; a process may only narrow the settings), and from there to the `SandboxPolicy` each
 * spec carries. Also the sandbox problems knowable before anything runs: a widening attempt,
 * a string command that is not a simple command line, a `cwd` written inside a restricted path.
 */
import { relative, resolve } from 'node:path';
import { z } from 'zod';
import type { SpecIssue } from '../core/errors.js';
import { isShellSyntax, parseSimpleCommand } from '../core/sandbox/command-line.js';
import {
  COMMAND_ENTRY_MESSAGE,
  isCommandEntry,
  isPassEntry,
  isWithin,
  narrowSandbox,
  OPEN_SANDBOX,
  PASS_ENTRY_MESSAGE,
  type SandboxPolicy,
  type SandboxRules,
} from '../core/sandbox/sandbox.js';

/** `sandbox:` of `settings` and of a process. */
export const sandboxSchema = z.strictObject({
  allowed_commands: z
    .array(z.string().refine(isCommandEntry, { message: COMMAND_ENTRY_MESSAGE }))
    .min(1, 'expected at least one command (leave the key out to allow any)')
    .describe('The programs that may be started: names (node) or absolute paths (default: any).')
    .optional(),
  restricted_paths: z
    .array(z.string().min(1, 'expected a path'))
    .describe("Folders a process's cwd may not be in or below.")
    .optional(),
  env: z
    .strictObject({
      inherit: z
        .boolean()
        .describe(
          "false: the child gets only the supervisor's variables named in pass (default true).",
        )
        .optional(),
      pass: z
        .array(z.string().refine(isPassEntry, { message: PASS_ENTRY_MESSAGE }))
        .describe(
          'Variable names, or prefixes ending in * (LC_*), passed on when inherit is false.',
        )
        .optional(),
    })
    .describe("Which of the supervisor's environment variables a child gets.")
    .optional(),
  isolate: z
    .boolean()
    .describe('Run under bubblewrap: read-only files, private /tmp, no network (default false).')
    .optional(),
  network: z
    .boolean()
    .describe('Whether an isolated child keeps the network (default false once isolate is on).')
    .optional(),
});

/** `user:` and `group:` of a process: a name, or a numeric id. */
export const accountSchema = z.union([
  z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*\$?$/, 'expected a user or group name, or an id'),
  z.number().int('expected a whole number ≥ 0').min(0, 'expected a number ≥ 0').transform(String),
]);

/** A `sandbox:` block as validated. */
export type ParsedSandbox = z.output<typeof sandboxSchema>;

/** The written rules in camelCase, with relative restricted paths resolved against `baseDir`. */
export function sandboxRules(parsed: ParsedSandbox, baseDir?: string): SandboxRules {
  return {
    allowedCommands: parsed.allowed_commands,
    restrictedPaths: parsed.restricted_paths?.map((path) =>
      baseDir === undefined ? path : resolve(baseDir, path),
    ),
    env: parsed.env,
    isolate: parsed.isolate,
    network: parsed.network,
  };
}

/** The policy of `settings.sandbox` (or the supervisor's `sandbox` option). */
export function settingsSandbox(rules: SandboxRules | undefined): SandboxPolicy | undefined {
  return rules && narrowSandbox(OPEN_SANDBOX, rules).policy;
}

/** What a process's sandbox comes to, and why it may not be used. */
export interface ProcessSandbox {
  /** Absent when neither the settings nor the process set a sandbox. */
  readonly policy: SandboxPolicy | undefined;
  /** Paths relative to the process entry (`sandbox.allowed_commands.1`, `command`). */
  readonly issues: readonly SpecIssue[];
}

/** The parts of a process entry the sandbox looks at. */
export interface SandboxedEntry {
  readonly command: string | readonly string[];
  readonly cwd?: string | undefined;
  readonly sandbox?: ParsedSandbox | undefined;
}

/**
 * Narrows `settings` by the entry's own `sandbox` and checks what can be checked before a
 * spawn: with `allowed_commands`, a string command must be a simple command line; a `cwd`
 * written inside a restricted path is refused (symlinks are only followed at spawn).
 * Relative paths are resolved against `baseDir` when it is known.
 */
export function processSandbox(
  entry: SandboxedEntry,
  settings: SandboxPolicy | undefined,
  baseDir?: string,
): ProcessSandbox {
  if (!entry.sandbox && !settings) return { policy: undefined, issues: [] };
  const { policy, issues: narrowing } = entry.sandbox
    ? narrowSandbox(settings ?? OPEN_SANDBOX, sandboxRules(entry.sandbox, baseDir))
    : { policy: settings!, issues: [] };
  const issues = narrowing.map((issue) => ({ ...issue, path: `sandbox.${issue.path}` }));
  if (policy.allowedCommands.length > 0 && typeof entry.command === 'string') {
    const parsed = parseSimpleCommand(entry.command);
    if (isShellSyntax(parsed)) {
      issues.push({
        path: 'command',
        message: `shell syntax refused by sandbox.allowed_commands: ${parsed.problem} (use an array command, or a simple command line)`,
      });
    }
  }
  if (baseDir !== undefined) {
    const cwd = resolve(baseDir, entry.cwd ?? '.');
    const restricted = policy.restrictedPaths
      .map((path) => resolve(baseDir, path))
      .find((path) => isWithin(cwd, path));
    if (restricted !== undefined) {
      // Paths inside the config's folder are shown relative to it, as they are usually written.
      const shown = isWithin(restricted, baseDir)
        ? relative(baseDir, restricted) || '.'
        : restricted;
      issues.push(
        entry.cwd === undefined
          ? {
              path: 'sandbox.restricted_paths',
              message: `the default cwd (the config's folder) is inside restricted path ${shown}`,
            }
          : { path: 'cwd', message: `${entry.cwd} is inside restricted path ${shown}` },
      );
    }
  }
  return { policy, issues };
}
