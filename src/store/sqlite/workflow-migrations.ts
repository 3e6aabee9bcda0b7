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
  // A watcher's poll for what changed, and the counts of a metrics scrape, read indexes
  // only; the steps are counted as they are recorded (a scrape must not read them all),
  // by workflow and bucket of `STEP_DURATION_BUCKETS_MS`, from those already recorded on.
  `
  CREATE INDEX runs_by_update ON runs (updated_at, seq);
  CREATE INDEX runs_by_status ON runs (workflow, status);

  CREATE TABLE step_totals (
    workflow TEXT NOT NULL,
    bucket INTEGER NOT NULL,
    count INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    PRIMARY KEY (workflow, bucket)
  ) WITHOUT ROWID;
  INSERT INTO step_totals (workflow, bucket, count, duration_ms)
    SELECT runs.workflow, ${bucketOf('steps.finished_at - steps.started_at')}, COUNT(*),
      SUM(steps.finished_at - steps.started_at)
    FROM steps JOIN runs ON runs.id = steps.run_id
    WHERE steps.kind = 'step'
    GROUP BY 1, 2;
  `,
];

/**
 * SQL for the bucket of `STEP_DURATION_BUCKETS_MS` a duration falls in, the bounds of this
 * version written out: a migration must not change when the bounds do.
 */
function bucketOf(duration: string): string {
  const bounds = [
    5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000,
  ];
  const cases = bounds.map((bound, index) => `WHEN ${duration} <= ${bound} THEN ${index}`);
  return `CASE ${cases.join(' ')} ELSE ${bounds.length} END`;
}
