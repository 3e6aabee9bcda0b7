/**
 * One-off supervised work: a task is a command run to its end under the same slots, limits,
 * sandbox and whole-tree stop as a process, whose outcome comes back as a result. Each try
 * is a run of a job that is never restarted; whether another try follows is the task's own
 * retry policy (`retry.ts`).
 */
import type { BackoffPolicy } from '../backoff.js';
import type { LimitResource } from '../limits/limits.js';
import type { ProcessSpec } from '../process/spec.js';

/** Where a task is: waiting for a slot, running a try, waiting to try again, or at its end. */
export type TaskStatus = 'queued' | 'running' | 'retrying' | FinalTaskStatus;

/** How a task ended. */
export type FinalTaskStatus = 'succeeded' | 'failed' | 'timed_out' | 'cancelled' | 'refused';

export const FINAL_TASK_STATUSES: readonly FinalTaskStatus[] = [
  'succeeded',
  'failed',
  'timed_out',
  'cancelled',
  'refused',
];

/** How much of a task's output its result carries. */
export type CaptureMode = 'tail' | 'all' | 'none';

/** Lines of each stream a `tail` capture keeps: the last ones. */
export const TAIL_LINES = 1000;

/** Which failed tries are worth another. */
export interface TaskRetrySpec {
  /** Tries in all, the first included: 1 never retries. */
  readonly attempts: number;
  /** The wait before each further try. */
  readonly backoff: BackoffPolicy;
  /** Exit codes worth another try; `undefined`: every failing code. */
  readonly exitCodes: readonly number[] | undefined;
  /** Signals worth another try; `undefined`: every signal. */
  readonly signals: readonly string[] | undefined;
  /** Whether a try that ran past `timeout` is worth another. */
  readonly onTimeout: boolean;
}

/** A task as the runner takes it: validated, every default applied. */
export interface TaskSpec {
  /** Unique among the supervisor's tasks. */
  readonly id: string;
  /** The name given, or `task`: shown, not unique. */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** What each try runs: a job never restarted, named `task:<id>`. */
  readonly process: ProcessSpec;
  /** A try still running this long after it started is stopped: `timed_out`. */
  readonly timeoutMs: number | undefined;
  /** Written to the task's stdin, which is then closed; `undefined`: no stdin. */
  readonly input: string | undefined;
  readonly capture: CaptureMode;
  readonly retry: TaskRetrySpec;
}

/** What a task's tree used, over all its tries. */
export interface TaskUsage {
  /** The highest resident memory seen: a single process's peak, or the whole tree's at a sample. */
  readonly peakMemoryBytes: number;
  /** CPU time of the whole tree, children that exited before the task included. */
  readonly cpuMs: number;
  /** The most descriptors the tree held open at one sample; 0 if never sampled. */
  readonly peakOpenFiles: number;
}

/** A limit the task went over. */
export interface TaskLimitBreach {
  readonly resource: LimitResource;
  readonly value: number;
  readonly limit: number;
  readonly action: string;
  readonly reason: string;
  /** When (ISO 8601). */
  readonly at: string;
}

/** How a task ended, and what it used and printed. */
export interface TaskResult {
  readonly id: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly status: FinalTaskStatus;
  /** Of the last try; `null` when a signal ended it or it never ran. */
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** When it was submitted, its first try started, and it ended (ISO 8601). */
  readonly queuedAt: string;
  readonly startedAt: string | null;
  readonly endedAt: string;
  /** From the first try's start to the end; 0 when it never ran. */
  readonly durationMs: number;
  /** From submission to the first try's start (or to the end, when it never ran). */
  readonly queuedMs: number;
  /** Tries that ran. */
  readonly attempts: number;
  /** The captured output of the last try (`capture`); empty with `capture: none`. */
  readonly stdout: string;
  readonly stderr: string;
  /** True when `tail` kept only the last lines of a longer output. */
  readonly truncated: boolean;
  readonly resourceUsage: TaskUsage;
  readonly limitBreaches: readonly TaskLimitBreach[];
  /** Why it ended as it did, unless it succeeded. */
  readonly reason: string | null;
}

/** A task as listed: where it is now; `result` once it ended. */
export interface TaskView {
  readonly id: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly status: TaskStatus;
  readonly priority: ProcessSpec['priority'];
  readonly command: ProcessSpec['command'];
  readonly queuedAt: string;
  readonly startedAt: string | null;
  /** The pid of the running try. */
  readonly pid: number | null;
  readonly attempts: number;
  /** What it waits for, while `queued` or `retrying`. */
  readonly reason: string | null;
  readonly result: TaskResult | null;
}

/** Tasks by where they are, and finished ones by how they ended, since the supervisor started. */
export type TaskCounts = Readonly<Record<TaskStatus, number>>;

export function emptyTaskCounts(): Record<TaskStatus, number> {
  return {
    queued: 0,
    running: 0,
    retrying: 0,
    succeeded: 0,
    failed: 0,
    timed_out: 0,
    cancelled: 0,
    refused: 0,
  };
}

/** The name each try of task `id` runs under: not a process name (`:` is not allowed in one). */
export function taskRunName(id: string): string {
  return `task:${id}`;
}

export function isFinalTaskStatus(status: TaskStatus): status is FinalTaskStatus {
  return (FINAL_TASK_STATUSES as readonly string[]).includes(status);
}
