/**
 * Loading a project config as a pipeline of small named steps:
 * find → read → parse → interpolate → validate → normalize → check the graph.
 * Each step either passes its result on or stops with every issue it found, each naming
 * its path (and, for YAML, its line and column). Nothing is started on a bad config.
 */
import { basename, dirname, extname, resolve } from 'node:path';
import type { HostPort } from '../core/address.js';
import { DEFAULTS } from '../core/defaults.js';
import type { SpecIssue } from '../core/errors.js';
import type { LogRotation, ProcessSpec } from '../core/process/spec.js';
import type { SandboxRules } from '../core/sandbox/sandbox.js';
import { type DependencyGraph, graphIssues, startLayers } from '../core/stack/graph.js';
import { coerceInterpolated } from './coerce.js';
import { ConfigError } from './files.js';
import { currentHost, type Host, hostIssues } from './host-checks.js';
import { PARSE_OPTIONS } from './messages.js';
import { expandInstances, issuesFromZod } from './normalize.js';
import {
  type ParsedProcessDefinition,
  processEntrySchema,
  processNameSchema,
} from './process-schema.js';
import { type ParsedProject, projectSchema, settingsSchema } from './project-schema.js';
import { reservedKeyIssues } from './reserved-keys.js';
import { processSandbox, sandboxRules, settingsSandbox } from './sandbox.js';
import { type RawConfig, readYamlConfig } from './yaml-source.js';

export type { RawConfig } from './yaml-source.js';

/** A loaded, validated project: everything the daemon needs to run it. */
export interface Project {
  readonly name: string;
  /** Absolute path of the config file. */
  readonly configPath: string;
  /** The config file's folder: relative paths in the config are resolved against it. */
  readonly baseDir: string;
  readonly settings: ProjectSettings;
  /** The process entries as validated, each with its name, in declaration order. */
  readonly definitions: readonly ParsedProcessDefinition[];
  /** The entries expanded to one spec per instance. */
  readonly specs: readonly ProcessSpec[];
  /** Declared names, layer by layer: each layer depends only on earlier ones. */
  readonly startOrder: readonly (readonly string[])[];
}

export interface ProjectSettings {
  readonly maxProcesses: number;
  /** Absolute path. */
  readonly stateDir: string;
  readonly api: { readonly listen: ListenAddress | undefined; readonly token: string | undefined };
  /** Rotation of every process's log file in `<stateDir>/logs`, unless the process sets its own. */
  readonly logs: LogRotation;
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
}

/** Where the TCP listener binds. */
export type ListenAddress = HostPort;

/**
 * Loads and checks a config file; throws `ConfigError` listing every issue found. `env` is
 * the environment `${VAR}` reads, and the supervisor's PATH that judges `allowed_commands`.
 */
