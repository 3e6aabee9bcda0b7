/**
 * Recovery after a supervisor died without stopping its stack (SIGKILL, OOM, power loss):
 * the runs it never saw end are found in the store, what is left of them is stopped the way
 * each process asks to be stopped, and the runs are closed with what became of them.
 */
import { existsSync } from 'node:fs';
import type { ProcessSpec } from '../core/process/spec.js';
import { stateDirLayout } from '../protocol/state-dir.js';
import { endLeftovers, type LeftoverFate } from '../runtime/process/orphans.js';
import type { HistoryStore, StoredRun } from '../store/history-store.js';
import { openSqliteStore } from '../store/sqlite/project-store.js';
import { acquireLock } from './lock.js';
import { failTasksOfDeadSupervisor } from './task-history.js';

/** How leftovers of a process no longer in the config are stopped. */
const DEFAULT_STOP = { signal: 'SIGTERM', timeoutMs: 10_000 } as const;

const REASONS: Record<LeftoverFate['kind'], string> = {
  ended: 'orphaned: the supervisor died; stopped by the next one',
  gone: 'the supervisor died; the run had ended unseen',
  foreign: 'the supervisor died; its pid now names another process, left alone',
};

/**
 * Ends the leftovers of a dead supervisor (each run's group, strays, marked processes and
 * cgroup); resolves with how many processes it stopped.
 */
export async function recoverLeftovers(
  store: HistoryStore,
  specs: readonly ProcessSpec[],
): Promise<number> {
  const runs = store.unfinishedRuns();
  if (runs.length === 0) return 0;
  const stopOf = new Map(specs.map((spec) => [spec.name, spec.stop]));
  // Runs that stop alike are ended together; the different kinds in parallel.
  const batches = new Map<string, StoredRun[]>();
  for (const run of runs) {
    const stop = stopOf.get(run.process) ?? DEFAULT_STOP;
    const key = `${stop.signal}/${stop.timeoutMs}`;
    batches.set(key, [...(batches.get(key) ?? []), run]);
  }
  const counts = await Promise.all(
    [...batches.entries()].map(async ([key, batch]) => {
      const [signal = DEFAULT_STOP.signal, timeout] = key.split('/');
      const fates = await endLeftovers(batch, { signal, timeoutMs: Number(timeout) });
      const endedAt = Date.now();
      let stopped = 0;
      batch.forEach((run, index) => {
        const fate = fates[index]!;
        if (fate.kind === 'ended') stopped += fate.processes;
        store.endRun(run.id, {
          endedAt,
          exitCode: null,
          signal: null,
          reason:
            fate.kind === 'ended' && fate.survivors.length > 0
              ? `${REASONS.ended}, but pid ${fate.survivors.join(', ')} outlived SIGKILL`
              : REASONS[fate.kind],
          killedAfterTimeout: false,
        });
      });
      return stopped;
    }),
  );
  return counts.reduce((sum, count) => sum + count, 0);
}

/**
 * `down` with no live supervisor: holds the state dir's lock (so no daemon starts
 * meanwhile), ends what the dead one left running exactly as the next daemon would, and
 * lets go; the store's events get `supervisor:orphans-cleaned` when it stopped any. Resolves
 * with how many processes it stopped; 0 when the state dir has no store.
 * Throws `INVALID_STATE` when a live supervisor holds the lock.
 */
export async function recoverStateDir(
  stateDir: string,
  specs: readonly ProcessSpec[],
): Promise<number> {
  const file = stateDirLayout(stateDir).store;
  if (!existsSync(file)) return 0;
  const lock = acquireLock(stateDir);
  try {
    const store = openSqliteStore(file);
    try {
      const count = await recoverLeftovers(store.history, specs);
      failTasksOfDeadSupervisor(store.tasks);
      if (count > 0)
        store.history.appendEvents([{ type: 'supervisor:orphans-cleaned', at: Date.now(), count }]);
      return count;
    } finally {
      store.close();
    }
  } finally {
    lock.release();
  }
}
