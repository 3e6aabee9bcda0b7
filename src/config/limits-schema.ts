/**
 * `limits:` of a process entry: resource limits on its whole tree (docs/configuration.md), read into a
 * `LimitsSpec` with its defaults applied.
 */
import { z } from 'zod';
import { DEFAULTS } from '../core/defaults.js';
import type { LimitsSpec, WarnThreshold } from '../core/process/spec.js';
import { formatSize, parseSize } from '../core/units.js';
import { BOUNDS, count, duration, size } from './units-schema.js';

const CPU_PATTERN = /^(\d+(?:\.\d+)?)\s*%$/;

/** `80%` or `80`: percent of one core, above 0 (`150%` is one and a half cores). */
const cpuSchema = z
  .union([z.number(), z.string()], { error: 'expected a CPU share such as 80% or 150%' })
  // The written forms, for overseer.schema.json: a JSON Schema cannot read the transform.
  .meta({
    anyOf: [
      { type: 'number', exclusiveMinimum: 0 },
      { type: 'string', pattern: '^\\s*\\d+(\\.\\d+)?\\s*%\\s*$' },
    ],
    examples: ['80%', '150%'],
  })
  .transform((input, context) => {
    const match = typeof input === 'string' ? CPU_PATTERN.exec(input.trim()) : null;
    const percent = typeof input === 'number' ? input : match ? Number(match[1]) : Number.NaN;
    if (!Number.isFinite(percent) || percent <= 0) {
      context.addIssue({
        code: 'custom',
        message: `${JSON.stringify(input)} is not a CPU share above 0 (e.g. 80% or 150%)`,
      });
      return z.NEVER;
    }
    return percent;
  });

const WARN_PERCENT_PATTERN = /^(\d+(?:\.\d+)?)\s*%$/;
const WARN_PERCENT_FORM = { type: 'string', pattern: '^\\s*\\d+(\\.\\d+)?\\s*%\\s*$' };

/** A share of a limit written `80%`: above 0, below 100; `undefined` when not written so. */
function warnPercent(input: unknown): number | undefined {
  const match = typeof input === 'string' ? WARN_PERCENT_PATTERN.exec(input.trim()) : null;
  return match ? Number(match[1]) : undefined;
}

function percentIssue(input: unknown, context: z.RefinementCtx, percent: number): boolean {
  if (percent > 0 && percent < 100) return false;
  context.addIssue({
    code: 'custom',
    message: `${JSON.stringify(input)} is not a share of the limit above 0% and below 100%`,
  });
  return true;
}

/**
 * `memory_warn`: `80%` of `memory`, or a size with its unit (`200MB`). A bare number is
 * refused: is `80` bytes or percent? Neither reading is safe to guess.
 */
const memoryWarnSchema = z
  .string({ error: 'expected a share of memory such as 80%, or a size such as 200MB' })
  .meta({
    anyOf: [
      WARN_PERCENT_FORM,
      { type: 'string', pattern: '^\\s*\\d+(\\.\\d+)?\\s*([bB]|[kKmMgG][bB])\\s*$' },
    ],
  })
  .transform((input, context): WarnThreshold => {
    const percent = warnPercent(input);
    if (percent !== undefined) {
      return percentIssue(input, context, percent) ? z.NEVER : { percent };
    }
    const bytes = /[a-z]\s*$/i.test(input) ? parseSize(input) : undefined;
    if (bytes === undefined || bytes <= 0) {
      context.addIssue({
        code: 'custom',
        message: `${JSON.stringify(input)} is not a share of memory (80%) or a size with its unit (200MB)`,
      });
      return z.NEVER;
    }
    return { bytes };
  });

/** `cpu_warn`: `80%` of `cpu`, above 0% and below 100%. */
const cpuWarnSchema = z
  .string({ error: 'expected a share of the cpu limit such as 80%' })
  .meta({ ...WARN_PERCENT_FORM, examples: ['80%'] })
  .transform((input, context) => {
    const percent = warnPercent(input);
    if (percent === undefined) {
      context.addIssue({
        code: 'custom',
        message: `${JSON.stringify(input)} is not a share of the cpu limit (e.g. 80%)`,
      });
      return z.NEVER;
    }
    return percentIssue(input, context, percent) ? z.NEVER : percent;
  });

