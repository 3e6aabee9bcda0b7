/**
 * The schema of the workflow store file (`workflows.db`), one migration per version, as
 * `migrations.ts` is for the project's file: a file of its own, since workers of several
 * processes share it and it grows with runs, not with the supervisor's history. Released
 * migrations are never edited, only appended to.
 *
 * JSON values are stored as their text (`input`, `output`, `error`, `step_failures`): SQL
 * NULL is an absent value, the text `null` a recorded null. `seq` orders runs and letters
 * as they were created, whatever their clocks said.
 */
export const WORKFLOW_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE runs (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    workflow TEXT NOT NULL,
    status TEXT NOT NULL
      CHECK (status IN ('pending', 'running', 'sleeping', 'completed', 'failed')),
    input TEXT NOT NULL,
    output TEXT,
    error TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    owner TEXT,
    lease_until INTEGER,
    wake_at INTEGER,
    step_failures TEXT NOT NULL DEFAULT '{}'
  );
  -- A claim walks only the unfinished runs (of its workflows), however many have finished.
  CREATE INDEX runs_claimable ON runs (workflow, seq)
    WHERE status IN ('pending', 'running', 'sleeping');
  CREATE INDEX runs_by_workflow ON runs (workflow, seq);

  CREATE TABLE steps (
    run_id TEXT NOT NULL REFERENCES runs (id),
    step_index INTEGER NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('step', 'sleep')),
    output TEXT,
    wake_at INTEGER,
    attempts INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    finished_at INTEGER NOT NULL,
    PRIMARY KEY (run_id, step_index)
  ) WITHOUT ROWID;

  CREATE TABLE dead_letters (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    run_id TEXT NOT NULL,
    workflow TEXT NOT NULL,
    step TEXT NOT NULL,
    step_index INTEGER NOT NULL,
    input TEXT NOT NULL,
    error TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    failed_at INTEGER NOT NULL
  );
  CREATE INDEX dead_letters_by_workflow ON dead_letters (workflow, seq);
  `,
];
