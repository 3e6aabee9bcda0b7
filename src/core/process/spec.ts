/**
 * The normalized description of one supervised process: every default applied, every
 * duration in milliseconds. Produced once at the edge (see `config/`) and trusted after.
 */
import { DEFAULTS } from '../defaults.js';
import type { SandboxPolicy } from '../sandbox/sandbox.js';

/** What a process is for: a long-lived service, or a job that runs to completion. */
export type ProcessKind = 'service' | 'job';

/** Order in which waiting processes get a free slot: `critical` first. */
export type Priority = 'low' | 'normal' | 'high' | 'critical';

/** Whether a process that exited is started again. */
export type RestartPolicy = 'always' | 'on-failure' | 'never';

/** What a dependency must reach before its dependent may start. */
export type DependencyCondition = 'started' | 'healthy' | 'completed' | 'completed_successfully';

/** The ranking of priorities, highest served first. */
export const PRIORITY_RANK: Readonly<Record<Priority, number>> = {
  critical: 3,
  high: 2,
  normal: 1,
  low: 0,
};

export interface RestartSpec {
  readonly policy: RestartPolicy;
  /** Restarts allowed within `windowMs`; one more unexpected exit makes the process `failed`. */
  readonly maxRestarts: number;
  readonly windowMs: number;
  /** Backoff after the first short run; `delayMs × factor^(n-1)` for the n-th in a row. */
  readonly delayMs: number;
  readonly factor: number;
  readonly maxDelayMs: number;
  /** A run shorter than this is a failed start (crash loop); without a readiness probe it also gates `running`. */
  readonly minUptimeMs: number;
  /** Exit codes that count as success. */
  readonly exitCodes: readonly number[];
  /**
   * The restart circuit breaker: a process `failed` by a spent budget is tried once more
   * this long after (half-open); `undefined`: it stays failed until asked.
   */
  readonly cooldownMs?: number;
  /** Each failure of the half-open try doubles the cooldown, up to this. */
  readonly maxCooldownMs?: number;
}

/** How a probe decides: an HTTP answer, a TCP connect, a command's exit, or a line of output. */
export type ProbeCheck =
  | { readonly type: 'http'; readonly url: string }
  | { readonly type: 'tcp'; readonly host: string; readonly port: number }
  | { readonly type: 'exec'; readonly command: string }
  | { readonly type: 'log'; readonly pattern: string };

export interface ProbeSpec {
  readonly check: ProbeCheck;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Consecutive failures before the probe counts as failing. */
  readonly failureThreshold: number;
  readonly initialDelayMs: number;
}

export interface StopSpec {
  /** Sent to the whole process group first. */
  readonly signal: string;
  /** Then SIGKILL to the group after this long. */
  readonly timeoutMs: number;
}

export interface Dependency {
  /** The declared name of the dependency (all its instances must satisfy the condition). */
  readonly name: string;
  readonly condition: DependencyCondition;
  /** Restart the dependent whenever this dependency restarts (docker compose's `restart: true`). */
  readonly restart: boolean;
}

/** What a fire of a schedule does while the previous run is still going. */
export type ScheduleOverlap = 'skip' | 'queue' | 'replace';

/** When a scheduled process runs: a cron expression in a time zone. */
export interface ScheduleSpec {
  /** 5 fields, or 6 with seconds first. */
  readonly cron: string;
  /** An IANA time zone (`Europe/Paris`); `undefined`: the supervisor's local time. */
  readonly timezone: string | undefined;
  readonly overlap: ScheduleOverlap;
  /** Run once at `up` as well, instead of waiting for the first fire. */
  readonly runOnStart: boolean;
}

/** Files whose change restarts a service, or runs a job again. */
export interface WatchSpec {
  /** Files or folders, as written: relative ones from the supervisor's folder (the config's). */
  readonly paths: readonly string[];
  /** Globs of paths not to watch (`node_modules`, `**\/*.log`). */
  readonly ignore: readonly string[];
  /** Changes closer together than this are one change. */
  readonly debounceMs: number;
}

/** How big a log file may grow, and how many files of a process are kept. */
export interface LogRotation {
  /** Bytes; a file is rotated before it would grow past this. */
  readonly maxSize: number;
  /** Files kept, the current one included: `maxFiles - 1` rotated ones. */
  readonly maxFiles: number;
}

/** 10 MiB per file, 5 files (the current one and 4 rotated): `DEFAULTS.logs`. */
export const DEFAULT_LOG_ROTATION: LogRotation = DEFAULTS.logs;

