/**
 * The schema of the store file, one migration per version: `MIGRATIONS[n]` takes a file from
 * version n to n + 1 (SQLite's `user_version`). One file backs every store of a project, so
 * their tables share this one sequence: `runs`, `run_strays` and `events` are the history's,
 * `processes` holds the history's restart counts beside the desired states, `schedules` the
 * last fire time of each schedule, `tasks` each task as last seen; a new store
 * brings its tables in a migration of its own. Released migrations are never edited, only
 * appended to.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    process TEXT NOT NULL,
    pid INTEGER NOT NULL,
    pid_start_time INTEGER,
    boot_id TEXT,
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    exit_code INTEGER,
    signal TEXT,
    reason TEXT,
    killed_after_timeout INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX runs_by_process ON runs (process, id);
  CREATE INDEX runs_unfinished ON runs (id) WHERE ended_at IS NULL;

  CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    type TEXT NOT NULL,
    process TEXT,
    data TEXT NOT NULL
  );

  CREATE TABLE processes (
    name TEXT PRIMARY KEY,
    desired TEXT CHECK (desired IN ('running', 'stopped')),
    restarts INTEGER NOT NULL DEFAULT 0
  );
  `,
  `
  ALTER TABLE runs ADD COLUMN tree_mark TEXT;
  ALTER TABLE runs ADD COLUMN cgroup TEXT;

  CREATE TABLE run_strays (
    run_id INTEGER NOT NULL,
    pid INTEGER NOT NULL,
    start_time INTEGER NOT NULL,
    PRIMARY KEY (run_id, pid, start_time)
  );
  `,
  `
  CREATE TABLE schedules (
    name TEXT PRIMARY KEY,
    last_fire_at INTEGER NOT NULL
  );
  `,
  `
  CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    queued_at INTEGER NOT NULL,
    data TEXT NOT NULL
  );
  CREATE INDEX tasks_by_age ON tasks (queued_at, id);
  `,
  // Retention is per process: each process's oldest events are found through this index.
  `
  CREATE INDEX events_by_process ON events (process, id);
  `,
];
