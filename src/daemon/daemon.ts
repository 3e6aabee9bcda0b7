/**
 * The daemon: one supervisor for one project, reachable on `<state_dir>/overseer.sock` (and
 * TCP when configured), holding the state dir's lock while it lives.
 */

import { mkdirSync } from 'node:fs';
import type { Hono } from 'hono';
import type { Project } from '../config/load.js';
import { OverseerError } from '../core/errors.js';
import { countByStatus, stackStatus } from '../core/limits/stack-health.js';
import { categoryLevels } from '../core/logging.js';
import {
  type DesiredState,
  desiredStateOf,
  planUp,
  type Wish,
  withWish,
} from '../core/stack/desired-state.js';
import { describeUnknown } from '../core/stack/selector.js';
import type { Disposer } from '../core/subscription.js';
import {
  WORKFLOWS_SCHEMA_VARIABLE,
  WORKFLOWS_STORE_VARIABLE,
} from '../core/workflows/store-location.js';
import type { WorkflowStore } from '../core/workflows/workflow-store.js';
import type { SupervisorApi } from '../protocol/api.js';
import type { ApplyResult, DaemonControl, DaemonStatus } from '../protocol/daemon-control.js';
import { stateDirLayout } from '../protocol/state-dir.js';
import { storeWorkflowsApi, type WorkflowsApi } from '../protocol/workflows-api.js';
import { Alerts } from '../runtime/alerts/alerts.js';
import { SupervisorEngine } from '../runtime/supervisor/engine.js';
import { existingWorkflowStore } from '../store/existing-workflow-store.js';
import type { ProjectStore } from '../store/project-store.js';
import { openSqliteStore } from '../store/sqlite/project-store.js';
import { parseApplyBody } from './apply-body.js';
import { unwatchedOf } from './config-files.js';
import {
  type HistoryRecorder,
  historyRetention,
  recordHistory,
  restoreHistory,
} from './history.js';
import { type Listener, listen } from './listen.js';
import { acquireLock, type Lock } from './lock.js';
import { OpenStreams } from './open-streams.js';
import { recoverLeftovers } from './recovery.js';
import { createMonitoringRoutes } from './routes.js';
import { RunningConfig, specsOf } from './running-config.js';
import { recordFires, restoreFires } from './schedules.js';
import { servedApi } from './served-api.js';
import { logEvent, openSupervisorLog, type SupervisorLog } from './supervisor-log.js';
import { failTasksOfDeadSupervisor, recordTasks } from './task-history.js';
import { WorkflowWatch } from './workflow-events.js';
import { workflowMetrics } from './workflow-metrics.js';

/** The supervisor of one project, and the control of it as a whole (`DaemonControl`). */
/** How long a shutdown lets the followers of ended tasks read their last lines. */
const TASK_STREAMS_GRACE_MS = 2_000;

export class Daemon implements DaemonControl {
  readonly supervisor: SupervisorEngine;
  /** Resolves once the daemon has stopped its stack and closed its listeners. */
  readonly closed: Promise<void>;
  private listener: Listener | undefined;
  private stopping: Promise<void> | undefined;
  private markClosed: () => void = () => {};
  private readonly startedAt = Date.now();
  /** The streams of tasks' output being followed. */
  private readonly taskStreams = new OpenStreams();
  /** What was asked of each instance: one stopped on request stays stopped, here and in the next supervisor. */
  private desired: DesiredState;
  private leftoversStopped = 0;
  private served: SupervisorApi | undefined;
  private servedWorkflows: WorkflowsApi | undefined;
  private readonly history: HistoryRecorder;
  /** The project applied last, and applying it again. */
  private readonly config: RunningConfig;
  private readonly stopRecordingFires: () => void;
  private readonly stopRecordingTasks: () => void;
  /** The project's workflow store, opened by the first request that reads it. */
  private readonly workflowStore: WorkflowStore;
  private readonly workflowWatch: WorkflowWatch;
  /** `settings.alerts` at work, when set; taken up again with each config applied. */
  private alerts: Alerts | undefined;
  /** The alerts' watch of the workflow store, while `dead_letter` alerts are wanted. */
  private stopWatchingRuns: Disposer | undefined;
  /** Each process's namespace, for the alerts: built once per project applied. */
  private namespaces: { project: Project; of: Map<string, string> } | undefined;