export const limitsSchema = z
  .strictObject({
    memory: size({ positive: true })
      .describe('Memory of the whole tree, a size above 0 (512KB, 256MB, 1GB, or bytes).')
      .optional(),
    memory_action: z
      .enum(['restart', 'stop', 'alert'], { error: 'expected one of restart, stop, alert' })
      .describe('What going over memory does: restart (default), stop or alert; needs memory.')
      .optional(),
    memory_warn: memoryWarnSchema
      .describe(
        'A warn alert before the memory limit acts: a share of memory below 100% (80%) or a size under it (200MB); needs memory.',
      )
      .optional(),
    cpu: cpuSchema
      .describe('Percent of one core, above 0: 80% or 80 (150% is 1.5 cores).')
      .optional(),
    cpu_action: z
      .enum(['alert', 'throttle', 'restart'], { error: 'expected one of alert, throttle, restart' })
      .describe('What staying over cpu for cpu_window does: alert (default), throttle or restart.')
      .optional(),
    cpu_warn: cpuWarnSchema
      .describe(
        'A warn alert before the cpu limit acts: a share of cpu below 100% (80%), held for cpu_window; needs cpu.',
      )
      .optional(),
    // Zero allowed: a CPU window of 0 judges every sample on its own.
    cpu_window: duration()
      .describe('Every sample in this window must be over cpu (default 10s; 0: one sample).')
      .optional(),
    max_runtime: duration({ positive: true })
      .describe('A run longer than this is stopped.')
      .optional(),
    open_files: count(1, BOUNDS.openFiles)
      .describe("RLIMIT_NOFILE of the child, soft and hard (default: the supervisor's).")
      .optional(),
    alert_cooldown: duration()
      .describe('Breaches that only report are announced at most once per this (default 1m).')
      .optional(),
  })
  .superRefine((limits, context) => {
    // An action without its limit is a config that does not do what its author thinks.
    const needs = [
      ['memory_action', 'memory'],
      ['memory_warn', 'memory'],
      ['cpu_warn', 'cpu'],
      ['cpu_action', 'cpu'],
      ['cpu_window', 'cpu'],
    ] as const;
    for (const [key, limit] of needs) {
      if (limits[key] !== undefined && limits[limit] === undefined) {
        context.addIssue({ code: 'custom', path: [key], message: `${key} needs ${limit}` });
      }
    }
    const warn = limits.memory_warn;
    if (warn && 'bytes' in warn && limits.memory !== undefined && warn.bytes >= limits.memory) {
      context.addIssue({
        code: 'custom',
        path: ['memory_warn'],
        message: `memory_warn ${formatSize(warn.bytes)} must be below memory ${formatSize(limits.memory)}`,
      });
    }
  });

/** `limits:` as written, after validation (sizes in bytes, durations in ms). */
export type ParsedLimits = z.output<typeof limitsSchema>;

/** The `LimitsSpec` of a validated `limits:` entry, defaults applied. */
export function limitsSpec(limits: ParsedLimits): LimitsSpec {
  return {
    memoryBytes: limits.memory,
    memoryAction: limits.memory_action ?? DEFAULTS.limits.memoryAction,
    ...(limits.memory_warn && { memoryWarn: limits.memory_warn }),
    cpuPercent: limits.cpu,
    cpuAction: limits.cpu_action ?? DEFAULTS.limits.cpuAction,
    ...(limits.cpu_warn !== undefined && { cpuWarnPercent: limits.cpu_warn }),
    cpuWindowMs: limits.cpu_window ?? DEFAULTS.limits.cpuWindowMs,
    maxRuntimeMs: limits.max_runtime,
    openFiles: limits.open_files,
    alertCooldownMs: limits.alert_cooldown ?? DEFAULTS.limits.alertCooldownMs,
  };
}
