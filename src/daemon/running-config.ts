/**
 * The config a daemon runs, and applying it again: the file is read anew, what changed is
 * planned by core (core/stack/apply-plan.ts) and carried out on the supervisor, a scale is
 * undone, the change is announced (`config:applied`) and live reload follows the new files.
 * A config that does not load changes nothing and is told (`config:rejected`, the log,
 * `status`). Apart from the daemon, which serves it and holds what it acts through.
 */
import type { Project } from '../config/load.js';
import { OverseerError } from '../core/errors.js';
import { categoryLevels } from '../core/logging.js';
import type { ProcessSpec } from '../core/process/spec.js';
import { type ApplyPlan, planApply } from '../core/stack/apply-plan.js';
import { type DesiredState, startable } from '../core/stack/desired-state.js';
import { familyMembers, parseSelector, resolveSelectors } from '../core/stack/selector.js';
import type { ApplyResult, ConfigRejection } from '../protocol/daemon-control.js';
import type { SupervisorEngine } from '../runtime/supervisor/engine.js';
import type { HistoryStore } from '../store/history-store.js';
import type { ScheduleStore } from '../store/schedule-store.js';
import { applySideOf, envFileContents, rejectionIssues, unwatchedOf } from './config-files.js';
import { ConfigReload } from './config-reload.js';
import { historyRetention } from './history.js';
import { restoreFires } from './schedules.js';
import type { SupervisorLog } from './supervisor-log.js';

/** What applying acts through: the daemon's supervisor, store and log, and its `up`. */
export interface ApplyRooms {
  readonly supervisor: SupervisorEngine;
  readonly schedules: ScheduleStore;
  /** Bounded anew when `settings.retention` changes. */
  readonly history: HistoryStore;
  readonly log: SupervisorLog;
  /** What was asked of each instance, now: one stopped on request stays stopped. */
  readonly desired: () => DesiredState;
  /** The daemon's `up`: starts `names` and their dependencies, clearing their stopped mark. */
  readonly up: (names: readonly string[]) => Promise<unknown>;
  /** Takes up the settings of a config now in force that the daemon itself acts on (alerts). */
  readonly settingsApplied: (next: Project) => void;
}

/** The project a daemon runs, applied again on request, on SIGHUP and on a watched change. */
export class RunningConfig {
  private current: Project;
  /** What the `env_file`s held when the running config was applied: an edit is a change. */
  private envContents: ReadonlyMap<string, string | null>;
  /** The apply under way: the next waits for it. */
  private applying: Promise<unknown> = Promise.resolve();
  /** The last change of the config, while it is one that did not load. */
  private rejected: ConfigRejection | undefined;
  /** What loading the last rejected config threw: told once, as `config:rejected`. */
  private rejectedError: unknown;
  private readonly reloads: ConfigReload;

  constructor(
    project: Project,
    private readonly rooms: ApplyRooms,
  ) {
    this.current = project;
    this.envContents = envFileContents(project);
    this.reloads = new ConfigReload(() => this.apply(), rooms.log.for('config'));
    this.reloads.follow(project);
  }

  /** The project applied last. */
  get project(): Project {
    return this.current;
  }

  /** The last change of the config, while it is one that did not load. */
  get rejection(): ConfigRejection | undefined {
    return this.rejected;
  }

  /**
   * Reads the config file again and applies it: new processes start, changed ones restart
   * with their new definition (an edited `env_file` changes those that read it), removed
   * ones stop, the rest are left alone: `config:applied`. One that does not load changes
   * nothing: `config:rejected`. One apply at a time.
   */
  apply(names?: readonly string[]): Promise<ApplyResult> {
    const applied = this.applying.then(() => this.applyNow(names));
    this.applying = applied.catch((err: unknown) => {
      // A config that did not load was told already (`config:rejected`).
      if (err !== this.rejectedError) {
        this.rooms.log.for('config').error({ err }, 'the config was not applied');
      }
    });
    return applied;
  }

  /** `up --watch`: applies every later change of the config, whatever `settings.reload` says. */
  watchForRun(): Promise<void> {
    this.reloads.watchForRun(this.current);
    return this.reloads.ready;
  }

  /**
   * Applies the config file as it is now, as `up -d` on a running stack does, and logs what
   * changed; a config that does not load changes nothing and is logged. What SIGHUP means
   * to a daemon, as to most: read your config again.
   */
  async reapply(): Promise<void> {
    const log = this.rooms.log.for('config');
    // A failure is logged by `apply` itself.
    await this.apply().then(
      (applied) => log.info(applied, 'applied the config again (SIGHUP)'),
      () => {},
    );
  }

  /** Stops following the config's files. */
  close(): Promise<void> {
    return this.reloads.close();
  }

