/**
 * What a validated config asks that its schema cannot judge: a sandbox that may not be
 * used (a widening attempt, shell syntax, a restricted cwd), what each process needs of the
 * machine, the dependency graph, and instance names that clash with another process.
 */
import type { SpecIssue } from '../core/errors.js';
import type { ProcessSpec } from '../core/process/spec.js';
import type { SandboxPolicy } from '../core/sandbox/sandbox.js';
import type { DependencyGraph } from '../core/stack/graph.js';
import { type Host, hostIssues } from './host-checks.js';
import type { ParsedProject } from './project-schema.js';
import { asRecord } from './salvage.js';
import { processSandbox } from './sandbox.js';

/** What the processes of a config come to before anything runs. */
export interface ProcessChecks {
  /** The sandbox issues of every process, then what each asks of the machine. */
  readonly issues: readonly SpecIssue[];
  /** Each process's sandbox, the settings' narrowed by its own; absent when neither sets one. */
  readonly sandboxes: ReadonlyMap<string, SandboxPolicy | undefined>;
}

/**
 * Narrows `settings` by each process's own sandbox, once, and checks what each process
 * asks of `host`; paths are relative to the config, `baseDir` its folder.
 */
export function checkProcesses(
  processes: ParsedProject['processes'],
  settings: SandboxPolicy | undefined,
  baseDir: string,
  host: Host,
): ProcessChecks {
  const sandboxIssues: SpecIssue[] = [];
  const machineIssues: SpecIssue[] = [];
  const sandboxes = new Map<string, SandboxPolicy | undefined>();
  for (const [name, entry] of Object.entries(processes)) {
    const at = (issue: SpecIssue) => ({ ...issue, path: `processes.${name}.${issue.path}` });
    const { policy, issues } = processSandbox(entry, settings, baseDir);
    sandboxes.set(name, policy);
    sandboxIssues.push(...issues.map(at));
    // A refused sandbox has said what is wrong with it: judging commands by it would add noise.
    const judged = issues.length > 0 ? undefined : policy;
    machineIssues.push(...hostIssues(entry, judged, baseDir, host).map(at));
  }
  return { issues: [...sandboxIssues, ...machineIssues], sandboxes };
}

/**
 * Every declared name and the names it depends on. A declared process whose entry is
 * invalid is a node without dependencies: depending on it is no error of the dependent's.
 */
export function dependencyGraphOf(value: unknown, usable: ParsedProject): DependencyGraph {
  const graph = new Map<string, string[]>();
  for (const name of Object.keys(asRecord(asRecord(value).processes))) graph.set(name, []);
  for (const [name, entry] of Object.entries(usable.processes)) {
    const dependsOn = entry.depends_on ?? [];
    graph.set(name, Array.isArray(dependsOn) ? [...dependsOn] : Object.keys(dependsOn));
  }
  return graph;
}

/**
 * Instance names that are also another entry's name (`web` with two instances and a
 * process `web-1`): commands, logs and the API could not tell them apart.
 */
export function nameClashes(specs: readonly ProcessSpec[]): SpecIssue[] {
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