  private constructor(
    project: Project,
    private readonly lock: Lock,
    private readonly store: ProjectStore,
    private readonly log: SupervisorLog,
  ) {
    this.supervisor = new SupervisorEngine({
      maxProcesses: project.settings.maxProcesses,
      cwd: project.baseDir,
      logDir: stateDirLayout(project.settings.stateDir).logDir,
      logRotation: project.settings.logs,
      sampleInterval: project.settings.sampleInterval,
      unwatched: unwatchedOf(project),
      tasks: project.settings.tasks,
      // A worker beside the config finds the project's runs wherever its cwd is.
      childEnv: {
        [WORKFLOWS_STORE_VARIABLE]: project.settings.workflows.store,
        [WORKFLOWS_SCHEMA_VARIABLE]: project.settings.workflows.schema,
      },
      // Our own listeners (the store, the log, API streams): one that throws is a bug to
      // see in the log, never a reason for the daemon to die.
      onListenerError: (error) =>
        log.for('supervisor').error({ err: error }, 'a listener threw; it was skipped'),
      log: log.for,
      onWatch: {
        ready: (name, { paths }) => log.for('watch').info({ name, paths }, 'watching'),
        error: (name, err) => log.for('watch').error({ name, err }, 'the watch failed'),
      },
    });
    for (const name of project.definitions.map((definition) => definition.name)) {
      this.supervisor.declare(specsOf(project, name));
    }
    this.desired = desiredStateOf([...store.desired.desiredStates()]);
    const storeError = (error: unknown) =>
      log.for('store').error({ err: error }, 'could not record to the store');
    this.history = recordHistory(this.supervisor, store.history, storeError);
    restoreFires(this.supervisor, store.schedules);
    this.stopRecordingFires = recordFires(this.supervisor, store.schedules, storeError);
    this.stopRecordingTasks = recordTasks(
      this.supervisor,
      store,
      () => this.config.project.settings.tasks.history,
      storeError,
    );
    this.supervisor.onAny((event) => logEvent(log, event));
    this.config = new RunningConfig(project, {
      supervisor: this.supervisor,
      schedules: store.schedules,
      history: store.history,
      log,
      desired: () => this.desired,
      up: (names) => this.up(names),
      settingsApplied: (next) => this.applyAlerts(next),
    });
    this.workflowStore = existingWorkflowStore(
      project.settings.workflows.store,
      project.settings.workflows.schema,
    );
    this.workflowWatch = new WorkflowWatch(this.workflowStore, {
      onError: (error) =>
        log.for('store').warn({ err: error }, 'could not read the workflow store'),
    });
    this.applyAlerts(project);
    this.closed = new Promise((resolve) => {
      this.markClosed = resolve;
    });
  }

  /**
   * Takes the state dir's lock, opens its store, stops what a supervisor that died there
   * left running, declares the project's processes and starts listening. Processes are
   * started by `up()`, so clients can watch them come up.
   */
  static async open(project: Project): Promise<Daemon> {
    const { stateDir, api } = project.settings;
    // Before anything is created: an unknown level or category in the environment is a
    // usage error, not a log quieter than was asked for.
    const levels = categoryLevels(project.settings.log, process.env);
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    const lock = acquireLock(stateDir);
    let store: ProjectStore | undefined;
    let log: SupervisorLog | undefined;
    try {
      log = openSupervisorLog(stateDir, project.settings.logs, levels);
      store = openSqliteStore(stateDirLayout(stateDir).store);
      // At once, not at the next writes: a bound narrowed while no daemon ran applies to
      // processes that will write nothing more (removed, or quiet).
      store.history.setRetention(historyRetention(project.settings.retention));
      const daemon = new Daemon(project, lock, store, log);
      daemon.supervisor.announce({ type: 'supervisor:started', at: Date.now(), pid: process.pid });
      daemon.leftoversStopped = await recoverLeftovers(store.history, project.specs);
      if (daemon.leftoversStopped > 0) {
        log
          .for('supervisor')
          .warn(
            { count: daemon.leftoversStopped },
            'stopped processes left by a supervisor that died',
          );
        daemon.supervisor.announce({
          type: 'supervisor:orphans-cleaned',
          at: Date.now(),
          count: daemon.leftoversStopped,
        });
      }
      // Their tries' trees were just ended with the other leftovers: report them ended too.
      const tasksLost = failTasksOfDeadSupervisor(store.tasks);
      if (tasksLost > 0) {
        log
          .for('supervisor')
          .warn({ count: tasksLost }, 'tasks of a supervisor that died reported failed');
      }
      // Only now: the runs recovery just closed are part of the history carried over.
      restoreHistory(daemon.supervisor, store.history);
      const tcp = api.listen && api.token ? { ...api.listen, token: api.token } : undefined;
      daemon.listener = await listen(daemon.routes(), {
        socketPath: stateDirLayout(stateDir).socket,
        tcp,
      });
      return daemon;
    } catch (error) {
      log?.for('supervisor').error({ err: error }, 'could not start');
      store?.close();
      await log?.close();
      lock.release();
      throw error;
    }
  }

