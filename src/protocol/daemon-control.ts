/**
 * The control of a daemon as a whole, beside `SupervisorApi`'s control of its processes:
 * what `GET /daemon`, `POST /daemon/apply` and `POST /daemon/shutdown` serve. The HTTP
 * client implements it for the CLI, and the daemon itself in its own process.
 */
import type { DashboardSettings } from '../core/dashboard-settings.js';
import type { ConfigIssue } from '../core/events.js';
import type { HealthReport } from './api.js';

/** A daemon's health, plus what it runs. */
export interface DaemonStatus extends HealthReport {
  readonly project: string;
  readonly configPath: string;
  /** Processes left by a supervisor that died, stopped when this one started. */
  readonly orphansCleaned: number;
  /**
   * Present while the last change of the config failed to load: when, and why. What runs is
   * still the config applied before it; the next change that loads clears it.
   */
  readonly configRejected?: ConfigRejection;
  /** `settings.tui` of the config applied: how `top` shows this stack. */
  readonly dashboard: DashboardSettings;
}

/** A change of the config that was not applied, and its issues. */
export interface ConfigRejection {
  readonly at: number;
  readonly issues: readonly ConfigIssue[];
}

/** What applying a changed config did, by process name. */
export interface ApplyResult {
  readonly started: string[];
  readonly restarted: string[];
  readonly removed: string[];
}

export interface DaemonControl {
  /** The daemon's health and what it runs; answers even when the stack is failing. */
  status(): Promise<DaemonStatus>;
  /**
   * Reads the config file again and applies it: new processes start, changed ones restart,
   * removed ones stop; then starts `names` and their dependencies (with none, only what the
   * change touched). A config that does not load changes nothing.
   */
  apply(names?: readonly string[]): Promise<ApplyResult>;
  /** Stops the stack in reverse dependency order, then the daemon ends. */
  shutdown(): Promise<void>;
}