export async function loadProject(
  configPath: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Project> {
  const raw = isScriptConfig(configPath)
    ? await importScriptConfig(configPath)
    : readYamlConfig(configPath, env);
  return projectFromRaw(configPath, raw, currentHost(env));
}

/**
 * Validates an already-parsed config object (YAML after interpolation, or a script's
 * export), then checks what it asks of `host`. Every issue is reported at once: the
 * schema's, and those of the sandbox, the machine and the dependency graph for whatever
 * parts of the config are valid on their own.
 */
export function projectFromRaw(
  configPath: string,
  raw: RawConfig,
  host: Host = currentHost(process.env),
): Project {
  const { parsed, value } = validate(raw);
  const usable = parsed.success ? parsed.data : validParts(value);
  const graph = dependencyGraphOf(raw.value, usable);
  const reserved = reservedKeyIssues(raw.value);
  const issues = [
    ...reserved,
    ...(parsed.success ? [] : issuesFromZod(parsed.error)),
    ...sandboxIssuesOf(configPath, usable),
    ...hostIssuesOf(configPath, usable, host),
    ...graphIssues(graph),
  ];
  if (!parsed.success || issues.length > 0) throw new ConfigError(configPath, raw.locate(issues));
  const project = normalizeProject(configPath, parsed.data);
  const clashes = nameClashes(project.specs);
  if (clashes.length > 0) throw new ConfigError(configPath, raw.locate(clashes));
  // Only once the graph has no cycle: startLayers recurses forever on one.
  return { ...project, startOrder: startLayers(graph) };
}

/**
 * Instance names that are also another entry's name (`web` with two instances and a
 * process `web-1`): commands, logs and the API could not tell them apart.
 */
function nameClashes(specs: readonly ProcessSpec[]): SpecIssue[] {
  const owners = new Map<string, ProcessSpec>();
  const issues: SpecIssue[] = [];
  for (const spec of specs) {
    const other = owners.get(spec.name);
    if (other === undefined) {
      owners.set(spec.name, spec);
      continue;
    }
    const instance = spec.name === spec.family ? other : spec;
    const process = instance === spec ? other : spec;
    issues.push({
      path: `processes.${instance.family}.instances`,
      message: `its instance ${instance.name} has the name of process ${process.family}`,
    });
  }
  return issues;
}

/**
 * The schema's verdict on the config, `${VAR}` values in number and boolean keys read as
 * such, and the value it was given (those values read).
 */
function validate(raw: RawConfig) {
  const parsed = projectSchema.safeParse(raw.value, PARSE_OPTIONS);
  if (parsed.success || raw.interpolated === undefined) return { parsed, value: raw.value };
  const coerced = coerceInterpolated(raw.value, parsed.error.issues, raw.interpolated);
  if (coerced === undefined) return { parsed, value: raw.value };
  return { parsed: projectSchema.safeParse(coerced, PARSE_OPTIONS), value: coerced };
}

/**
 * The parts of an invalid config that are valid on their own (the settings, each process
 * entry), so that what they ask of the machine is checked with the schema's issues.
 */
function validParts(value: unknown): ParsedProject {
  const { settings, processes } = asRecord(value);
  const parsedSettings = settingsSchema.safeParse(settings, PARSE_OPTIONS);
  const entries = Object.entries(asRecord(processes)).flatMap(([name, entry]) => {
    const parsed = validEntryPart(entry);
    return processNameSchema.safeParse(name).success && parsed ? [[name, parsed] as const] : [];
  });
  return {
    version: 1,
    settings: parsedSettings.success ? parsedSettings.data : undefined,
    processes: Object.fromEntries(entries),
  };
}

/**
 * A process entry, or what is valid of it: its keys that are not, left out (a bad
 * `instances` must not hide a missing `cwd`). Without a valid `command`, nothing.
 */
function validEntryPart(entry: unknown) {
  const parsed = processEntrySchema.safeParse(entry, PARSE_OPTIONS);
  if (parsed.success) return parsed.data;
  const bad = new Set(parsed.error.issues.map((issue) => issue.path[0]));
  if (bad.has('command') || bad.has(undefined)) return undefined;
  const rest = Object.fromEntries(Object.entries(asRecord(entry)).filter(([key]) => !bad.has(key)));
  const retried = processEntrySchema.safeParse(rest, PARSE_OPTIONS);
  return retried.success ? retried.data : undefined;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/**
 * Every declared name and the names it depends on. A declared process whose entry is
 * invalid is a node without dependencies: depending on it is no error of the dependent's.
 */
function dependencyGraphOf(value: unknown, usable: ParsedProject): DependencyGraph {
  const graph = new Map<string, string[]>();
  for (const name of Object.keys(asRecord(asRecord(value).processes))) graph.set(name, []);
  for (const [name, entry] of Object.entries(usable.processes)) {
    const dependsOn = entry.depends_on ?? [];
    graph.set(name, Array.isArray(dependsOn) ? [...dependsOn] : Object.keys(dependsOn));
  }
  return graph;
}

function isScriptConfig(configPath: string): boolean {
  return ['.ts', '.mts', '.mjs', '.js', '.cjs'].includes(extname(configPath));
}

/** Imports `overseer.config.ts` and friends with jiti; the default export is the config. */
async function importScriptConfig(configPath: string): Promise<RawConfig> {
  const { createJiti } = await import('jiti');
  const jiti = createJiti(import.meta.url, { moduleCache: false });
  let value: unknown;
  try {
    value = await jiti.import(configPath, { default: true });
  } catch (error) {
    throw new ConfigError(configPath, [
      { path: '', message: `cannot load: ${(error as Error).message.split('\n')[0]}` },
    ]);
  }
  if (typeof value === 'function') value = await (value as () => unknown)();
  return { value, locate: (issues) => [...issues] };
}

/** The settings' sandbox of a parsed config, relative paths against the config's folder. */
function sandboxRulesOf(configPath: string, parsed: ParsedProject): SandboxRules | undefined {
  const written = parsed.settings?.sandbox;
  return written && sandboxRules(written, dirname(configPath));
}

/** What the sandbox refuses before anything runs: widening attempts, shell syntax, a restricted cwd. */
function sandboxIssuesOf(configPath: string, parsed: ParsedProject): SpecIssue[] {
  const settings = settingsSandbox(sandboxRulesOf(configPath, parsed));
  return Object.entries(parsed.processes).flatMap(([name, entry]) =>
    processSandbox(entry, settings, dirname(configPath)).issues.map((issue) => ({
      ...issue,
      path: `processes.${name}.${issue.path}`,
    })),
  );
}

/** What each process asks of the machine that it does not have (see host-checks.ts). */
function hostIssuesOf(configPath: string, parsed: ParsedProject, host: Host): SpecIssue[] {
  const baseDir = dirname(configPath);
  const settings = settingsSandbox(sandboxRulesOf(configPath, parsed));
  return Object.entries(parsed.processes).flatMap(([name, entry]) => {
    const { policy, issues } = processSandbox(entry, settings, baseDir);
    // A refused sandbox has said what is wrong with it: judging commands by it would add noise.
    return hostIssues(entry, issues.length > 0 ? undefined : policy, baseDir, host).map(
      (issue) => ({
        ...issue,
        path: `processes.${name}.${issue.path}`,
      }),
    );
  });
}

function normalizeProject(configPath: string, parsed: ParsedProject): Omit<Project, 'startOrder'> {
  const baseDir = dirname(configPath);
  const definitions = Object.entries(parsed.processes).map(([name, entry]) => ({
    name,
    ...entry,
  }));
  const sandbox = sandboxRulesOf(configPath, parsed);
  const policy = settingsSandbox(sandbox);
  // Entries were validated above, their sandbox too: this expands instances and applies defaults.
  const specs = definitions.flatMap((definition) =>
    expandInstances(definition, processSandbox(definition, policy, baseDir).policy),
  );
  const settings = parsed.settings ?? {};
  return {
    name: parsed.name ?? (basename(baseDir) || DEFAULTS.projectName),
    configPath,
    baseDir,
    settings: {
      maxProcesses: settings.max_processes ?? DEFAULTS.maxProcesses,
      stateDir: resolve(baseDir, settings.state_dir ?? DEFAULTS.stateDir),
      api: {
        listen: settings.api?.listen,
        token: settings.api?.token,
      },
      logs: {
        maxSize: settings.logs?.max_size ?? DEFAULTS.logs.maxSize,
        maxFiles: settings.logs?.max_files ?? DEFAULTS.logs.maxFiles,
      },
      sandbox,
      sampleInterval: settings.sample_interval,
    },
    definitions,
    specs,
  };
}