  get configPath(): string {
    return this.config.project.configPath;
  }

  /** Processes left by a supervisor that died, stopped when this one opened. */
  get orphansCleaned(): number {
    return this.leftoversStopped;
  }

  /** The TCP port bound, when TCP is on. */
  get tcpPort(): number | undefined {
    return this.listener?.tcpPort;
  }

  /**
   * Starts the named processes and their dependencies, which clears their stopped-on-request
   * mark; with no names, every process except those stopped on request and what needs them.
   */
  up(names?: readonly string[]): Promise<unknown> {
    const { specs, graph } = this.config.project;
    const plan = planUp(this.desired, specs, graph, names);
    // Named one at a time, as the supervisor would: the first unknown name is the error.
    if (!plan.ok) throw new OverseerError('UNKNOWN_PROCESS', describeUnknown([plan.unknown[0]!]));
    this.remember(plan.wanted, 'running');
    return this.supervisor.up(plan.start);
  }

  /** Records what the user asked of these instances, for this supervisor and the next. */
  private remember(names: readonly string[], wish: Wish): void {
    for (const name of names) this.store.desired.setDesiredState(name, wish);
    this.desired = withWish(this.desired, names, wish);
  }

  /**
   * Reads the config file again and applies it (see `RunningConfig.apply`): what changed
   * starts, restarts or stops, the rest is left alone. One apply at a time.
   */
  apply(names?: readonly string[]): Promise<ApplyResult> {
    return this.config.apply(names);
  }

  /** `up --watch`: applies every later change of the config, whatever `settings.reload` says. */
  watchConfig(): Promise<void> {
    return this.config.watchForRun();
  }

  /** What SIGHUP means to a daemon, as to most: read your config again (and log what changed). */
  reload(): Promise<void> {
    return this.config.reapply();
  }

  /** The stack's health, this process, and the project it runs. */
  async status(): Promise<DaemonStatus> {
    const processes = this.supervisor.list();
    const { project } = this.config;
    const rejected = this.config.rejection;
    return {
      status: stackStatus(processes),
      pid: process.pid,
      uptimeMs: Date.now() - this.startedAt,
      counts: countByStatus(processes),
      project: project.name,
      configPath: project.configPath,
      orphansCleaned: this.leftoversStopped,
      dashboard: project.settings.tui,
      ...(rejected && { configRejected: rejected }),
    };
  }

