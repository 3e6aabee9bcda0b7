/**
 * The library's `new Supervisor(options)` is user input like overseer.yaml, and is checked
 * the same way, here, before anything runs: every issue with its path (`logRotation.maxSize`,
 * `sandbox.allowedCommands.0`), thrown together as one `INVALID_SPEC`.
 */
import { z } from 'zod';
import { OverseerError, type SpecIssue } from '../core/errors.js';
import type { LogRotation } from '../core/process/spec.js';
import { MIN_LOG_FILE_SIZE } from '../core/process/spec.js';
import { narrowSandbox, OPEN_SANDBOX, type SandboxRules } from '../core/sandbox/sandbox.js';

/** The options of `new Supervisor()` that can be wrong; the others pass as given. */
export interface CheckedSupervisorOptions {
  readonly maxProcesses?: number;
  readonly logRotation?: LogRotation;
  readonly sampleInterval?: number;
  readonly sandbox?: SandboxRules;
  readonly tasks?: { readonly maxQueued?: number; readonly history?: number };
}

/**
 * A number that passes `valid`, else `message` whatever it was (a string, NaN, a float).
 * Not `z.number()`, which refuses `Infinity`: no limit on `maxProcesses` is spelled so.
 */
function numberWhere(valid: (value: number) => boolean, message: string) {
  return z.custom<number>((value) => typeof value === 'number' && valid(value), { message });
}

const BYTES = `expected bytes ≥ ${MIN_LOG_FILE_SIZE}`;

/** The keys of `SandboxRules`, in camelCase as the library takes them. */
const SANDBOX_RULES: readonly string[] = [
  'allowedCommands',
  'restrictedPaths',
  'env',
  'isolate',
  'network',
];

/** The checked options, in camelCase as the library takes them. */
export const supervisorOptionsSchema = z.looseObject({
  // No limit is `Infinity`, the default: every number from 1 up.
  maxProcesses: numberWhere((value) => value >= 1, 'expected a number ≥ 1').optional(),
  logRotation: z
    .looseObject({
      maxSize: numberWhere((value) => Number.isInteger(value) && value >= MIN_LOG_FILE_SIZE, BYTES),
      maxFiles: numberWhere(
        (value) => Number.isInteger(value) && value >= 1,
        'expected a whole number ≥ 1',
      ),
    })
    .optional(),
  sampleInterval: numberWhere(
    (value) => Number.isFinite(value) && value >= 0,
    'expected milliseconds ≥ 0',
  ).optional(),
  tasks: z
    .strictObject({
      maxQueued: numberWhere(
        (value) => Number.isInteger(value) && value >= 1,
        'expected a whole number ≥ 1',
      ).optional(),
      history: numberWhere(
        (value) => Number.isInteger(value) && value >= 0,
        'expected a whole number ≥ 0',
      ).optional(),
    })
    .optional(),
  // The rules are judged as `settings.sandbox` is: as a narrowing of an open sandbox.
  sandbox: z
    .custom<SandboxRules>((value) => typeof value === 'object' && value !== null, {
      message: 'expected sandbox rules',
    })
    .superRefine((rules, context) => {
      // A misspelt rule (`allowed_commands`, the config file's spelling) would leave the
      // sandbox open without a word: every key must be one of the rules.
      for (const key of Object.keys(rules)) {
        if (!SANDBOX_RULES.includes(key)) {
          context.addIssue({
            code: 'custom',
            path: [key],
            message: `unknown sandbox rule: expected one of ${SANDBOX_RULES.join(', ')}`,
          });
        }
      }
      for (const issue of narrowSandbox(OPEN_SANDBOX, rules).issues) {
        context.addIssue({ code: 'custom', path: [issue.path], message: issue.message });
      }
    })
    .optional(),
});

/**
 * `options` as given when they are sound; else throws `INVALID_SPEC` listing every issue as
 * `path: message`, joined by `; `.
 */
export function checkSupervisorOptions<T extends CheckedSupervisorOptions>(options: T): T {
  const parsed = supervisorOptionsSchema.safeParse(options);
  if (parsed.success) return options;
  const issues: SpecIssue[] = parsed.error.issues.map((issue) => ({
    path: issue.path.join('.'),
    message: issue.message,
  }));
  const message = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  throw new OverseerError('INVALID_SPEC', message, issues);
}
