/**
 * What the command line needs of the daemon, which it does not import: the executable
 * that composes the two (`cli/main.ts`) hands these functions to the commands that start
 * a daemon, run one, or clean up after one that died. Each loads its part of the daemon
 * only when called, so `overseer ps` pays for none of it.
 */
import type { Project } from '../config/load.js';
import type { ProcessSpec } from '../core/process/spec.js';
import type { SupervisorApi } from '../protocol/api.js';
import type { DaemonControl } from '../protocol/daemon-control.js';
import type { WorkflowsApi } from '../protocol/workflows-api.js';
import type { SupervisorEngine } from '../runtime/supervisor/engine.js';

/** A daemon in this process: what a foreground `up` and `overseer daemon` drive. */
export interface LocalDaemon extends DaemonControl {
  /** The supervisor it runs: its output and events to print, its forced stop. */
  readonly supervisor: Pick<SupervisorEngine, 'list' | 'onAny' | 'onLog' | 'shutdown'>;
  /** The supervisor as its API serves it (what the user asks is remembered): the dashboard's. */
  readonly api: SupervisorApi;
  /** The project's durable workflows as its routes serve them: the dashboard's runs and letters. */
  readonly workflows: WorkflowsApi;
  /** Processes left by a supervisor that died, stopped when this one opened. */
  readonly orphansCleaned: number;
  /** Resolves once the daemon has stopped its stack and let go of the state dir. */
  readonly closed: Promise<void>;
  /**
   * Starts the named processes and their dependencies; with none, every process except
   * those stopped on request and what needs them.
   */
  up(names?: readonly string[]): Promise<unknown>;
  /** Applies the config file as it is now and logs what changed (what SIGHUP asks). */
  reload(): Promise<void>;
  /**
   * From now on, applies every change of the config file and its `env_file`s (`up --watch`);
   * resolves once they are watched.
   */
  watchConfig(): Promise<void>;
}

export interface DaemonSide {
  /** The `overseer` executable, run as `node <executable> daemon …` by `up -d`. */
  readonly executable: string;
  /**
   * Opens the supervisor of `project` in this process: takes the state dir's lock, ends
   * what a supervisor that died there left running, listens. Starts no process.
   */
  open(project: Project): Promise<LocalDaemon>;
  /**
   * Loads the daemon's code ahead of `open`, so that it loads while something else is
   * awaited (the project `up -d` is still loading); `open` alone loads it too.
   */
  prepare(): Promise<void>;
  /** The pid of the live supervisor holding the lock of `stateDir`, if any. */
  lockHolder(stateDir: string): Promise<number | undefined>;
  /**
   * With no live supervisor in `stateDir`: ends what a dead one left running, each process
   * stopped the way `specs` asks (SIGTERM, then SIGKILL after 10 s, for one not in them).
   * Resolves with how many processes it stopped. Throws `INVALID_STATE` while a live
   * supervisor holds the lock.
   */
  stopLeftovers(stateDir: string, specs: readonly ProcessSpec[]): Promise<number>;
}