  private async applyNow(names?: readonly string[]): Promise<ApplyResult> {
    const { supervisor } = this.rooms;
    // What can fail comes first, before anything changes: loading, and the names asked for.
    // The config code is loaded here, not with the daemon: `up -d` hands it a loaded project.
    const { loadProject } = await import('../config/load.js');
    let next: Project;
    try {
      next = await loadProject(this.current.configPath);
    } catch (error) {
      this.rejectedError = error;
      this.reject(error);
      throw error;
    }
    const resolved = resolveSelectors(next.specs, (names ?? []).map(parseSelector));
    if (!resolved.ok) {
      throw new OverseerError('UNKNOWN_PROCESS', `${resolved.message} in ${next.configPath}`);
    }
    const envContents = envFileContents(next);
    const { added, changed, removed } = planApply(
      applySideOf(this.current, this.envContents),
      applySideOf(next, envContents),
    );

    // Never refused: a reload or scale of a process it replaces is waited for, a run
    // started meanwhile is stopped. Only a shutdown can end it halfway.
    supervisor.reconfigure({
      logRotation: next.settings.logs,
      maxProcesses: next.settings.maxProcesses,
      unwatched: unwatchedOf(next),
      tasks: next.settings.tasks,
    });
    // Once declared, the new config is in force; then what the change touched starts (with
    // names, those): the rest is left as it is. Not awaited: the caller watches them come up.
    const touched = new Set([...changed, ...added]);
    await supervisor.redeclare({
      retire: [...removed, ...changed],
      declare: [...touched].map((name) => specsOf(next, name)),
      order: next.definitions.map(({ name }) => name),
      start: () => {
        this.commit(next, envContents, { added, changed, removed });
        return names && names.length > 0
          ? this.rooms.up(names)
          : supervisor.up(startable(this.rooms.desired(), next.specs, next.graph, touched));
      },
    });
    await this.restoreScale(next, touched);
    return { started: [...added], restarted: [...changed], removed: [...removed] };
  }

  /** Makes `next` the config running, and says so (`config:applied`). */
  private commit(
    next: Project,
    envContents: ReadonlyMap<string, string | null>,
    plan: ApplyPlan,
  ): void {
    const { supervisor } = this.rooms;
    restoreFires(supervisor, this.rooms.schedules);
    this.rooms.log.setLevels(categoryLevels(next.settings.log, process.env));
    const { retention } = next.settings;
    const was = this.current.settings.retention;
    if (retention.runs !== was.runs || retention.events !== was.events) {
      // A store that cannot trim now (a full disk) must not leave the apply halfway: the
      // bounds are taken anyway, and the next trim of each process applies them.
      try {
        this.rooms.history.setRetention(historyRetention(retention));
      } catch (err) {
        this.rooms.log
          .for('config')
          .error({ err }, 'the store could not drop the history beyond settings.retention now');
      }
    }
    this.rooms.settingsApplied(next);
    this.current = next;
    this.envContents = envContents;
    this.rejected = undefined;
    supervisor.announce({ type: 'config:applied', at: Date.now(), ...plan });
    this.reloads.follow(next);
  }

  /**
   * `scale` lasts until the config is applied again: a process scaled since, and not
   * declared anew (`redeclared`), runs its config's count again, its other instances
   * untouched, once a reload or scale of it under way is over. One that cannot is a warning
   * (the config is in force all the same; the next apply tries again).
   */
  private async restoreScale(next: Project, redeclared: ReadonlySet<string>): Promise<void> {
    const { supervisor } = this.rooms;
    const counts = next.definitions
      .filter(({ name }) => !redeclared.has(name))
      .map(({ name }) => [name, specsOf(next, name).length] as const)
      .filter(([name, count]) => supervisor.instanceNames(name).length !== count);
    const log = this.rooms.log.for('config');
    await Promise.all(
      counts.map(([name, count]) =>
        supervisor.scale(name, count, { wait: true }).catch((err: unknown) => {
          log.warn({ err, name, instances: count }, `${name} was not scaled back to ${count}`);
        }),
      ),
    );
  }

  /** A config that did not load (and so was not applied): announced, logged, shown in `status`. */
  private reject(error: unknown): void {
    const issues = rejectionIssues(error);
    this.rejected = { at: Date.now(), issues };
    this.rooms.log.for('config').warn({ issues }, 'the config was not applied; nothing changed');
    this.rooms.supervisor.announce({ type: 'config:rejected', ...this.rejected });
  }
}

/** The specs of every instance of the process `name` declares. */
export function specsOf(project: Project, name: string): ProcessSpec[] {
  return familyMembers(project.specs, name);
}
