/**
 * Keeps each schedule's last fire time in the store, and hands it to the next supervisor:
 * after a kill, a fire time already taken is not run again. A fire time missed while no
 * supervisor ran is not run late either: the new one waits for the next.
 */
import type { Disposer } from '../core/subscription.js';
import type { SupervisorEngine } from '../runtime/supervisor/engine.js';
import type { ScheduleStore } from '../store/schedule-store.js';

/**
 * Records every fire time a schedule takes, at once (not at the end of the tick, as events
 * are): a supervisor killed a moment after a fire must leave it behind. A write that fails
 * is reported to `onError` and supervision goes on.
 */
export function recordFires(
  supervisor: SupervisorEngine,
  store: ScheduleStore,
  onError: (error: unknown) => void,
): Disposer {
  return supervisor.on('process:fired', (event) => {
    try {
      store.recordFire(event.name, event.fireAt);
    } catch (error) {
      onError(error);
    }
  });
}

/** Gives each declared process with a schedule the last fire time the store holds for it. */
export function restoreFires(supervisor: SupervisorEngine, store: ScheduleStore): void {
  const declared = new Set(supervisor.list().map((process) => process.name));
  for (const [name, at] of store.lastFires()) {
    if (declared.has(name)) supervisor.restoreLastFire(name, at);
  }
}
