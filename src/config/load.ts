/**
 * Loading a project config as a pipeline of small named steps:
 * find → read → parse → interpolate → validate → normalize → check the graph.
 * Each step either passes its result on or stops with every issue it found, each naming
 * its path (and, for YAML, its line and column). Nothing is started on a bad config.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import {
  isAlias,
  isCollection,
  isMap,
  isNode,
  isScalar,
  LineCounter,
  type Node,
  parseDocument,
  visit,
} from 'yaml';
import type { SpecIssue } from '../core/errors.js';
import { type DependencyGraph, graphIssues, startLayers } from '../core/graph.js';
import type { SandboxRules } from '../core/sandbox.js';
import { DEFAULT_LOG_ROTATION, type LogRotation, type ProcessSpec } from '../core/spec.js';
import { formatSize } from '../core/units.js';
import { coerceInterpolated } from './coerce.js';
import { ConfigError, type ConfigIssue, MAX_CONFIG_BYTES } from './files.js';
import { currentHost, type Host, hostIssues } from './host-checks.js';
import { interpolate } from './interpolate.js';
import { PARSE_OPTIONS } from './messages.js';
import { issuesFromZod, specsFromDefinition, UNKNOWN_KEY } from './normalize.js';
import {
  NAME_LENGTH_MESSAGE,
  PROCESS_NAME_MESSAGE,
  type ProcessDefinition,
  processEntrySchema,
  processNameSchema,
  RESERVED_NAME_MESSAGE,
} from './process-schema.js';
import { type ParsedProject, projectSchema, settingsSchema } from './project-schema.js';
import { RESERVED_VARIABLE_MESSAGE, reservedKeyIssues } from './reserved-keys.js';
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

/** How many alias expansions a YAML file may make: enough for anchors, not for a bomb. */
const MAX_ALIAS_COUNT = 100;

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
    : parseYamlConfig(configPath, env);
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
  const parsed = validate(raw);
  const usable = parsed.success ? parsed.data : validParts(raw.value);
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
    const instance = spec.name === spec.group ? other : spec;
    const process = instance === spec ? other : spec;
    issues.push({
      path: `processes.${instance.group}.instances`,
      message: `its instance ${instance.name} has the name of process ${process.group}`,
    });
  }
  return issues;
}

