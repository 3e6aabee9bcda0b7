/**
 * Loading a project config as a pipeline of small named steps:
 * find → read → parse → interpolate → validate → normalize → check the graph.
 * Each step either passes its result on or stops with every issue it found, each naming
 * its path (and, for YAML, its line and column). Nothing is started on a bad config.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { isMap, isNode, isScalar, LineCounter, type Node, parseDocument } from 'yaml';
import type { SpecIssue } from '../core/errors.js';
import { buildGraph, graphIssues, startLayers } from '../core/graph.js';
import type { SandboxRules } from '../core/sandbox.js';
import { DEFAULT_LOG_ROTATION, type LogRotation, type ProcessSpec } from '../core/spec.js';
import { ConfigError, type ConfigIssue } from './files.js';
import { interpolate } from './interpolate.js';
import { issuesFromZod, specsFromDefinition, UNKNOWN_KEY } from './normalize.js';
import { PROCESS_NAME_MESSAGE, type ProcessDefinition } from './process-schema.js';
import { type ParsedProject, projectSchema } from './project-schema.js';
import { processSandbox, sandboxRules, settingsSandbox } from './sandbox.js';
import { DEFAULT_STATE_DIR } from './state-dir.js';

/** A loaded, validated project: everything the daemon needs to run it. */
export interface Project {
  readonly name: string;
  /** Absolute path of the config file. */
  readonly configPath: string;
  /** The config file's folder: relative paths in the config are resolved against it. */
  readonly baseDir: string;
  readonly settings: ProjectSettings;
  /** The process entries as validated, each with its name, in declaration order. */
  readonly definitions: readonly ProcessDefinition[];
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

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** Loads and checks a config file; throws `ConfigError` listing every issue found. */
export async function loadProject(
  configPath: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Project> {
  const raw = isScriptConfig(configPath)
    ? await importScriptConfig(configPath)
    : parseYamlConfig(configPath, env);
  return projectFromRaw(configPath, raw);
}

/** Validates an already-parsed config object (YAML after interpolation, or a script's export). */
export function projectFromRaw(configPath: string, raw: RawConfig): Project {
  const parsed = projectSchema.safeParse(raw.value);
  if (!parsed.success) throw new ConfigError(configPath, raw.locate(issuesFromZod(parsed.error)));
  const sandboxIssues = sandboxIssuesOf(configPath, parsed.data);
  if (sandboxIssues.length > 0) throw new ConfigError(configPath, raw.locate(sandboxIssues));
  const project = normalizeProject(configPath, parsed.data);
  const graph = buildGraph(project.specs);
  const issues = graphIssues(graph);
  if (issues.length > 0) throw new ConfigError(configPath, raw.locate(issues));
  // Only after the check: startLayers recurses forever on a cycle.
  return { ...project, startOrder: startLayers(graph) };
}

/** A parsed config and a way to find where a path sits in the source. */
export interface RawConfig {
  readonly value: unknown;
  readonly locate: (issues: readonly SpecIssue[]) => ConfigIssue[];
}

function parseYamlConfig(configPath: string, env: NodeJS.ProcessEnv): RawConfig {
  const text = readConfigText(configPath);
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      configPath,
      document.errors.map((error) => ({
        path: '',
        message: `YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
        line: error.linePos?.[0].line,
        column: error.linePos?.[0].col,
      })),
    );
  }
  const locate = (issues: readonly SpecIssue[]): ConfigIssue[] =>
    issues
      .map((issue): ConfigIssue => {
        const offset = offsetOf(document, issue);
        if (offset === undefined) return issue;
        const { line, col } = lineCounter.linePos(offset);
        return { ...issue, line, column: col };
      })
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  const issues: SpecIssue[] = [];
  const value = interpolate(document.toJS(), env, issues);
  if (issues.length > 0) throw new ConfigError(configPath, locate(issues));
  return { value, locate };
}

type YamlDocument = ReturnType<typeof parseDocument>;

/** Issues about a key itself (not its value): located at the key. */
const KEY_ISSUES = new Set([UNKNOWN_KEY, PROCESS_NAME_MESSAGE]);

/**
 * Where an issue sits in the source: at the value when it is a bad scalar; else at the key
 * of its entry (an unknown key, a block that starts on the next line, a null value); for a
 * missing entry, at the key of the closest entry that exists.
 */
function offsetOf(document: YamlDocument, issue: SpecIssue): number | undefined {
  const keys: unknown[] = issue.path === '' ? [] : issue.path.split('.').map(keyOf);
  for (let length = keys.length; length >= 0; length -= 1) {
    const path = keys.slice(0, length);
    const node = document.getIn(path, true);
    const atValue = length === keys.length && !KEY_ISSUES.has(issue.message);
    if (atValue && isScalar(node) && node.value !== null) return node.range?.[0];
    const key = keyNodeAt(document, path);
    if (key) return key.range?.[0];
    if (isNode(node)) return node.range?.[0];
  }
  return undefined;
}

/** The key node of the map entry at `path`, when `path` ends in a map entry. */
function keyNodeAt(document: YamlDocument, path: readonly unknown[]): Node | undefined {
  if (path.length === 0) return undefined;
  const parent = document.getIn(path.slice(0, -1), true);
  if (!isMap(parent)) return undefined;
  const name = String(path[path.length - 1]);
  const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === name);
  return pair && isNode(pair.key) ? pair.key : undefined;
}

function keyOf(segment: string): string | number {
  return /^\d+$/.test(segment) ? Number(segment) : segment;
}

function readConfigText(configPath: string): string {
  try {
    return readFileSync(configPath, 'utf8');
  } catch (error) {
    throw new ConfigError(configPath, [{ path: '', message: (error as Error).message }]);
  }
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

function normalizeProject(configPath: string, parsed: ParsedProject): Omit<Project, 'startOrder'> {
  const baseDir = dirname(configPath);
  const definitions = Object.entries(parsed.processes).map(
    ([name, entry]) => ({ name, ...entry }) as ProcessDefinition,
  );
  const sandbox = sandboxRulesOf(configPath, parsed);
  const policy = settingsSandbox(sandbox);
  // Entries were validated above; this expands instances and applies defaults.
  const specs = definitions.flatMap((definition) =>
    specsFromDefinition(definition, { sandbox: policy, baseDir }),
  );
  const settings = parsed.settings ?? {};
  return {
    name: parsed.name ?? (basename(baseDir) || 'overseer'),
    configPath,
    baseDir,
    settings: {
      maxProcesses: settings.max_processes ?? Number.POSITIVE_INFINITY,
      stateDir: resolve(baseDir, settings.state_dir ?? DEFAULT_STATE_DIR),
      api: {
        listen: settings.api?.listen ? parseListen(settings.api.listen) : undefined,
        token: settings.api?.token,
      },
      logs: {
        maxSize: settings.logs?.max_size ?? DEFAULT_LOG_ROTATION.maxSize,
        maxFiles: settings.logs?.max_files ?? DEFAULT_LOG_ROTATION.maxFiles,
      },
      sandbox,
      sampleInterval: settings.sample_interval,
    },
    definitions,
    specs,
  };
}

function parseListen(address: string): ListenAddress {
  const colon = address.lastIndexOf(':');
  return {
    host: address.slice(0, colon).replace(/^\[(.*)\]$/, '$1'),
    port: Number(address.slice(colon + 1)),
  };
}
