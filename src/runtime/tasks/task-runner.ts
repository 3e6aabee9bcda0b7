/**
 * Runs one-off tasks under the supervisor: each waits in the queue (by priority, then
 * submission) for a slot it shares with the stack's processes, runs as a job never
 * restarted (limits, sandbox, whole-tree stop and log file as any process), is stopped at
 * its timeout or on cancel, and is tried again per its own retry policy. Every task ends
 * with a result; none is dropped.
 */

import { OverseerError } from '../../core/errors.js';
import type { EventOf, ProcessEvent } from '../../core/events.js';
import type { ProcessRecord } from '../../core/process/state.js';
import { initialRecord } from '../../core/process/transition.js';
import type { ScheduledProcess } from '../../core/stack/scheduler.js';
import type { Disposer } from '../../core/subscription.js';
import { judgeTry } from '../../core/tasks/retry.js';
import {
  emptyTaskCounts,
  type TaskCounts,
  type TaskResult,
  type TaskSpec,
  type TaskView,
} from '../../core/tasks/task.js';
import { matchesTaskFilter, type TaskFilter } from '../../core/tasks/task-filter.js';
import { tryEndOf } from '../../core/tasks/try-end.js';
import type { OutputStream } from '../../core/view.js';
import type { LineBlock } from '../logs/log-buffer.js';
import { type Listener, Listeners } from '../supervisor/emitter.js';
import type { TaskSlots } from '../supervisor/loop.js';
import type { ManagedProcess } from '../supervisor/managed-process.js';
import { LiveTask, WAITING_FOR_SLOT } from './live-task.js';
import { TaskOutput } from './task-output.js';
import { TaskQueue } from './task-queue.js';
import {
  DEFAULT_TASK_SETTINGS,
  type TaskOutputLine,
  type TaskRooms,
  type TaskSettings,
} from './task-rooms.js';

export type { TaskFilter } from '../../core/tasks/task-filter.js';
export {
  DEFAULT_TASK_SETTINGS,
  type TaskOutputLine,
  type TaskRooms,
  type TaskSettings,
} from './task-rooms.js';

export class TaskRunner implements TaskSlots {
  private readonly queue = new TaskQueue();
  /** Every task not ended yet, by id. */
  private readonly live = new Map<string, LiveTask>();
  /** Tries not yet at rest, by their process name. */
  private readonly running = new Map<string, LiveTask>();
  /** Ended tasks, oldest first, at most `settings.history`. */
  private readonly ended: TaskView[] = [];
  private readonly totals = emptyTaskCounts();
  private readonly outputListeners: Listeners<TaskOutputLine>;
  private submitted = 0;
  private closed = false;

  constructor(
    private readonly rooms: TaskRooms,
    private settings: TaskSettings = DEFAULT_TASK_SETTINGS,
  ) {
    this.outputListeners = new Listeners(rooms.report);
  }

  setSettings(settings: TaskSettings): void {
    this.settings = settings;
    const dropped = this.ended.splice(0, Math.max(0, this.ended.length - settings.history));
    for (const view of dropped) this.rooms.forgetLog(view.id);
  }

  /**
   * Queues a validated task; resolves with its result once it ended, whatever the end
   * (never rejects for a task that ran). Throws `QUEUE_FULL` when `maxQueued` tasks wait,
   * `SHUT_DOWN` once the supervisor is shutting down: nothing is queued then.
   */
  submit(spec: TaskSpec, signal?: AbortSignal): Promise<TaskResult> {
    if (this.closed) throw new OverseerError('SHUT_DOWN', 'the supervisor has shut down');
    if (this.queue.size >= this.settings.maxQueued) {
      throw new OverseerError(
        'QUEUE_FULL',
        `the task queue is full (${this.queue.size} tasks waiting, settings.tasks.max_queued is ${this.settings.maxQueued}): try again once some have started`,
      );
    }
    const now = Date.now();
    const task = new LiveTask(spec, this.submitted++, now, waitingRecord(spec, now));
    this.live.set(spec.id, task);
    this.rooms.publish({
      type: 'task:queued',
      at: now,
      id: spec.id,
      task: spec.name,
      priority: spec.process.priority,
      labels: spec.labels,
    });
    if (signal?.aborted) {
      this.end(task, 'cancelled', abortReason(signal));
      return task.done;
    }
    if (signal) {
      const onAbort = () => this.cancelQuietly(spec.id, abortReason(signal));
      signal.addEventListener('abort', onAbort, { once: true });
      void task.done.then(() => signal.removeEventListener('abort', onAbort));
    }
    this.queue.add(task);
    this.rooms.reschedule();
    return task.done;
  }

