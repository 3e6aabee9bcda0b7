/**
 * The in-memory twin of the SQLite history: the same contract, nothing on disk. For tests and
 * for embedders who want history without a file.
 */
import type { SupervisorEvent } from '../../core/events.js';
import {
  DEFAULT_MAX_EVENTS_PER_PROCESS,
  DEFAULT_MAX_RUNS_PER_PROCESS,
  eventOwner,
  type HistoryRetention,
  type HistoryStore,
  type RecordedProcess,
  type RunEnd,
  type RunStart,
  type StoredEvent,
  type StoredRun,
} from '../history-store.js';

/** Runs, events and restart counts in memory, each bound enforced at every write. */
export class MemoryHistoryStore implements HistoryStore {
  /** By id, which is also their order. */
  private readonly runs = new Map<number, StoredRun>();
  private readonly events: StoredEvent[] = [];
  private readonly restarts = new Map<string, number>();
  private nextRunId = 1;
  private nextEventId = 1;
  private maxEventsPerProcess: number = DEFAULT_MAX_EVENTS_PER_PROCESS;
  private maxRunsPerProcess: number = DEFAULT_MAX_RUNS_PER_PROCESS;

  constructor(retention: HistoryRetention = {}) {
    this.bound(retention);
  }

  startRun(run: RunStart): number {
    this.trimRuns(run.process);
    const id = this.nextRunId++;
    this.runs.set(id, {
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
    const run = this.runs.get(id);
    if (run && run.endedAt === null) this.runs.set(id, { ...run, ...end, strays: [] });
  }

  forgetRun(id: number): void {
    this.runs.delete(id);
  }

  addStrays(id: number, strays: readonly RecordedProcess[]): void {
    const run = this.runs.get(id);
    if (!run || run.endedAt !== null) return;
    const kept = [...run.strays];
    for (const { pid, startTime } of strays) {
      if (!kept.some((seen) => seen.pid === pid && seen.startTime === startTime)) {
        kept.push({ pid, startTime });
      }
    }
    this.runs.set(id, { ...run, strays: kept });
  }

  unfinishedRuns(): StoredRun[] {
    return [...this.runs.values()].filter((run) => run.endedAt === null);
  }

  recentRuns(process: string, limit: number): StoredRun[] {
    return [...this.runs.values()].filter((run) => run.process === process).slice(-limit);
  }

  appendEvents(events: readonly SupervisorEvent[]): void {
    for (const event of events) this.events.push({ id: this.nextEventId++, event });
    this.trimEvents(new Set(events.map(eventOwner)));
  }

  recentEvents(limit: number, process?: string): StoredEvent[] {
    const events =
      process === undefined
        ? this.events
        : this.events.filter((item) => eventOwner(item.event) === process);
    return events.slice(-limit);
  }

  countRestart(process: string): void {
    this.restarts.set(process, (this.restarts.get(process) ?? 0) + 1);
  }

  restartCounts(): Map<string, number> {
    return new Map(this.restarts);
  }

  setRetention(retention: HistoryRetention): void {
    this.bound(retention);
    for (const process of new Set([...this.runs.values()].map((run) => run.process))) {
      this.trimRuns(process);
    }
    this.trimEvents(new Set(this.events.map((item) => eventOwner(item.event))));
  }

  private bound(retention: HistoryRetention): void {
    this.maxEventsPerProcess = retention.maxEventsPerProcess ?? DEFAULT_MAX_EVENTS_PER_PROCESS;
    this.maxRunsPerProcess = retention.maxRunsPerProcess ?? DEFAULT_MAX_RUNS_PER_PROCESS;
  }

  /** Drops the oldest events of each of `owners` beyond the bound, in one pass. */
  private trimEvents(owners: ReadonlySet<string | null>): void {
    const excess = new Map<string | null, number>();
    for (const owner of owners) {
      let count = 0;
      for (const item of this.events) if (eventOwner(item.event) === owner) count += 1;
      if (count > this.maxEventsPerProcess) excess.set(owner, count - this.maxEventsPerProcess);
    }
    if (excess.size === 0) return;
    const kept = this.events.filter((item) => {
      const owner = eventOwner(item.event);
      const left = excess.get(owner) ?? 0;
      if (left === 0) return true;
      excess.set(owner, left - 1);
      return false;
    });
    this.events.splice(0, this.events.length, ...kept);
  }

  /** Drops the oldest ended runs of `process` beyond the bound; unfinished ones stay. */
  private trimRuns(process: string): void {
    const ended = [...this.runs.values()].filter(
      (run) => run.process === process && run.endedAt !== null,
    );
    const excess = ended.length - this.maxRunsPerProcess;
    for (const run of ended.slice(0, Math.max(0, excess))) this.runs.delete(run.id);
  }
}
