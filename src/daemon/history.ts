/**
 * Keeps the store in step with the supervisor: every event, every run with the identity of
 * its pid (so a later supervisor can tell it from a reused pid) and what ends its whole tree
 * (its mark, its cgroup, the strays seen that left its group), restart counts; and carries
 * that history into a new supervisor.
 */
import type { Project } from '../config/load.js';
import type { SupervisorEvent } from '../core/events.js';
import type { RunRecord } from '../core/view.js';
import { currentBootId } from '../runtime/process/orphans.js';
import { readProcEntry } from '../runtime/process/proc.js';
import type { SupervisorEngine } from '../runtime/supervisor/engine.js';
import type { HistoryRetention, HistoryStore, StoredRun } from '../store/history-store.js';

/** Runs carried into a new supervisor per process (what `inspect` shows). */
const RUNS_CARRIED = 20;

/** The store's bounds for a project's `settings.retention`. */
export function historyRetention(retention: Project['settings']['retention']): HistoryRetention {
  return { maxRunsPerProcess: retention.runs, maxEventsPerProcess: retention.events };
}

/** Writes what the supervisor does into the store, as it happens. */
export interface HistoryRecorder {
  /** Writes the events still waiting for the end of this tick. */
  flush(): void;
  /** Flushes, then records nothing more. */
  stop(): void;
}

/**
 * Records the supervisor's events and runs into the store. A run is written at once (its pid
 * and start time are what recovery goes by if this supervisor is killed a moment later); the
 * events of one tick go in one transaction at its end (a stack of 100 starting is 400 of
 * them). A write that fails (a full disk) is reported to `onError` and supervision goes on.
 */
export function recordHistory(
  supervisor: SupervisorEngine,
  store: HistoryStore,
  onError: (error: unknown) => void,
): HistoryRecorder {
  const bootId = currentBootId();
  const openRuns = new Map<string, number>();
  const unwritten: SupervisorEvent[] = [];
  let writeScheduled: NodeJS.Immediate | undefined;
  const flush = (): void => {
    clearImmediate(writeScheduled);
    writeScheduled = undefined;
    if (unwritten.length === 0) return;
    try {
      store.appendEvents(unwritten.splice(0));
    } catch (error) {
      onError(error);
    }
  };
  const record = (event: SupervisorEvent): void => {
    unwritten.push(event);
    writeScheduled ??= setImmediate(flush);
    switch (event.type) {
      case 'process:started': {
        // Read now, while the child is certainly alive (or at worst an unreaped zombie).
        const pidStartTime = readProcEntry(event.pid)?.startTime ?? null;
        const tree = supervisor.runTree(event.name);
        const id = store.startRun({
          process: event.name,
          pid: event.pid,
          pidStartTime,
          bootId,
          startedAt: event.at,
          treeMark: tree?.mark ?? null,
          cgroup: tree?.cgroup ?? null,
        });
        openRuns.set(event.name, id);
        return;
      }
      case 'process:exit': {
        const id = openRuns.get(event.name);
        if (id === undefined) return;
        openRuns.delete(event.name);
        store.endRun(id, {
          endedAt: event.at,
          exitCode: event.code,
          signal: event.signal,
          reason: event.reason,
          killedAfterTimeout: event.killedAfterTimeout,
        });
        return;
      }
      case 'process:restarted':
        store.countRestart(event.name);
        return;
    }
  };
  const unsubscribe = supervisor.onAny((event) => {
    try {
      record(event);
    } catch (error) {
      onError(error);
    }
  });
  // Written at once, like the run: a successor must find them if this supervisor is killed.
  const unsubscribeStrays = supervisor.onStrays((name, strays) => {
    const id = openRuns.get(name);
    if (id === undefined) return;
    try {
      store.addStrays(id, strays);
    } catch (error) {
      onError(error);
    }
  });
  return {
    flush,
    stop: () => {
      unsubscribe();
      unsubscribeStrays();
      flush();
    },
  };
}

/** Gives each declared process the restart count and recent runs the store holds for it. */
export function restoreHistory(supervisor: SupervisorEngine, store: HistoryStore): void {
  const restartCounts = store.restartCounts();
  for (const { name } of supervisor.list()) {
    const runs = store.recentRuns(name, RUNS_CARRIED).map(runRecordOf);
    const restarts = restartCounts.get(name) ?? 0;
    if (runs.length > 0 || restarts > 0) supervisor.restoreHistory(name, { restarts, runs });
  }
}

function runRecordOf(run: StoredRun): RunRecord {
  return {
    pid: run.pid,
    startedAt: new Date(run.startedAt).toISOString(),
    endedAt: run.endedAt === null ? null : new Date(run.endedAt).toISOString(),
    exitCode: run.exitCode,
    signal: run.signal,
    killedAfterTimeout: run.killedAfterTimeout,
    runMs: run.endedAt === null ? null : run.endedAt - run.startedAt,
    reason: run.reason,
  };
}
