/**
 * Every default of a config, in one place: what a key left out of overseer.yaml (or out of
 * a definition given to `Supervisor.add()`) comes to. Documented in docs/configuration.md
 * and docs/library.md; the config layer applies them, the runtime reads the log rotation.
 *
 * Plain data with no imports, so that every layer may read it and nothing it reads can
 * depend on it in turn.
 */
export const DEFAULTS = {
  /** `kind`: a long-lived service. A job's restart policy defaults to `never` instead. */
  kind: 'service',
  priority: 'normal',
  /** `namespace`: where a process is unless it says otherwise. */
  namespace: 'default',
  restart: {
    /** For a service; a job's is `never`. */
    policy: 'always',
    maxRestarts: 10,
    windowMs: 60_000,
    delayMs: 1_000,
    factor: 2,
    /** Raised to `delay` when `delay` is longer: the backoff never shrinks below it. */
    maxDelayMs: 30_000,
    minUptimeMs: 1_000,
    exitCodes: [0],
  },
  readiness: { intervalMs: 1_000, timeoutMs: 1_000, failureThreshold: 3, initialDelayMs: 0 },
  liveness: { intervalMs: 10_000, timeoutMs: 1_000, failureThreshold: 3, initialDelayMs: 0 },
  stop: { signal: 'SIGTERM', timeoutMs: 10_000 },
  /** `schedule:` keys other than the cron expression. */
  schedule: { overlap: 'skip', runOnStart: false },
  /** `watch.debounce`: an editor's save, a build's burst of writes, are one change. */
  watchDebounceMs: 500,
  /** `restart.max_cooldown` when only `cooldown` is given: the breaker's longest wait. */
  maxCooldownMs: 3_600_000,
  /** As systemd's `DefaultTimeoutStartSec`: a slow boot fits, a hung one is noticed. */
  startTimeoutMs: 90_000,
  /** `limits:` keys other than the limits themselves (which are off unless given). */
  limits: {
    memoryAction: 'restart',
    cpuAction: 'alert',
    cpuWindowMs: 10_000,
    alertCooldownMs: 60_000,
  },
  /** Rotation of a process's log file: 10 MiB per file, 5 files (the current one and 4 rotated). */
  logs: { maxSize: 10 * 1024 * 1024, maxFiles: 5 },
  /** `settings.max_processes`: no limit on the children alive at once. */
  maxProcesses: Number.POSITIVE_INFINITY,
  /** `settings.tasks`: 1000 finished tasks remembered, 10 000 waiting at most. */
  tasks: { history: 1000, maxQueued: 10_000 },
  /**
   * `settings.retention`: per process, the last 100 ended runs (what `inspect` shows, and
   * more) and the last 1000 events (days of a process that restarts now and then).
   */
  retention: { runs: 100, events: 1000 },
  /** `settings.state_dir`, relative to the config file's folder. */
  stateDir: '.overseer',
  /**
   * `settings.workflows`: the runs of durable workflows in `<state_dir>/workflows.db`
   * unless `store` names another file or a PostgreSQL server, whose tables live in `schema`.
   */
  workflows: { file: 'workflows.db', schema: 'overseer' },
  /** `name` of a project whose config's folder has no name (the root folder). */
  projectName: 'overseer',
} as const;
