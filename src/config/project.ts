/**
 * A loaded project, and the last step of loading one: from a validated and checked config
 * to the settings and specs the supervisor runs, every default applied.
 */
import { basename, dirname, join, resolve } from 'node:path';
import type { HostPort } from '../core/address.js';
import { ALERT_DEFAULTS, type AlertSettings } from '../core/alerts/delivery.js';
import { type DashboardSettings, DEFAULT_DASHBOARD_SETTINGS } from '../core/dashboard-settings.js';
import { DEFAULTS } from '../core/defaults.js';
import { DEFAULT_LOG_SETTINGS, type LogCategory, type LogSettings } from '../core/logging.js';
import type { LogRotation, ProcessSpec } from '../core/process/spec.js';
import type { SandboxPolicy, SandboxRules } from '../core/sandbox/sandbox.js';
import type { DependencyGraph } from '../core/stack/graph.js';
import { isPostgresUrl } from '../core/workflows/store-location.js';
import { expandInstances } from './normalize.js';
import type { ParsedProcessDefinition } from './process-schema.js';
import type { ParsedProject } from './project-schema.js';

/** A loaded, validated project: everything the daemon needs to run it. */
export interface Project {
  readonly name: string;
  /** Absolute path of the config file. */
  readonly configPath: string;
  /** The config file's folder: relative paths in the config are resolved against it. */
  readonly baseDir: string;
  readonly settings: ProjectSettings;
  /** `settings` as written (validated, no default applied): what an export must account for. */
  readonly writtenSettings: ParsedProject['settings'];
  /** The process entries as validated, each with its name, in declaration order. */
  readonly definitions: readonly ParsedProcessDefinition[];
  /** The entries expanded to one spec per instance. */
  readonly specs: readonly ProcessSpec[];
  /** Declared names, layer by layer: each layer depends only on earlier ones. */
  readonly startOrder: readonly (readonly string[])[];
  /** Who depends on whom, by declared name: built once here, used by whoever plans a start. */
  readonly graph: DependencyGraph;
}

export interface ProjectSettings {
  readonly maxProcesses: number;
  /** Absolute path. */
  readonly stateDir: string;
  readonly api: { readonly listen: ListenAddress | undefined; readonly token: string | undefined };
  /** Rotation of every process's log file in `<stateDir>/logs`, unless the process sets its own. */
  readonly logs: LogRotation;
  /** `settings.log`: the supervisor's own log; the environment may override it (core/logging.ts). */
  readonly log: LogSettings;
  /**
   * `settings.sandbox` as written, restricted paths made absolute; absent when not set. Give
   * it to the `Supervisor` (`sandbox` option) that runs the project's definitions.
   */
  readonly sandbox: SandboxRules | undefined;
  /**
   * `settings.sample_interval` in ms: between two resource samples of every process tree
   * (0: off). Absent when not set: sampling paces itself (the `Supervisor` default).
   */
  readonly sampleInterval: number | undefined;
  /** `settings.reload`: the daemon applies each change of the config file and its `env_file`s. */
  readonly reload: boolean;
  /** `settings.tasks`: finished tasks remembered, and how many may wait for a slot. */
  readonly tasks: { readonly history: number; readonly maxQueued: number };
  /** `settings.retention`: ended runs and events the store keeps per process. */
  readonly retention: { readonly runs: number; readonly events: number };
  /** `settings.tui`: the dashboard's cadence, log pane and colours, defaults applied. */
  readonly tui: DashboardSettings;
  /** `settings.workflows`: where the project's durable workflows keep their runs. */
  readonly workflows: WorkflowsSettings;
  /** `settings.alerts`, defaults applied; absent when not set (no alerts). */
  readonly alerts: AlertSettings | undefined;
}

export interface WorkflowsSettings {
  /** An absolute SQLite file path, or a `postgres://` URL. */
  readonly store: string;
  /** PostgreSQL's schema of the tables. */
  readonly schema: string;
}

/** Where the TCP listener binds. */
export type ListenAddress = HostPort;

/**
 * The project of a valid config: `sandbox` is its settings' rules, `sandboxes` what each
 * process's sandbox came to when it was checked. Applies the defaults and expands instances.
 */
