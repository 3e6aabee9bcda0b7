/**
 * The in-memory twin of the SQLite history: the same contract, nothing on disk. For tests and
 * for embedders who want history without a file.
 */
import type { SupervisorEvent } from '../../core/events.js';
import {
  DEFAULT_MAX_EVENTS,
  DEFAULT_MAX_RUNS_PER_PROCESS,
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
  private readonly maxEvents: number;
  private readonly maxRunsPerProcess: number;

  constructor(retention: HistoryRetention = {}) {
    this.maxEvents = retention.maxEvents ?? DEFAULT_MAX_EVENTS;
    this.maxRunsPerProcess = retention.maxRunsPerProcess ?? DEFAULT_MAX_RUNS_PER_PROCESS;
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
    if (this.events.length > this.maxEvents)
      this.events.splice(0, this.events.length - this.maxEvents);
  }

  recentEvents(limit: number): StoredEvent[] {
    return this.events.slice(-limit);
  }

  countRestart(process: string): void {
    this.restarts.set(process, (this.restarts.get(process) ?? 0) + 1);
  }

  restartCounts(): Map<string, number> {
    return new Map(this.restarts);
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