/** The schema's verdict, `${VAR}` values in number and boolean keys read as such. */
function validate(raw: RawConfig) {
  const parsed = projectSchema.safeParse(raw.value, PARSE_OPTIONS);
  if (parsed.success || raw.interpolated === undefined) return parsed;
  const coerced = coerceInterpolated(raw.value, parsed.error.issues, raw.interpolated);
  return coerced === undefined ? parsed : projectSchema.safeParse(coerced, PARSE_OPTIONS);
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

/** A parsed config and a way to find where a path sits in the source. */
export interface RawConfig {
  readonly value: unknown;
  readonly locate: (issues: readonly SpecIssue[]) => ConfigIssue[];
  /** The dotted paths of strings `${VAR}` was interpolated into (YAML only). */
  readonly interpolated?: ReadonlySet<string>;
}

function parseYamlConfig(configPath: string, env: NodeJS.ProcessEnv): RawConfig {
  const text = readConfigText(configPath);
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) throw new ConfigError(configPath, yamlIssues(document.errors));
  const complexKey = firstCollectionKey(document, lineCounter);
  if (complexKey) {
    throw new ConfigError(configPath, [
      { path: '', message: 'YAML: a key must be a plain name, not a list or a map', ...complexKey },
    ]);
  }
  if (document.contents === null) {
    throw new ConfigError(configPath, [
      { path: '', message: 'the file is empty: expected a map with version and processes' },
    ]);
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
  const interpolated = new Set<string>();
  const value = interpolate(
    toPlainValue(configPath, document, lineCounter),
    env,
    issues,
    [],
    (path) => interpolated.add(path),
  );
  if (issues.length > 0) throw new ConfigError(configPath, locate(issues));
  return { value, locate, interpolated };
}

/** The most parser errors reported: past a broken bracket, the rest only repeat it. */
const MAX_YAML_ISSUES = 20;

/** The parser's errors, each once, at most `MAX_YAML_ISSUES` of them. */
function yamlIssues(errors: YamlDocument['errors']): ConfigIssue[] {
  const unique = new Map<string, ConfigIssue>();
  for (const error of errors) {
    const issue = {
      path: '',
      message: `YAML: ${yamlMessage(error.message)}`,
      line: error.linePos?.[0].line,
      column: error.linePos?.[0].col,
    };
    unique.set(`${issue.line}:${issue.column}:${issue.message}`, issue);
  }
  const issues = [...unique.values()];
  if (issues.length <= MAX_YAML_ISSUES) return issues;
  return [
    ...issues.slice(0, MAX_YAML_ISSUES),
    { path: '', message: `YAML: ${issues.length - MAX_YAML_ISSUES} more errors not shown` },
  ];
}

/** Where the first key that is a list or a map sits: JavaScript objects cannot hold one. */
function firstCollectionKey(
  document: YamlDocument,
  lineCounter: LineCounter,
): { line: number; column: number } | undefined {
  let offset: number | undefined;
  visit(document, {
    Pair: (_, pair) => {
      if (!isCollection(pair.key)) return undefined;
      offset = pair.key.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  if (offset === undefined) return undefined;
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

/** The first line of a parser's message, its position left to the issue's line and column. */
function yamlMessage(message: string): string {
  const first = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  // The parser runs out of stack on nesting thousands of levels deep; say what that means.
  return /call stack/i.test(first) ? 'nested too deeply to be read' : first;
}

/**
 * The document as plain data. Aliases are expanded at most `MAX_ALIAS_COUNT` times: a file
 * of aliases of aliases ("billion laughs") would otherwise take all memory.
 */
function toPlainValue(
  configPath: string,
  document: YamlDocument,
  lineCounter: LineCounter,
): unknown {
  try {
    return document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const where = firstAliasPosition(document, lineCounter);
    const message =
      error instanceof ReferenceError && /alias/i.test(error.message)
        ? `YAML: aliases expand to too many nodes (more than ${MAX_ALIAS_COUNT} expansions): refused as a resource exhaustion attack`
        : `YAML: ${yamlMessage((error as Error).message)}`;
    throw new ConfigError(configPath, [{ path: '', message, ...where }]);
  }
}

function firstAliasPosition(
  document: YamlDocument,
  lineCounter: LineCounter,
): { line: number; column: number } | undefined {
  let offset: number | undefined;
  visit(document, {
    Alias: (_, node) => {
      if (isAlias(node)) offset = node.range?.[0];
      return visit.BREAK;
    },
  });
  if (offset === undefined) return undefined;
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

type YamlDocument = ReturnType<typeof parseDocument>;

/** Issues about a key itself (not its value): located at the key. */
const KEY_ISSUES = new Set([
  UNKNOWN_KEY,
  RESERVED_VARIABLE_MESSAGE,
  PROCESS_NAME_MESSAGE,
  RESERVED_NAME_MESSAGE,
  NAME_LENGTH_MESSAGE,
]);

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
    const stat = statSync(configPath);
    // A device or a pipe (/dev/zero, a FIFO) would be read forever.
    if (!stat.isFile()) {
      throw new ConfigError(configPath, [{ path: '', message: 'not a regular file' }]);
    }
    const { size } = stat;
    if (size > MAX_CONFIG_BYTES) {
      throw new ConfigError(configPath, [
        {
          path: '',
          message: `the file is ${formatSize(size)}: a config may be at most ${formatSize(MAX_CONFIG_BYTES)}`,
        },
      ]);
    }
    return readFileSync(configPath, 'utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
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
