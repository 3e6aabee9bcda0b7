/**
 * What `Supervisor.run()`, `POST /tasks` and `overseer run` take: a process definition
 * without the keys that only make sense for something kept alive (instances, probes, a
 * restart policy, a schedule…), plus what a one-off run needs: a timeout, stdin, how much
 * output to keep, and its own retry policy. Validated once here, into a `TaskSpec`.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { DEFAULTS } from '../core/defaults.js';
import { OverseerError, type SpecIssue } from '../core/errors.js';
import type { SandboxPolicy } from '../core/sandbox/sandbox.js';
import { type TaskSpec, taskRunName } from '../core/tasks/task.js';
import { issuesFromZod, PARSE_OPTIONS, UNKNOWN_KEY } from './messages.js';
import { expandInstances } from './normalize.js';
import {
  type ParsedProcessDefinition,
  processEntrySchema,
  processNameSchema,
  signalSchema,
} from './process-schema.js';
import { backoffFactorSchema, exitCodeSchema } from './restart-schema.js';
import { processSandbox } from './sandbox.js';
import { count, duration } from './units-schema.js';

/** Keys of a process that a task does not take, and why. */
const SERVICE_ONLY_KEYS: Readonly<Record<string, string>> = {
  instances: 'a task runs once: submit it again for another run',
  kind: 'a task always runs to its end',
  restart: 'a task is not restarted: give it `retry` instead',
  readiness: 'a task has no probes: it runs to its end',
  liveness: 'a task has no probes: it runs to its end',
  depends_on: 'a task does not wait for processes',
  schedule: 'a task runs when submitted: use a process with a schedule to run on one',
  watch: 'a task does not watch files',
  start_timeout: 'a task has no start phase: use `timeout`',
  namespace: 'a task has no namespace: use `labels`',
  description: 'a task has no description: use `name` and `labels`',
  logs: 'task logs are rotated with the supervisor’s settings',
};

/** Longest stdin a task may be given (16 MiB): more belongs in a file. */
const MAX_INPUT_BYTES = 16 * 2 ** 20;

const retrySchema = z
  .strictObject({
    /** Tries in all, the first included. */
    attempts: count(1, 100).optional(),
    delay: duration().optional(),
    factor: backoffFactorSchema.optional(),
    max_delay: duration().optional(),
    /** Exit codes worth another try; default: every failing one. */
    exit_codes: z.array(exitCodeSchema).min(1, 'expected at least one exit code').optional(),
    /** Signals worth another try; default: every one. */
    signals: z.array(signalSchema).min(1, 'expected at least one signal').optional(),
    /** Whether a try that timed out is worth another; default: false. */
    on_timeout: z.boolean().optional(),
  })
  .refine(
    (retry) =>
      retry.delay === undefined || retry.max_delay === undefined || retry.max_delay >= retry.delay,
    { message: 'max_delay must be at least delay', path: ['max_delay'] },
  );

const { command, cwd, env, env_file, labels, priority, stop, limits, sandbox, user, group } =
  processEntrySchema.shape;

export const taskDefinitionSchema = z.strictObject({
  command,
  cwd,
  env,
  env_file,
  labels,
  priority,
  stop,
  limits,
  sandbox,
  user,
  group,
  /** Shown in lists and results; not unique. */
  name: processNameSchema.optional(),
  /** A try still running this long after it started is stopped: `timed_out`. */
  timeout: duration({ positive: true }).optional(),
  /** Written to the task's stdin, which is then closed. */
  input: z
    .string()
    .refine((text) => Buffer.byteLength(text) <= MAX_INPUT_BYTES, {
      message: 'expected at most 16 MiB of input',
    })
    .optional(),
  /** `tail`: the last 1,000 lines of each stream; `all`; `none`. */
  capture: z.enum(['tail', 'all', 'none']).optional(),
  retry: retrySchema.optional(),
});

/** What `Supervisor.run()` takes (snake_case, as overseer.yaml writes a process). */
export type TaskDefinition = z.input<typeof taskDefinitionSchema>;

type ParsedTask = z.output<typeof taskDefinitionSchema>;

