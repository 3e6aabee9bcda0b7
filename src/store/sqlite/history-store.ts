/**
 * The history in the project's SQLite file: every write below is one statement or one
 * transaction, so a kill at any moment leaves the last committed record intact.
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
import type { SqliteDatabase } from './database.js';

/** Retention is enforced every this many writes, not at each: a delete per insert is waste. */
const TRIM_EVERY = 256;

/** The `process` column of an event (see `eventOwner`). */
type EventOwner = string | null;

interface RunRow {
  id: number;
  process: string;
  pid: number;
  pid_start_time: number | null;
  boot_id: string | null;
  started_at: number;
  ended_at: number | null;
  exit_code: number | null;
  signal: string | null;
  reason: string | null;
  killed_after_timeout: number;
  tree_mark: string | null;
  cgroup: string | null;
  /** `pid:start_time` pairs, comma-separated, or null. */
  strays: string | null;
}

/** Runs, events and restart counts in a store file opened by `openDatabase`. */
export class SqliteHistoryStore implements HistoryStore {
  private maxEventsPerProcess: number = DEFAULT_MAX_EVENTS_PER_PROCESS;
  private maxRunsPerProcess: number = DEFAULT_MAX_RUNS_PER_PROCESS;
  private writesSinceTrim = 0;
  /** Processes written to since the last trim: only theirs can be over a bound. */
  private readonly runsTouched = new Set<string>();
  private readonly eventsTouched = new Set<EventOwner>();
  private readonly statements;
  private readonly appendAll: (events: readonly SupervisorEvent[]) => void;
  private readonly trimAll: () => void;
  private readonly addAllStrays: (run: { id: number; strays: readonly RecordedProcess[] }) => void;

  /** Uses `db` without owning it: whoever opened the connection closes it. */
  constructor(db: SqliteDatabase, retention: HistoryRetention = {}) {
    this.bound(retention);
    this.statements = prepare(db);
    this.trimAll = db.transaction(() => {
      const runOwners = this.statements.runOwners.all() as Array<{ process: string }>;
      const eventOwners = this.statements.eventOwners.all() as Array<{ process: EventOwner }>;
      for (const { process } of runOwners) this.trimRunsOf(process);
      for (const { process } of eventOwners) this.trimEventsOf(process);
    });
    // One transaction for a batch: a commit per event was most of the cost of starting a
    // stack of 100 (400 events, each its own write to the WAL).
    this.appendAll = db.transaction((events: readonly SupervisorEvent[]) => {
      for (const event of events) {
        this.trimNow();
        const process = eventOwner(event);
        this.eventsTouched.add(process);
        this.statements.appendEvent.run({
          at: event.at,
          type: event.type,
          process,
          data: JSON.stringify(event),
        });
      }
    });
    // Only while the run is unfinished: strays of an ended run mean nothing to a successor.
    this.addAllStrays = db.transaction(
      (run: { id: number; strays: readonly RecordedProcess[] }) => {
        for (const stray of run.strays) {
          this.statements.addStray.run({ id: run.id, pid: stray.pid, start_time: stray.startTime });
        }
      },
    );
  }

  startRun(run: RunStart): number {
    this.trimNow();
    this.runsTouched.add(run.process);
    const result = this.statements.startRun.run({
      process: run.process,
      pid: run.pid,
      pid_start_time: run.pidStartTime,
      boot_id: run.bootId,
      started_at: run.startedAt,
      tree_mark: run.treeMark ?? null,
      cgroup: run.cgroup ?? null,
    });
    return Number(result.lastInsertRowid);
  }

  endRun(id: number, end: RunEnd): void {
    this.statements.endRun.run({
      id,
      ended_at: end.endedAt,
      exit_code: end.exitCode,
      signal: end.signal,
      reason: end.reason,
      killed_after_timeout: end.killedAfterTimeout ? 1 : 0,
    });
    this.statements.forgetStrays.run({ id });
  }

  forgetRun(id: number): void {
    this.statements.forgetStrays.run({ id });
    this.statements.forgetRun.run({ id });
  }

  addStrays(id: number, strays: readonly RecordedProcess[]): void {
    if (strays.length === 0) return;
    this.addAllStrays({ id, strays });
  }

  unfinishedRuns(): StoredRun[] {
    return (this.statements.unfinishedRuns.all() as RunRow[]).map(runFromRow);
  }

  recentRuns(process: string, limit: number): StoredRun[] {
    const rows = this.statements.recentRuns.all({ process, limit }) as RunRow[];
    return rows.reverse().map(runFromRow);
  }

  appendEvents(events: readonly SupervisorEvent[]): void {
    if (events.length === 0) return;
    this.appendAll(events);
  }

  recentEvents(limit: number, process?: string): StoredEvent[] {
    const rows = (
      process === undefined
        ? this.statements.recentEvents.all({ limit })
        : this.statements.recentEventsOf.all({ limit, process })
    ) as Array<{ id: number; data: string }>;
    return rows.reverse().map((row) => ({ id: row.id, event: JSON.parse(row.data) }));
  }

  countRestart(process: string): void {
    this.statements.countRestart.run({ name: process });
  }

  restartCounts(): Map<string, number> {
    const rows = this.statements.restartCounts.all() as Array<{ name: string; restarts: number }>;
    return new Map(rows.map((row) => [row.name, row.restarts]));
  }

