/**
 * Keeps the store in step with the tasks: each task as it is queued, started and ended
 * (ended ones up to `settings.tasks.history`), and each try as a run with what ends its
 * whole tree, so a successor stops what a supervisor that died left running exactly as it
 * does for processes (recovery.ts). A successor then reports every task the dead one never
 * saw end as `failed`, `supervisor died`: none is silently lost.
 */
import { join } from 'node:path';
import type { EventOf, SupervisorEvent } from '../core/events.js';
import type { TaskResult, TaskView } from '../core/tasks/task.js';
import { taskRunName } from '../core/tasks/task.js';
import { logFileName } from '../runtime/logs/log-format.js';
import { removeLogFiles } from '../runtime/logs/log-rotation.js';
import { currentBootId } from '../runtime/process/orphans.js';
import { readProcEntry } from '../runtime/process/proc.js';
import type { SupervisorEngine } from '../runtime/supervisor/engine.js';
import type { HistoryStore } from '../store/history-store.js';
import type { TaskStore } from '../store/task-store.js';

/** Why a task a dead supervisor never saw end is `failed`. */
export const SUPERVISOR_DIED = 'supervisor died';

export interface TaskStores {
  readonly tasks: TaskStore;
  readonly history: HistoryStore;
}

/**
 * Records the engine's tasks into the stores as they go; `keep()` is how many ended ones
 * are kept (read at each end: a reload may change it). A write that fails is told to
 * `onError` and the task goes on. Returns what stops the recording.
 */
export function recordTasks(
  engine: SupervisorEngine,
  stores: TaskStores,
  keep: () => number,
  onError: (error: unknown) => void,
): () => void {
  const bootId = currentBootId();
  /** The run of each task's current try, by task id. */
  const openRuns = new Map<string, number>();
  /** A try is over: its run served a successor only while it was alive. */
  const endRun = (id: string) => {
    const run = openRuns.get(id);
    if (run === undefined) return;
    openRuns.delete(id);
    stores.history.forgetRun(run);
  };
  /** Ended tasks beyond `keep()` leave the store, and their log files the disk. */
  const prune = () => {
    const logDir = engine.taskLogDir;
    for (const id of stores.tasks.pruneEnded(keep())) {
      if (logDir !== undefined) void removeLogFiles(join(logDir, logFileName(id))).catch(onError);
    }
  };
  const started = (event: EventOf<'task:started'>) => {
    endRun(event.id);
    const tree = engine.taskRunTree(event.id);
    const run = stores.history.startRun({
      process: taskRunName(event.id),
      pid: event.pid,
      // Read now, while the child is certainly alive (or at worst an unreaped zombie).
      pidStartTime: readProcEntry(event.pid)?.startTime ?? null,
      bootId,
      startedAt: event.at,
      treeMark: tree?.mark ?? null,
      cgroup: tree?.cgroup ?? null,
    });
    openRuns.set(event.id, run);
    stores.tasks.saveTask(engine.tasks.get(event.id));
  };
  const record = (event: SupervisorEvent) => {
    switch (event.type) {
      case 'task:queued':
        return stores.tasks.saveTask(engine.tasks.get(event.id));
      case 'task:started':
        return started(event);
      case 'task:finished':
        endRun(event.id);
        stores.tasks.saveTask(endedView(engine, event.result));
        prune();
        return;
    }
  };
  const stopEvents = engine.onAny((event) => {
    try {
      record(event);
    } catch (error) {
      onError(error);
    }
  });
  // Written at once, like the run: a successor must find them if this supervisor is killed.
  const stopStrays = engine.onStrays((name, strays) => {
    const run = openRuns.get(name.slice(taskRunName('').length));
    if (run === undefined || !name.startsWith(taskRunName(''))) return;
    try {
      stores.history.addStrays(run, strays);
    } catch (error) {
      onError(error);
    }
  });
  return () => {
    stopEvents();
    stopStrays();
  };
}

/**
 * Reports every task a dead supervisor never saw end as `failed` (`supervisor died`); its
 * tries' trees are ended with the other leftovers (recovery.ts). Returns how many.
 */
export function failTasksOfDeadSupervisor(store: TaskStore, now = Date.now()): number {
  const unfinished = store.unfinishedTasks();
  for (const view of unfinished) store.saveTask(diedView(view, now));
  return unfinished.length;
}

function diedView(view: TaskView, now: number): TaskView {
  const startedAt = view.startedAt === null ? null : Date.parse(view.startedAt);
  const queuedAt = Date.parse(view.queuedAt);
  const result: TaskResult = {
    id: view.id,
    name: view.name,
    labels: view.labels,
    status: 'failed',
    exitCode: null,
    signal: null,
    queuedAt: view.queuedAt,
    startedAt: view.startedAt,
    endedAt: new Date(now).toISOString(),
    durationMs: startedAt === null ? 0 : now - startedAt,
    queuedMs: (startedAt ?? now) - queuedAt,
    attempts: view.attempts,
    stdout: '',
    stderr: '',
    truncated: false,
    resourceUsage: { peakMemoryBytes: 0, cpuMs: 0, peakOpenFiles: 0 },
    limitBreaches: [],
    reason: SUPERVISOR_DIED,
  };
  return { ...view, status: 'failed', pid: null, reason: SUPERVISOR_DIED, result };
}

/** The view of a task that just ended: the runner's, or (remembering none) from its result. */
function endedView(engine: SupervisorEngine, result: TaskResult): TaskView {
  try {
    return engine.tasks.get(result.id);
  } catch {
    return {
      id: result.id,
      name: result.name,
      labels: result.labels,
      status: result.status,
      priority: 'normal',
      command: [],
      queuedAt: result.queuedAt,
      startedAt: result.startedAt,
      pid: null,
      attempts: result.attempts,
      reason: result.reason,
      result,
    };
  }
}
