/**
 * Loading a project config as a pipeline of small named steps:
 * read → parse → interpolate (yaml-source.ts, script-source.ts) → drop the `x-` keys
 * (extension-keys.ts) → read interpolated numbers and booleans (coerce.ts) → merge
 * `defaults` under every process (defaults.ts) → validate, once → check what the schema
 * cannot judge (checks.ts) → normalize (project.ts) → order the start.
 * Each step either passes its result on or stops with every issue it found, each naming
 * its path (and, for YAML, its line and column). Nothing is started on a bad config.
 */
import { dirname } from 'node:path';
import type { SandboxRules } from '../core/sandbox/sandbox.js';
import { graphIssues, startLayers } from '../core/stack/graph.js';
import { checkProcesses, dependencyGraphOf, nameClashes } from './checks.js';
import { readInterpolatedScalars } from './coerce.js';
import { attributeToDefaults, withDefaults } from './defaults.js';
import { withoutExtensionKeys } from './extension-keys.js';
import { ConfigError } from './files.js';
import { currentHost, type Host } from './host-checks.js';
import { issuesFromZod, PARSE_OPTIONS } from './messages.js';
import { normalizeProject, type Project } from './project.js';
import { type ParsedProject, projectSchema } from './project-schema.js';
import { reservedKeyIssues } from './reserved-keys.js';
import { validParts } from './salvage.js';
import { sandboxRules, settingsSandbox } from './sandbox.js';
import { importScriptConfig, isScriptConfig } from './script-source.js';
import { type RawConfig, readYamlConfig } from './yaml-source.js';

export type { ListenAddress, Project, ProjectSettings } from './project.js';
export type { RawConfig } from './yaml-source.js';

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
  const written = withoutExtensionKeys(
    raw.interpolated
      ? readInterpolatedScalars(raw.value, raw.interpolated, projectSchema)
      : raw.value,
  );
  const value = withDefaults(written);
  const parsed = projectSchema.safeParse(value, PARSE_OPTIONS);
  const usable = parsed.success ? parsed.data : validParts(value);
  const baseDir = dirname(configPath);
  const sandbox = sandboxRulesOf(usable, baseDir);
  const checked = checkProcesses(usable.processes, settingsSandbox(sandbox), baseDir, host);
  const graph = dependencyGraphOf(raw.value, usable);
  // Where a process's value came from `defaults`, its issue is told once, at the default.
  const issues = attributeToDefaults(
    [
      ...reservedKeyIssues(written),
      ...(parsed.success ? [] : issuesFromZod(parsed.error)),
      ...checked.issues,
      ...graphIssues(graph),
    ],
    written,
  );
  if (!parsed.success || issues.length > 0) throw new ConfigError(configPath, raw.locate(issues));
  const project = normalizeProject(configPath, parsed.data, sandbox, checked.sandboxes);
  const clashes = attributeToDefaults(nameClashes(project.specs), written);
  if (clashes.length > 0) throw new ConfigError(configPath, raw.locate(clashes));
  // Only once the graph has no cycle: startLayers recurses forever on one.
  return { ...project, graph, startOrder: startLayers(graph) };
}

/** The settings' sandbox of a parsed config, relative paths against the config's folder. */
function sandboxRulesOf(parsed: ParsedProject, baseDir: string): SandboxRules | undefined {
  const written = parsed.settings?.sandbox;
  return written && sandboxRules(written, baseDir);
}