  setRetention(retention: HistoryRetention): void {
    this.bound(retention);
    this.trimAll();
  }

  /** The bounds from now on; what is beyond them goes at the next trim of each process. */
  private bound(retention: HistoryRetention): void {
    this.maxEventsPerProcess = retention.maxEventsPerProcess ?? DEFAULT_MAX_EVENTS_PER_PROCESS;
    this.maxRunsPerProcess = retention.maxRunsPerProcess ?? DEFAULT_MAX_RUNS_PER_PROCESS;
  }

  /**
   * Drops what is beyond the bounds, every `TRIM_EVERY` writes, for the processes written
   * to since the last time: two indexed deletes each, however long the history of others.
   */
  private trimNow(): void {
    this.writesSinceTrim += 1;
    if (this.writesSinceTrim < TRIM_EVERY) return;
    this.writesSinceTrim = 0;
    for (const process of this.runsTouched) this.trimRunsOf(process);
    for (const process of this.eventsTouched) this.trimEventsOf(process);
    this.runsTouched.clear();
    this.eventsTouched.clear();
  }

  private trimRunsOf(process: string): void {
    this.statements.trimRunsOf.run({ process, keep: this.maxRunsPerProcess });
  }

  private trimEventsOf(process: EventOwner): void {
    this.statements.trimEventsOf.run({ process, keep: this.maxEventsPerProcess });
  }
}

/** A run's strays as one column: `pid:start_time` pairs, comma-separated. */
const STRAYS_OF_RUN = `(SELECT group_concat(pid || ':' || start_time)
  FROM run_strays WHERE run_id = runs.id)`;

function prepare(db: SqliteDatabase) {
  return {
    startRun: db.prepare(
      `INSERT INTO runs (process, pid, pid_start_time, boot_id, started_at, tree_mark, cgroup)
       VALUES (@process, @pid, @pid_start_time, @boot_id, @started_at, @tree_mark, @cgroup)`,
    ),
    addStray: db.prepare(
      `INSERT OR IGNORE INTO run_strays (run_id, pid, start_time)
       SELECT @id, @pid, @start_time WHERE EXISTS (
         SELECT 1 FROM runs WHERE id = @id AND ended_at IS NULL)`,
    ),
    forgetStrays: db.prepare('DELETE FROM run_strays WHERE run_id = @id'),
    forgetRun: db.prepare('DELETE FROM runs WHERE id = @id'),
    endRun: db.prepare(
      `UPDATE runs SET ended_at = @ended_at, exit_code = @exit_code, signal = @signal,
         reason = @reason, killed_after_timeout = @killed_after_timeout
       WHERE id = @id AND ended_at IS NULL`,
    ),
    unfinishedRuns: db.prepare(
      `SELECT *, ${STRAYS_OF_RUN} AS strays FROM runs WHERE ended_at IS NULL ORDER BY id`,
    ),
    recentRuns: db.prepare(
      `SELECT *, ${STRAYS_OF_RUN} AS strays FROM runs WHERE process = @process
       ORDER BY id DESC LIMIT @limit`,
    ),
    appendEvent: db.prepare(
      'INSERT INTO events (at, type, process, data) VALUES (@at, @type, @process, @data)',
    ),
    recentEvents: db.prepare('SELECT id, data FROM events ORDER BY id DESC LIMIT @limit'),
    recentEventsOf: db.prepare(
      'SELECT id, data FROM events WHERE process = @process ORDER BY id DESC LIMIT @limit',
    ),
    // The row may hold a desired state too (see the desired-state store): only its count moves.
    countRestart: db.prepare(
      `INSERT INTO processes (name, restarts) VALUES (@name, 1)
       ON CONFLICT (name) DO UPDATE SET restarts = restarts + 1`,
    ),
    restartCounts: db.prepare(
      'SELECT name, restarts FROM processes WHERE restarts > 0 ORDER BY name',
    ),
    runOwners: db.prepare('SELECT DISTINCT process FROM runs'),
    eventOwners: db.prepare('SELECT DISTINCT process FROM events'),
    // The (keep + 1)-th newest record of the process and every older one go: none when it
    // has `keep` or fewer (the subquery is then null). Unfinished runs always stay.
    trimRunsOf: db.prepare(
      `DELETE FROM runs WHERE process = @process AND ended_at IS NOT NULL AND id <= (
         SELECT id FROM runs WHERE process = @process AND ended_at IS NOT NULL
         ORDER BY id DESC LIMIT 1 OFFSET @keep)`,
    ),
    trimEventsOf: db.prepare(
      `DELETE FROM events WHERE process IS @process AND id <= (
         SELECT id FROM events WHERE process IS @process ORDER BY id DESC LIMIT 1 OFFSET @keep)`,
    ),
  };
}

function runFromRow(row: RunRow): StoredRun {
  return {
    id: row.id,
    process: row.process,
    pid: row.pid,
    pidStartTime: row.pid_start_time,
    bootId: row.boot_id,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    exitCode: row.exit_code,
    signal: row.signal,
    reason: row.reason,
    killedAfterTimeout: row.killed_after_timeout === 1,
    treeMark: row.tree_mark,
    cgroup: row.cgroup,
    strays: (row.strays?.split(',') ?? []).map((pair) => {
      const [pid, startTime] = pair.split(':').map(Number);
      return { pid: pid!, startTime: startTime! };
    }),
  };
}