  /** Listens to every line of every task's output; returns a disposer. */
  onOutput(listener: Listener<TaskOutputLine>): Disposer {
    return this.outputListeners.add(listener);
  }

  /** Tasks not ended, then ended ones (newest first), narrowed by `filter`. */
  list(filter: TaskFilter = {}): TaskView[] {
    const live = [...this.live.values()].map((task) => task.view());
    const ended = [...this.ended].reverse();
    return [...live, ...ended].filter((view) => matchesTaskFilter(view, filter));
  }

  /** One task, live or remembered. Throws `NOT_FOUND`. */
  get(id: string): TaskView {
    const task = this.live.get(id);
    if (task) return task.view();
    const ended = this.ended.find((view) => view.id === id);
    if (ended) return ended;
    throw new OverseerError(
      'NOT_FOUND',
      `no task ${id} (finished tasks are kept up to settings.tasks.history)`,
    );
  }

  /** Resolves with the task's result once it ended (at once when it has). Throws `NOT_FOUND`. */
  result(id: string): Promise<TaskResult> {
    const task = this.live.get(id);
    if (task) return task.done;
    const view = this.get(id);
    return Promise.resolve(view.result as TaskResult);
  }

  /**
   * Cancels a task: a waiting one leaves the queue, a running one is stopped as a stop does
   * (its stop signal, then SIGKILL to the tree at its deadline). Throws `NOT_FOUND`, and
   * `INVALID_STATE` for a task that already ended.
   */
  cancel(id: string, reason = 'cancelled on request'): TaskView {
    const task = this.live.get(id);
    if (!task) {
      const view = this.get(id);
      throw new OverseerError('INVALID_STATE', `task ${id} already ended: ${view.status}`);
    }
    this.cancelQuietly(id, reason);
    return task.view();
  }

  /** The current try of task `id` while it runs (its child, its tree), for the daemon's store. */
  liveTry(id: string): ManagedProcess | undefined {
    const task = this.live.get(id);
    return task?.current && this.running.has(task.current.spec.name) ? task.current : undefined;
  }

  /** Counts of tasks by where they are, and of ended ones by how they ended. */
  counts(): TaskCounts {
    const counts = { ...this.totals, queued: 0, running: 0, retrying: 0 };
    for (const task of this.live.values()) {
      if (task.status === 'queued' || task.status === 'running' || task.status === 'retrying') {
        counts[task.status] += 1;
      }
    }
    return counts;
  }

  /** Takes no more tasks and cancels every one not ended; resolves once all have ended. */
  async close(reason: string): Promise<void> {
    this.closed = true;
    const pending = [...this.live.values()];
    for (const task of pending) this.cancelQuietly(task.spec.id, reason);
    await Promise.all(pending.map((task) => task.done));
  }

  // --- TaskSlots: what the scheduler sees ---------------------------------------------

  *tries(): Iterable<ManagedProcess> {
    for (const task of this.running.values()) if (task.current) yield task.current;
  }

  get queuedCount(): number {
    return this.queue.size;
  }

  queued(count: number): ScheduledProcess[] {
    return this.queue
      .head(count)
      .map((task) => ({ spec: task.spec.process, record: task.waitingRecord }));
  }

  admit(name: string): ManagedProcess {
    const task = this.live.get(name.slice('task:'.length)) as LiveTask;
    this.queue.remove(task);
    const managed = this.rooms.newTry(task.spec, {
      onLines: (at, stream, block) => this.onLines(task, managed, at, stream, block),
      onProbe: () => {},
      onEvent: (event) => this.onTryEvent(task, event),
    });
    managed.logFile = this.rooms.logFile(task.spec.id);
    // Measured by the usage shim: a task of 50 ms is over before any sample is taken.
    managed.launchOptions = { stdin: task.spec.input, measureUsage: true };
    task.current = managed;
    task.child = undefined;
    task.output = new TaskOutput(task.spec.capture);
    task.tries += 1;
    task.status = 'running';
    task.reason = null;
    task.timedOut = false;
    task.lastBreachAction = undefined;
    this.running.set(name, task);
    this.rooms.feed(managed, { type: 'up' });
    return managed;
  }

