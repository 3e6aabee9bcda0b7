/**
 * Everything a project's supervisor keeps in its state dir, one interface per concern,
 * opened and closed together: the embedded default keeps them all in one SQLite file
 * (`openSqliteStore`), its twin for tests in memory (`openMemoryStore`). A new concern is
 * an interface beside these, an implementation in `sqlite/` and in `memory/`, and a field
 * here; a store that may live elsewhere (on a server shared by several machines) is opened
 * on its own instead.
 */
import type { DesiredStateStore } from './desired-state-store.js';
import type { HistoryRetention, HistoryStore } from './history-store.js';
import type { ScheduleStore } from './schedule-store.js';
import type { TaskStore } from './task-store.js';

/** The stores of one project, backed by one file or connection. */
export interface ProjectStore {
  /** Runs, events and restart counts. */
  readonly history: HistoryStore;
  /** What the user last asked of each process. */
  readonly desired: DesiredStateStore;
  /** The last fire time each schedule took. */
  readonly schedules: ScheduleStore;
  /** Each task as last seen, ended ones up to `settings.tasks.history`. */
  readonly tasks: TaskStore;
  /** Lets go of what backs the stores (a file's connection), last; closing twice is harmless. */
  close(): void;
}

/** How a project's store is opened. */
export interface ProjectStoreOptions {
  /** Bounds of the history kept. Default: every default of {@link HistoryRetention}. */
  readonly history?: HistoryRetention;
}
