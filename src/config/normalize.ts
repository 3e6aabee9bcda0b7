/**
 * From a validated process definition to the `ProcessSpec`s core works with: defaults
 * applied, instances expanded, probe targets split into their parts.
 */
import type { z } from 'zod';
import { DEFAULTS } from '../core/defaults.js';
import { OverseerError, type SpecIssue } from '../core/errors.js';
import type {
  Dependency,
  ProbeCheck,
  ProbeSpec,
  ProcessKind,
  ProcessSpec,
  RestartSpec,
} from '../core/process/spec.js';
import type { SandboxPolicy } from '../core/sandbox/sandbox.js';
import { limitsSpec } from './limits-schema.js';
import { PARSE_OPTIONS } from './messages.js';
import { type ParsedProcessDefinition, processDefinitionSchema } from './process-schema.js';
import { entryKeyIssues } from './reserved-keys.js';
import { processSandbox } from './sandbox.js';

/** Defaults applied to every process; documented in docs/configuration.md. */
export { DEFAULTS } from '../core/defaults.js';

/** What a definition is read against beyond itself. */
export interface SpecContext {
  /** The settings' sandbox (`settings.sandbox`), which the process's own may only narrow. */
  readonly sandbox?: SandboxPolicy | undefined;
  /** The config's folder: relative `cwd` and `restricted_paths` are resolved against it. */
  readonly baseDir?: string | undefined;
}

/**
 * Validates a definition and expands it into one spec per instance (`name`, or
 * `name-0…name-(N-1)` when `instances` is set, even to 1). Throws `INVALID_SPEC` listing
 * every issue, a sandbox that would widen `context.sandbox` included.
 */
export function specsFromDefinition(input: unknown, context: SpecContext = {}): ProcessSpec[] {
  const parsed = processDefinitionSchema.safeParse(input, PARSE_OPTIONS);
  const reserved = entryKeyIssues(input);
  if (!parsed.success || reserved.length > 0) {
    const name = readName(input);
    const issues = [...reserved, ...(parsed.success ? [] : issuesFromZod(parsed.error))];
    throw new OverseerError(
      'INVALID_SPEC',
      `invalid process${name ? ` ${name}` : ''}: ${issues.map(describeIssue).join('; ')}`,
      issues,
    );
  }
  const sandbox = processSandbox(parsed.data, context.sandbox, context.baseDir);
  if (sandbox.issues.length > 0) {
    throw new OverseerError(
      'INVALID_SPEC',
      `invalid process ${parsed.data.name}: ${sandbox.issues.map(describeIssue).join('; ')}`,
      sandbox.issues,
    );
  }
  return expandInstances(parsed.data, sandbox.policy);
}

/** The message of an issue about a key that is not allowed where it is written. */
export const UNKNOWN_KEY = 'unknown key';

/** Zod issues as `{path, message}` with dotted paths (`restart.max_restarts`). */
export function issuesFromZod(error: z.ZodError, prefix: readonly PropertyKey[] = []): SpecIssue[] {
  return error.issues.flatMap((issue) => flattenIssue(issue, prefix));
}

function flattenIssue(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[]): SpecIssue[] {
  const path = [...prefix, ...issue.path];
  switch (issue.code) {
    // One issue per unknown key, at the key itself: `restart.bogus: unknown key`.
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({ path: dotted([...path, key]), message: UNKNOWN_KEY }));
    // A bad map key (a process name): say what a name must be, not what the map must be.
    case 'invalid_key':
      return issue.issues.flatMap((inner) => flattenIssue(inner, path));
    case 'invalid_union': {
      // When only one alternative got past the type check (a map for `depends_on` with a bad
      // name in it), its own issues say what is wrong; "expected A or B" would not.
      const matched = issue.errors.filter((issues) => !issues.every(isTypeMismatchAtRoot));
      if (matched.length === 1) return matched[0]!.flatMap((inner) => flattenIssue(inner, path));
      return [{ path: dotted(path), message: issue.message }];
    }
    default:
      return [{ path: dotted(path), message: issue.message }];
  }
}

function isTypeMismatchAtRoot(issue: z.core.$ZodIssue): boolean {
  return issue.code === 'invalid_type' && issue.path.length === 0;
}

