/** The in-memory twin of a project's SQLite store: every store of a project, nothing on disk. */
import type { ProjectStore, ProjectStoreOptions } from '../project-store.js';
import { MemoryDesiredStateStore } from './desired-state-store.js';
import { MemoryHistoryStore } from './history-store.js';
import { MemoryScheduleStore } from './schedule-store.js';
import { MemoryTaskStore } from './task-store.js';

/** A project's stores in memory, empty; closing them lets nothing go but is harmless. */
export function openMemoryStore(options: ProjectStoreOptions = {}): ProjectStore {
  return {
    history: new MemoryHistoryStore(options.history),
    desired: new MemoryDesiredStateStore(),
    schedules: new MemoryScheduleStore(),
    tasks: new MemoryTaskStore(),
    close: () => {},
  };
}
