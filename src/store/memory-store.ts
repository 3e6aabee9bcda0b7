/**
 * The in-memory twin of the SQLite store: the same contract, nothing on disk. For tests and
 * for embedders who want history without a file.
 */
import type { SupervisorEvent } from '../core/events.js';
import {
  DEFAULT_MAX_EVENTS,
  type DesiredState,
  type ProcessMemory,
  type RecordedProcess,
  type RunEnd,
  type RunStart,
  type Store,
  type StoredEvent,
  type StoredRun,
} from './store.js';

export class MemoryStore implements Store {
  private readonly runs: StoredRun[] = [];
  private readonly events: StoredEvent[] = [];
  private readonly memory = new Map<string, ProcessMemory>();
  private nextEventId = 1;

  constructor(private readonly maxEvents = DEFAULT_MAX_EVENTS) {}

  startRun(run: RunStart): number {
    const id = this.runs.length + 1;
    this.runs.push({
      ...run,
      treeMark: run.treeMark ?? null,
      cgroup: run.cgroup ?? null,
      strays: [],
      id,
      endedAt: null,
      exitCode: null,
      signal: null,
      reason: null,
      killedAfterTimeout: false,
    });
    return id;
  }

  endRun(id: number, end: RunEnd): void {
    const run = this.runs[id - 1];
    if (run && run.endedAt === null) this.runs[id - 1] = { ...run, ...end, strays: [] };
  }

  addStrays(id: number, strays: readonly RecordedProcess[]): void {
    const run = this.runs[id - 1];
    if (!run || run.endedAt !== null) return;
    const kept = [...run.strays];
    for (const { pid, startTime } of strays) {
      if (!kept.some((seen) => seen.pid === pid && seen.startTime === startTime)) {
        kept.push({ pid, startTime });
      }
    }
    this.runs[id - 1] = { ...run, strays: kept };
  }

  unfinishedRuns(): StoredRun[] {
    return this.runs.filter((run) => run.endedAt === null);
  }

  recentRuns(process: string, limit: number): StoredRun[] {
    return this.runs.filter((run) => run.process === process).slice(-limit);
  }

  appendEvents(events: readonly SupervisorEvent[]): void {
    for (const event of events) this.events.push({ id: this.nextEventId++, event });
    if (this.events.length > this.maxEvents)
      this.events.splice(0, this.events.length - this.maxEvents);
  }

  recentEvents(limit: number): StoredEvent[] {
    return this.events.slice(-limit);
  }

  setDesiredState(process: string, desired: DesiredState): void {
    this.memory.set(process, { restarts: 0, ...this.memory.get(process), desired });
  }

  countRestart(process: string): void {
    const known = this.memory.get(process) ?? { desired: null, restarts: 0 };
    this.memory.set(process, { ...known, restarts: known.restarts + 1 });
  }

  processes(): Map<string, ProcessMemory> {
    return new Map(this.memory);
  }

  close(): void {}
}
