/**
 * One task the runner holds until it ends: where it is, its current try, and what its tries
 * used and printed so far; and the result and view built from that.
 */
import type { EventOf } from '../../core/events.js';
import type { ProcessRecord } from '../../core/process/state.js';
import type {
  FinalTaskStatus,
  TaskLimitBreach,
  TaskResult,
  TaskSpec,
  TaskStatus,
  TaskUsage,
  TaskView,
} from '../../core/tasks/task.js';
import type { ChildRun } from '../process/child.js';
import type { ManagedProcess } from '../supervisor/managed-process.js';
import { TaskOutput } from './task-output.js';

/** What a waiting task says it waits for until the scheduler says more. */
export const WAITING_FOR_SLOT = 'waiting for a free slot';

export class LiveTask {
  status: TaskStatus = 'queued';
  reason: string | null = WAITING_FOR_SLOT;
  /** Tries that started a child. */
  attempts = 0;
  /** Tries admitted into a slot, those that could not start included. */
  tries = 0;
  startedAt: number | undefined;
  /** The current try, from its admission until it is at rest. */
  current: ManagedProcess | undefined;
  /** The current try's child, kept past its exit to read what it used. */
  child: ChildRun | undefined;
  output: TaskOutput;
  /** Why it is being cancelled, once asked. */
  cancelling: string | undefined;
  /** The current try ran past the timeout and is being stopped. */
  timedOut = false;
  /** The action of the current try's last limit breach. */
  lastBreachAction: string | undefined;
  readonly breaches: TaskLimitBreach[] = [];
  private usage: TaskUsage = { peakMemoryBytes: 0, cpuMs: 0, peakOpenFiles: 0 };
  /** The timeout of the running try, or the wait before the next try. */
  private timer: NodeJS.Timeout | undefined;
  /** How the scheduler sees the task while it waits. */
  readonly waitingRecord: ProcessRecord;
  readonly done: Promise<TaskResult>;
  private resolve!: (result: TaskResult) => void;

  constructor(
    readonly spec: TaskSpec,
    /** Submission order, for the queue. */
    readonly seq: number,
    readonly queuedAt: number,
    waitingRecord: ProcessRecord,
  ) {
    this.output = new TaskOutput(spec.capture);
    this.waitingRecord = waitingRecord;
    this.done = new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  arm(delayMs: number, fire: () => void): void {
    this.disarm();
    this.timer = setTimeout(fire, delayMs);
  }

  disarm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  breached(event: EventOf<'process:limit'>): void {
    // A warning ends no try: what ended it is the last breach that acted.
    if (event.action !== 'warn') this.lastBreachAction = event.action;
    this.breaches.push({
      resource: event.resource,
      value: event.value,
      limit: event.limit,
      action: event.action,
      reason: event.reason,
      at: new Date(event.at).toISOString(),
    });
  }

  /** Folds in what a try used: the exact figures of its child where measured, else its samples. */
  addUsage(
    measured: { peakRssBytes: number; cpuMs: number } | undefined,
    sampled: TaskUsageSample,
  ): void {
    this.usage = {
      peakMemoryBytes: Math.max(
        this.usage.peakMemoryBytes,
        sampled.memoryBytes,
        measured?.peakRssBytes ?? 0,
      ),
      cpuMs: this.usage.cpuMs + Math.round(measured?.cpuMs ?? sampled.cpuMs),
      peakOpenFiles: Math.max(this.usage.peakOpenFiles, sampled.fds),
    };
  }

  /** The result of the task ending now as `status`. */
  finish(status: FinalTaskStatus, reason: string | null, now: number): TaskResult {
    this.disarm();
    this.status = status;
    this.reason = reason;
    const lastExit = lastExitOf(this.current?.record);
    const result: TaskResult = {
      id: this.spec.id,
      name: this.spec.name,
      labels: this.spec.labels,
      status,
      exitCode: lastExit?.code ?? null,
      signal: lastExit?.signal ?? null,
      queuedAt: new Date(this.queuedAt).toISOString(),
      startedAt: this.startedAt === undefined ? null : new Date(this.startedAt).toISOString(),
      endedAt: new Date(now).toISOString(),
      durationMs: this.startedAt === undefined ? 0 : now - this.startedAt,
      queuedMs: (this.startedAt ?? now) - this.queuedAt,
      attempts: this.attempts,
      ...this.output.result(),
      resourceUsage: this.usage,
      limitBreaches: [...this.breaches],
      reason,
    };
    this.resolve(result);
    return result;
  }

  view(result: TaskResult | null = null): TaskView {
    const state = this.current?.record.state;
    const pid = state && 'pid' in state ? state.pid : null;
    return {
      id: this.spec.id,
      name: this.spec.name,
      labels: this.spec.labels,
      status: this.status,
      priority: this.spec.process.priority,
      command: this.spec.process.command,
      queuedAt: new Date(this.queuedAt).toISOString(),
      startedAt: this.startedAt === undefined ? null : new Date(this.startedAt).toISOString(),
      pid: this.status === 'running' ? pid : null,
      attempts: this.attempts,
      reason: this.status === 'running' ? null : this.reason,
      result,
    };
  }
}

/** What samples saw of a try (see `ManagedProcess.sampledPeaks`). */
export interface TaskUsageSample {
  readonly memoryBytes: number;
  readonly fds: number;
  readonly cpuMs: number;
}

function lastExitOf(record: ProcessRecord | undefined) {
  const state = record?.state;
  return state && 'lastExit' in state ? state.lastExit : null;
}