/** The smallest `maxSize`: room for a line's time and stream, and some text. */
export const MIN_LOG_FILE_SIZE = 1024;

/** The account a child runs as (names or numeric ids); another than the supervisor's needs root. */
export interface RunAs {
  readonly user?: string;
  readonly group?: string;
}

/** What a memory limit does when the tree's resident memory goes over it. */
export type MemoryAction = 'restart' | 'stop' | 'alert';

/** What a CPU limit does when the tree's CPU use stays over it for `cpuWindowMs`. */
export type CpuAction = 'alert' | 'throttle' | 'restart';

/**
 * A warning threshold under a limit: a percent of the limit (`80%`), or for memory an
 * absolute size. Crossing it only reports (`process:limit` with action `warn`).
 */
export type WarnThreshold = { readonly percent: number } | { readonly bytes: number };

/**
 * Resource limits of one process, judged on its whole tree (the process and every
 * descendant). `restart` stops the run and lets the restart policy decide what follows;
 * `stop` ends the process `failed`; `alert` only reports; `throttle` holds the tree's CPU
 * to the limit by pausing and resuming it.
 */
export interface LimitsSpec {
  /** Resident memory (RSS) of the whole tree, in bytes; `undefined`: no limit. */
  readonly memoryBytes: number | undefined;
  readonly memoryAction: MemoryAction;
  /** `memory_warn`: a `warn` alert before the memory limit acts; needs `memoryBytes`. */
  readonly memoryWarn?: WarnThreshold;
  /** CPU of the whole tree in percent of one core (150 = one and a half cores). */
  readonly cpuPercent: number | undefined;
  readonly cpuAction: CpuAction;
  /** `cpu_warn`, in percent of `cpuPercent` (below 100): a `warn` alert before the CPU limit acts. */
  readonly cpuWarnPercent?: number;
  /** How long every sample must show the CPU over `cpuPercent` before it counts. */
  readonly cpuWindowMs: number;
  /** Wall-clock time a run may last before it is stopped with reason `max_runtime`. */
  readonly maxRuntimeMs: number | undefined;
  /** Hard limit on open file descriptors (RLIMIT_NOFILE, soft and hard), set at spawn. */
  readonly openFiles: number | undefined;
  /** An `alert`, `throttle` or open-files breach of one resource is announced at most once per this long. */
  readonly alertCooldownMs: number;
}

export interface ProcessSpec {
  /** Unique name: the declared name, or `name-N` for one of several instances. */
  readonly name: string;
  /** The declared name shared by all instances. */
  readonly family: string;
  /** 0-based instance number, passed to the child as `OVERSEER_INSTANCE`. */
  readonly instance: number;
  /** The group of processes commands and the dashboard act on together; `default` unless set. */
  readonly namespace: string;
  /** Free key/values, shown and filterable. */
  readonly labels: Readonly<Record<string, string>>;
  /** One line on what the process is for. */
  readonly description: string | undefined;
  /** A string runs through `/bin/sh -c`; an array is executed directly. */
  readonly command: string | readonly string[];
  readonly cwd: string | undefined;
  readonly env: Readonly<Record<string, string>>;
  readonly envFile: string | undefined;
  readonly kind: ProcessKind;
  readonly priority: Priority;
  readonly dependsOn: readonly Dependency[];
  readonly restart: RestartSpec;
  /** Gates `running`, `health` and `depends_on: healthy`; failing it never restarts. */
  readonly readiness: ProbeSpec | undefined;
  /** Failing it `failureThreshold` times in a row restarts the process. */
  readonly liveness: ProbeSpec | undefined;
  readonly stop: StopSpec;
  /**
   * A run whose readiness probe has not passed this long after it was admitted is stopped
   * and counts as a failed start, restarted per the policy; `undefined`: it may take
   * forever. Without a readiness probe it does not apply: `min_uptime` ends every start.
   */
  readonly startTimeoutMs: number | undefined;
  /** Log rotation of this process where it differs from the supervisor's (`settings.logs`). */
  readonly logs?: Partial<LogRotation>;
  /** The settings' sandbox narrowed by the process's own; absent when neither sets one. */
  readonly sandbox?: SandboxPolicy;
  /** `user` and `group` to run the child as; absent: the supervisor's own. */
  readonly runAs?: RunAs;
  /** Resource limits, when the process declares any. */
  readonly limits?: LimitsSpec;
  /** When it runs, for a process that runs on a schedule rather than at `up`. */
  readonly schedule?: ScheduleSpec;
  /** Files whose change restarts it. */
  readonly watch?: WatchSpec;
}