  waits(name: string, reason: string): void {
    const task = this.live.get(name.slice('task:'.length));
    if (task) task.reason = reason;
  }

  // --- a try's life ------------------------------------------------------------------

  private onLines(
    task: LiveTask,
    managed: ManagedProcess,
    at: number,
    stream: OutputStream,
    block: LineBlock,
  ): void {
    this.rooms.writeLog(managed, at, stream, block);
    task.output.push(stream, block);
    if (this.outputListeners.size === 0) return;
    for (const text of block.lines) {
      this.outputListeners.deliver({ id: task.spec.id, at, stream, text });
    }
  }

  private onTryEvent(task: LiveTask, event: ProcessEvent): void {
    switch (event.type) {
      case 'process:started':
        return this.started(task, event);
      case 'process:limit':
        return task.breached(event);
      case 'process:completed':
      case 'process:failed':
      case 'process:stopped':
        return this.tryEnded(task);
    }
  }

  private started(task: LiveTask, event: EventOf<'process:started'>): void {
    task.attempts += 1;
    task.startedAt ??= event.at;
    task.child = task.current?.child;
    this.rooms.publish({
      type: 'task:started',
      at: event.at,
      id: task.spec.id,
      task: task.spec.name,
      pid: event.pid,
      attempt: task.attempts,
    });
    const { timeoutMs } = task.spec;
    if (timeoutMs === undefined) return;
    task.arm(timeoutMs, () => {
      const current = task.current;
      if (!current || task.cancelling) return;
      task.timedOut = true;
      this.rooms.feed(current, { type: 'stop' });
    });
  }

  private tryEnded(task: LiveTask): void {
    const managed = task.current as ManagedProcess;
    task.disarm();
    this.running.delete(managed.spec.name);
    const peaks = managed.sampledPeaks();
    task.addUsage(task.child?.usage(), peaks);
    void managed.logFile?.close();
    const verdict = judgeTry(
      task.spec.retry,
      task.spec.process.restart.exitCodes,
      Math.max(1, task.attempts),
      tryEndOf(managed.record, task),
      task.spec.timeoutMs,
    );
    if (verdict.next === 'end') {
      this.end(task, verdict.status, verdict.reason);
      return;
    }
    task.status = 'retrying';
    task.reason = verdict.reason;
    task.arm(verdict.delayMs, () => {
      if (!this.live.has(task.spec.id)) return;
      task.status = 'queued';
      task.reason = WAITING_FOR_SLOT;
      this.queue.add(task);
      this.rooms.reschedule();
    });
  }

  // --- the end -------------------------------------------------------------------------

  private cancelQuietly(id: string, reason: string): void {
    const task = this.live.get(id);
    if (!task || task.cancelling !== undefined) return;
    task.cancelling = reason;
    if (task.status === 'queued') this.queue.remove(task);
    const current =
      task.current && this.running.has(task.current.spec.name) ? task.current : undefined;
    if (current) this.rooms.feed(current, { type: 'stop' });
    else this.end(task, 'cancelled', reason);
  }

  private end(task: LiveTask, status: TaskResult['status'], reason: string | null): void {
    const now = Date.now();
    const result = task.finish(status, reason, now);
    this.live.delete(task.spec.id);
    this.totals[status] += 1;
    this.ended.push(task.view(result));
    const dropped = this.ended.length > this.settings.history ? this.ended.shift() : undefined;
    if (dropped) this.rooms.forgetLog(dropped.id);
    this.rooms.publish({
      type: 'task:finished',
      at: now,
      id: task.spec.id,
      task: task.spec.name,
      result,
    });
  }
}

/** How a waiting task looks to the scheduler: pending, like a process waiting for a slot. */
function waitingRecord(spec: TaskSpec, now: number): ProcessRecord {
  const record = initialRecord(spec.process, now);
  return {
    ...record,
    state: { status: 'pending', since: now, restarting: false, reason: '', blocked: false },
  };
}

function abortReason(signal: AbortSignal): string {
  const reason = signal.reason;
  if (reason instanceof Error && reason.name !== 'AbortError')
    return `cancelled: ${reason.message}`;
  if (typeof reason === 'string') return `cancelled: ${reason}`;
  return 'cancelled by its AbortSignal';
}