  /**
   * Takes up `settings.alerts` of the config in force: the alerts begin, change or end with
   * it. Dead-lettered runs are watched for only while `dead_letter` alerts are wanted: the
   * watch looks at the workflow store twice a second (a missing SQLite file is not opened).
   */
  private applyAlerts(project: Project): void {
    const settings = project.settings.alerts;
    if (!settings) {
      this.stopWatchingRuns?.();
      this.stopWatchingRuns = undefined;
      const ending = this.alerts;
      this.alerts = undefined;
      void ending?.close();
      return;
    }
    const options = {
      ...settings,
      project: project.name,
      cwd: project.baseDir,
      log: this.log.for('alerts'),
    };
    if (this.alerts) this.alerts.configure(options);
    else {
      this.alerts = new Alerts(options);
      this.alerts.watch(this.supervisor, (name) => this.namespaceOf(name));
    }
    const wantsRuns = settings.on.includes('dead_letter');
    if (wantsRuns && !this.stopWatchingRuns) {
      this.stopWatchingRuns = this.alerts.watchWorkflows(this.workflowWatch);
    } else if (!wantsRuns && this.stopWatchingRuns) {
      this.stopWatchingRuns();
      this.stopWatchingRuns = undefined;
    }
  }

  private namespaceOf(name: string): string | null {
    const { project } = this.config;
    if (this.namespaces?.project !== project) {
      const of = new Map(project.specs.map((spec) => [spec.name, spec.namespace]));
      this.namespaces = { project, of };
    }
    const known = this.namespaces.of.get(name);
    if (known !== undefined) return known;
    // An instance added by `scale` since: the supervisor knows it.
    return this.supervisor.get(name).namespace;
  }

  /** Stops the stack in reverse dependency order, closes the listeners, lets go of the lock. */
  shutdown(): Promise<void> {
    this.stopping ??= (async () => {
      try {
        await this.config.close();
        await this.supervisor.shutdown();
        // Every task is over now: its followers get their last lines and `end` first.
        await this.taskStreams.finished(TASK_STREAMS_GRACE_MS);
        await this.listener?.close();
      } finally {
        this.history.stop();
        this.stopRecordingFires();
        this.stopRecordingTasks();
        this.store.close();
        this.stopWatchingRuns?.();
        await this.workflowWatch.close();
        // A short, bounded grace for what is still queued: `down` never waits on a receiver.
        await this.alerts?.close();
        await this.workflowStore.close().catch(() => {});
        await this.log.close();
        this.lock.release();
        this.markClosed();
      }
    })();
    return this.stopping;
  }

  /**
   * The supervisor as the API serves it (what the user asks is remembered): the routes, and
   * the dashboard of a foreground `up`, drive this one.
   */
  get api(): SupervisorApi {
    this.served ??= this.serve();
    return this.served;
  }

  /** The project's durable workflows, read from its store: the routes and the dashboard. */
  get workflows(): WorkflowsApi {
    this.servedWorkflows ??= storeWorkflowsApi(this.workflowStore);
    return this.servedWorkflows;
  }

  private serve(): SupervisorApi {
    const remember = (names: readonly string[], wish: Wish) => this.remember(names, wish);
    const taskContext = async () => {
      const { project } = this.config;
      // Loaded by the first task, with the task schema: not a weight of every daemon.
      const { settingsSandbox } = await import('../config/sandbox.js');
      return { sandbox: settingsSandbox(project.settings.sandbox), baseDir: project.baseDir };
    };
    const pastTasks = {
      store: this.store.tasks,
      keep: () => this.config.project.settings.tasks.history,
    };
    return servedApi(this.supervisor, remember, this.startedAt, taskContext, pastTasks);
  }

  private routes(): Hono {
    const api = this.log.for('api');
    const app = createMonitoringRoutes(this.api, {
      startedAt: this.startedAt,
      containment: this.supervisor.containment,
      onRequest: (request) => api.debug(request, 'request'),
      taskStreams: this.taskStreams,
      workflows: this.workflows,
      workflowEvents: this.workflowWatch,
      metrics: workflowMetrics(this.workflowStore),
    });
    app.get('/daemon', async (c) => {
      const status = await this.status();
      return c.json(status, status.status === 'failing' ? 503 : 200);
    });
    app.post('/daemon/shutdown', async (c) => {
      await this.supervisor.shutdown();
      // Answer first, then close the listeners (which would cut this very answer).
      setImmediate(() => void this.shutdown());
      return c.json({ stopped: true });
    });
    app.post('/daemon/apply', async (c) => {
      const { names, watch } = parseApplyBody(await c.req.text());
      const applied = await this.apply(names);
      if (watch) await this.watchConfig();
      return c.json(applied);
    });
    return app;
  }
}
