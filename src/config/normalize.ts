/**
 * From a process definition to the `ProcessSpec`s core works with: a definition given to
 * the library's `add()` is validated here (a config file's entries are validated with the
 * whole file, see load.ts); a validated one is expanded, instance by instance, with the
 * defaults of core/defaults.ts applied.
 */
import { DEFAULTS } from '../core/defaults.js';
import { OverseerError, type SpecIssue } from '../core/errors.js';
import type {
  Dependency,
  ProbeCheck,
  ProbeSpec,
  ProcessKind,
  ProcessSpec,
  RestartSpec,
  ScheduleSpec,
  WatchSpec,
} from '../core/process/spec.js';
import type { SandboxPolicy } from '../core/sandbox/sandbox.js';
import { limitsSpec } from './limits-schema.js';
import { issuesFromZod, PARSE_OPTIONS } from './messages.js';
import { type ParsedProcessDefinition, processDefinitionSchema } from './process-schema.js';
import { entryKeyIssues } from './reserved-keys.js';
import { processSandbox } from './sandbox.js';

/** Defaults applied to every process (exported by the library from here). */
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
  // What runs on a schedule runs to completion: a job (restart policy `never`) unless it says not.
  const kind: ProcessKind =
    definition.kind ?? (definition.schedule !== undefined ? 'job' : DEFAULTS.kind);
  return {
    family: definition.name,
    namespace: definition.namespace ?? DEFAULTS.namespace,
    labels: definition.labels ?? {},
    description: definition.description,
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
    ...(definition.schedule !== undefined && { schedule: scheduleSpec(definition.schedule) }),
    ...(definition.watch !== undefined && { watch: watchSpec(definition.watch) }),
  };
}

function scheduleSpec(schedule: NonNullable<ParsedProcessDefinition['schedule']>): ScheduleSpec {
  const long = typeof schedule === 'string' ? { cron: schedule } : schedule;
  return {
    cron: long.cron.trim(),
    timezone: long.timezone,
    overlap: long.overlap ?? DEFAULTS.schedule.overlap,
    runOnStart: long.run_on_start ?? DEFAULTS.schedule.runOnStart,
  };
}

function watchSpec(watch: NonNullable<ParsedProcessDefinition['watch']>): WatchSpec {
  return {
    // As written, like `cwd`: relative paths are the supervisor's (the config's folder).
    paths: watch.paths,
    ignore: watch.ignore ?? [],
    debounceMs: watch.debounce ?? DEFAULTS.watchDebounceMs,
  };
}

function dependenciesOf(dependsOn: ParsedProcessDefinition['depends_on']): Dependency[] {
  if (!dependsOn) return [];
  if (Array.isArray(dependsOn)) {
    return dependsOn.map((name) => ({ name, condition: 'started', restart: false }));
  }
  return Object.entries(dependsOn).map(([name, entry]) =>
    typeof entry === 'string'
      ? { name, condition: entry, restart: false }
      : { name, condition: entry.condition ?? 'started', restart: entry.restart ?? false },
  );
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
    ...(restart?.cooldown !== undefined && {
      cooldownMs: restart.cooldown,
      maxCooldownMs: restart.max_cooldown ?? Math.max(DEFAULTS.maxCooldownMs, restart.cooldown),
    }),
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
  if (typeof input !== 'object' || input === null || !('name' in input)) return undefined;
  return typeof input.name === 'string' ? input.name : undefined;
}