export function normalizeProject(
  configPath: string,
  parsed: ParsedProject,
  sandbox: SandboxRules | undefined,
  sandboxes: ReadonlyMap<string, SandboxPolicy | undefined>,
): Omit<Project, 'startOrder' | 'graph'> {
  const baseDir = dirname(configPath);
  const definitions = Object.entries(parsed.processes).map(([name, entry]) => ({
    name,
    ...entry,
  }));
  const specs = definitions.flatMap((definition) =>
    expandInstances(definition, sandboxes.get(definition.name)),
  );
  const settings = parsed.settings ?? {};
  const stateDir = resolve(baseDir, settings.state_dir ?? DEFAULTS.stateDir);
  return {
    name: parsed.name ?? (basename(baseDir) || DEFAULTS.projectName),
    configPath,
    baseDir,
    settings: {
      maxProcesses: settings.max_processes ?? DEFAULTS.maxProcesses,
      stateDir,
      api: { listen: settings.api?.listen, token: settings.api?.token },
      logs: {
        maxSize: settings.logs?.max_size ?? DEFAULTS.logs.maxSize,
        maxFiles: settings.logs?.max_files ?? DEFAULTS.logs.maxFiles,
      },
      log: logSettings(settings.log),
      sandbox,
      sampleInterval: settings.sample_interval,
      reload: settings.reload ?? false,
      tasks: {
        history: settings.tasks?.history ?? DEFAULTS.tasks.history,
        maxQueued: settings.tasks?.max_queued ?? DEFAULTS.tasks.maxQueued,
      },
      retention: {
        runs: settings.retention?.runs ?? DEFAULTS.retention.runs,
        events: settings.retention?.events ?? DEFAULTS.retention.events,
      },
      tui: dashboardSettings(settings.tui),
      workflows: workflowsSettings(settings.workflows, baseDir, stateDir),
      alerts: alertSettings(settings.alerts),
    },
    writtenSettings: parsed.settings,
    definitions,
    specs,
  };
}

/** `settings.alerts` as written, defaults applied. */
function alertSettings(
  written: NonNullable<ParsedProject['settings']>['alerts'],
): AlertSettings | undefined {
  if (!written) return undefined;
  return {
    command: written.command,
    webhook: written.webhook,
    headers: written.headers ?? {},
    cooldownMs: written.cooldown ?? ALERT_DEFAULTS.cooldownMs,
    on: written.on ? [...new Set(written.on)] : ALERT_DEFAULTS.on,
    timeoutMs: written.timeout ?? ALERT_DEFAULTS.timeoutMs,
    retries: written.retries ?? ALERT_DEFAULTS.retries,
  };
}

/** `settings.workflows` as written: a file path made absolute, a URL as it is. */
function workflowsSettings(
  written: NonNullable<ParsedProject['settings']>['workflows'],
  baseDir: string,
  stateDir: string,
): WorkflowsSettings {
  const store = written?.store;
  return {
    store:
      store === undefined
        ? join(stateDir, DEFAULTS.workflows.file)
        : isPostgresUrl(store)
          ? store
          : resolve(baseDir, store),
    schema: written?.schema ?? DEFAULTS.workflows.schema,
  };
}

/** `settings.tui` as written, each colour left out taken from the default theme. */
function dashboardSettings(
  written: NonNullable<ParsedProject['settings']>['tui'],
): DashboardSettings {
  const defaults = DEFAULT_DASHBOARD_SETTINGS;
  return {
    refreshMs: written?.refresh ?? defaults.refreshMs,
    logLines: written?.log_lines ?? defaults.logLines,
    theme: { ...defaults.theme, ...written?.theme },
  };
}

/** `settings.log` as written, defaults applied; `all` anywhere in the list means every category. */
function logSettings(written: NonNullable<ParsedProject['settings']>['log']): LogSettings {
  const listed = written?.categories;
  const categories =
    listed === undefined || listed.includes('all')
      ? DEFAULT_LOG_SETTINGS.categories
      : [...new Set(listed as LogCategory[])];
  return { level: written?.level ?? DEFAULT_LOG_SETTINGS.level, categories };
}