/** What a task is read against beyond itself. */
export interface TaskContext {
  /** The settings' sandbox, which the task's own may only narrow. */
  readonly sandbox?: SandboxPolicy | undefined;
  /** Folder relative `cwd`, `env_file` and sandbox paths are resolved against. */
  readonly baseDir?: string | undefined;
}

/** Defaults of a task's retry: one try; when more are asked for, 1 s apart, doubling, up to 30 s. */
export const TASK_RETRY_DEFAULTS = { attempts: 1, delayMs: 1000, factor: 2, maxDelayMs: 30_000 };

/**
 * Validates a task and gives it an id. Throws `INVALID_SPEC` naming every bad key (a key
 * only a process takes included, with why); nothing is queued.
 */
export function taskFromDefinition(input: unknown, context: TaskContext = {}): TaskSpec {
  const issues = serviceKeyIssues(input);
  const parsed = taskDefinitionSchema.safeParse(input, PARSE_OPTIONS);
  if (!parsed.success) issues.push(...issuesFromZod(parsed.error));
  if (!parsed.success || issues.length > 0) throw invalidTask(input, dedupe(issues));
  const task = parsed.data;
  const definition: ParsedProcessDefinition = {
    ...task,
    name: taskRunName(newTaskId()),
    kind: 'job',
    restart: { policy: 'never' },
    start_timeout: 0,
  };
  const policy = processSandbox(task, context.sandbox, context.baseDir);
  if (policy.issues.length > 0) throw invalidTask(input, policy.issues);
  const [process] = expandInstances(definition, policy.policy);
  if (!process) throw new Error('a task expands to one process');
  return {
    id: process.name.slice('task:'.length),
    name: task.name ?? 'task',
    labels: task.labels ?? {},
    process: { ...process, family: process.name, priority: task.priority ?? DEFAULTS.priority },
    timeoutMs: task.timeout,
    input: task.input,
    capture: task.capture ?? 'tail',
    retry: retrySpec(task.retry),
  };
}

function retrySpec(retry: ParsedTask['retry']): TaskSpec['retry'] {
  const delayMs = retry?.delay ?? TASK_RETRY_DEFAULTS.delayMs;
  return {
    attempts: retry?.attempts ?? TASK_RETRY_DEFAULTS.attempts,
    backoff: {
      initialMs: delayMs,
      factor: retry?.factor ?? TASK_RETRY_DEFAULTS.factor,
      maxMs: Math.max(delayMs, retry?.max_delay ?? TASK_RETRY_DEFAULTS.maxDelayMs),
      jitter: { kind: 'none' },
    },
    exitCodes: retry?.exit_codes,
    signals: retry?.signals,
    onTimeout: retry?.on_timeout ?? false,
  };
}

/**
 * A new task id: the time in base 36 then random characters, so ids sort by submission and
 * stay unique across supervisors sharing a store. Plain enough for a file name and a URL.
 */
export function newTaskId(): string {
  const random = randomBytes(4).toString('hex');
  return `${Date.now().toString(36)}-${random}`;
}

function serviceKeyIssues(input: unknown): SpecIssue[] {
  if (typeof input !== 'object' || input === null) return [];
  return Object.keys(input)
    .filter((key) => Object.hasOwn(SERVICE_ONLY_KEYS, key))
    .map((key) => ({ path: key, message: `not a task key: ${SERVICE_ONLY_KEYS[key]}` }));
}

/** The strict schema reports a service key again as unknown: keep the issue that says why. */
function dedupe(issues: SpecIssue[]): SpecIssue[] {
  return issues.filter(
    (issue) => !(issue.message === UNKNOWN_KEY && Object.hasOwn(SERVICE_ONLY_KEYS, issue.path)),
  );
}

function invalidTask(input: unknown, issues: readonly SpecIssue[]): OverseerError {
  const name =
    typeof input === 'object' &&
    input !== null &&
    typeof (input as { name?: unknown }).name === 'string'
      ? ` ${(input as { name: string }).name}`
      : '';
  const described = issues.map((issue) =>
    issue.path ? `${issue.path}: ${issue.message}` : issue.message,
  );
  return new OverseerError('INVALID_SPEC', `invalid task${name}: ${described.join('; ')}`, issues);
}