function dotted(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

function describeIssue(issue: SpecIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

/**
 * The specs of a definition that has been validated, under the sandbox it comes to: one
 * per instance. A process that sets `instances` (even to 1) names them `name-0`,
 * `name-1`…, so scaling it never renames a running instance (nor its log file); one that
 * does not is just `name`.
 */
export function expandInstances(
  definition: ParsedProcessDefinition,
  sandbox: SandboxPolicy | undefined,
): ProcessSpec[] {
  const { instances } = definition;
  const base = baseSpec(definition, sandbox);
  return Array.from({ length: instances ?? 1 }, (_, instance) => ({
    ...base,
    name: instances === undefined ? definition.name : `${definition.name}-${instance}`,
    instance,
  }));
}

function baseSpec(
  definition: ParsedProcessDefinition,
  sandbox: SandboxPolicy | undefined,
): Omit<ProcessSpec, 'name' | 'instance'> {
  const kind: ProcessKind = definition.kind ?? DEFAULTS.kind;
  return {
    family: definition.name,
    command: definition.command,
    cwd: definition.cwd,
    env: definition.env ?? {},
    envFile: definition.env_file,
    kind,
    priority: definition.priority ?? DEFAULTS.priority,
    dependsOn: dependenciesOf(definition.depends_on),
    restart: restartSpec(kind, definition.restart),
    readiness: definition.readiness && probeSpec(definition.readiness, DEFAULTS.readiness),
    liveness: definition.liveness && probeSpec(definition.liveness, DEFAULTS.liveness),
    stop: {
      signal: definition.stop?.signal ?? DEFAULTS.stop.signal,
      timeoutMs: definition.stop?.timeout ?? DEFAULTS.stop.timeoutMs,
    },
    // 0 turns it off: a start that may take forever.
    startTimeoutMs:
      definition.start_timeout === 0
        ? undefined
        : (definition.start_timeout ?? DEFAULTS.startTimeoutMs),
    // Only when given: the default is the supervisor's (`settings.logs`), not known here.
    ...(definition.logs && {
      logs: { maxSize: definition.logs.max_size, maxFiles: definition.logs.max_files },
    }),
    ...(definition.limits && { limits: limitsSpec(definition.limits) }),
    ...(sandbox && { sandbox }),
    ...((definition.user !== undefined || definition.group !== undefined) && {
      runAs: { user: definition.user, group: definition.group },
    }),
  };
}

function dependenciesOf(dependsOn: ParsedProcessDefinition['depends_on']): Dependency[] {
  if (!dependsOn) return [];
  if (Array.isArray(dependsOn)) return dependsOn.map((name) => ({ name, condition: 'started' }));
  return Object.entries(dependsOn).map(([name, condition]) => ({ name, condition }));
}

function restartSpec(kind: ProcessKind, restart: ParsedProcessDefinition['restart']): RestartSpec {
  const defaults = DEFAULTS.restart;
  const delayMs = restart?.delay ?? defaults.delayMs;
  return {
    policy: restart?.policy ?? (kind === 'job' ? 'never' : defaults.policy),
    maxRestarts: restart?.max_restarts ?? defaults.maxRestarts,
    windowMs: restart?.window ?? defaults.windowMs,
    delayMs,
    factor: restart?.factor ?? defaults.factor,
    maxDelayMs: restart?.max_delay ?? Math.max(defaults.maxDelayMs, delayMs),
    minUptimeMs: restart?.min_uptime ?? defaults.minUptimeMs,
    exitCodes: restart?.exit_codes ?? defaults.exitCodes,
  };
}

type ParsedProbe = NonNullable<ParsedProcessDefinition['readiness']>;

function probeSpec(probe: ParsedProbe, defaults: Omit<ProbeSpec, 'check'>): ProbeSpec {
  return {
    check: probeCheck(probe),
    intervalMs: probe.interval ?? defaults.intervalMs,
    timeoutMs: probe.timeout ?? defaults.timeoutMs,
    failureThreshold: probe.failure_threshold ?? defaults.failureThreshold,
    initialDelayMs: probe.initial_delay ?? defaults.initialDelayMs,
  };
}

function probeCheck(probe: ParsedProbe): ProbeCheck {
  if (probe.http !== undefined) return { type: 'http', url: probe.http };
  if (probe.exec !== undefined) return { type: 'exec', command: probe.exec };
  if (probe.log !== undefined) return { type: 'log', pattern: probe.log };
  return { type: 'tcp', ...probe.tcp! };
}

function readName(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const name = (input as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}
