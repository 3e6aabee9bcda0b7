/**
 * The `.service` unit of a process: ordering from its dependencies, the restart policy and
 * its budget, stop, limits, account, environment and isolation.
 */
import type { ProcessSpec } from '../core/process/spec.js';
import type { ExportInput } from './model.js';
import { argvOf, onTarget, type ProcessView, shapeOf } from './process-view.js';
import { unitStem } from './systemd-unit.js';
import { environmentEntry, execWord, literal, timeSpan, type UnitSection } from './unit-file.js';

type Entry = UnitSection[number];

/** A process's unit name before its suffix; the project's name made fit for one. */
export function baseName(project: string, process: string): string {
  return `overseer-${unitStem(project)}-${process}`;
}

/** The units a process runs as: one, or one per instance of its template. */
function unitsOf(project: string, view: ProcessView): string[] {
  const base = baseName(project, view.name);
  if (view.instances === undefined) return [`${base}.service`];
  return Array.from({ length: view.instances }, (_, index) => `${base}@${index}.service`);
}

export function serviceSections(
  input: ExportInput,
  view: ProcessView,
  views: readonly ProcessView[],
  target: string,
  secrets: string,
  lose: (key: string, reason: string) => void,
): Record<string, UnitSection> {
  const { spec, definition } = view;
  const project = input.project.name;
  const job = spec.kind === 'job' || spec.schedule !== undefined;
  const workingDirectory = onTarget(input.root, spec.cwd ?? '.');
  const unit: Entry[] = [
    [
      'Description',
      literal(
        spec.description ?? `${view.name} (namespace ${spec.namespace}) of overseer ${project}`,
      ),
    ],
  ];
  for (const dependency of spec.dependsOn) {
    const other = views.find((candidate) => candidate.name === dependency.name)!;
    const names = unitsOf(project, other).join(' ');
    const strong =
      dependency.condition === 'healthy' || dependency.condition === 'completed_successfully';
    if (dependency.condition === 'healthy') {
      lose(
        'depends_on',
        `${dependency.name}: healthy is taken as started (systemd knows readiness only from sd_notify)`,
      );
    }
    if (dependency.condition.startsWith('completed') && shapeOf(other.spec) === 'service') {
      lose('depends_on', `${dependency.name}: a service does not complete; waits for its start`);
    }
    unit.push(['After', names], [strong ? 'Requires' : 'Wants', names]);
    if (dependency.restart) unit.push(['PartOf', names]);
  }
  unit.push(
    ['StartLimitIntervalSec', timeSpan(spec.restart.windowMs)],
    ['StartLimitBurst', spec.restart.maxRestarts + 1],
  );
  const service: Entry[] = [
    ['Type', job ? 'oneshot' : 'simple'],
    ...(job && !spec.schedule ? [['RemainAfterExit', 'yes'] as Entry] : []),
    ['ExecStart', execStart(spec, workingDirectory)],
    ['WorkingDirectory', literal(workingDirectory)],
    // %i is the instance's name: the one specifier meant to be read.
    ...(view.instances !== undefined ? [['Environment', '"OVERSEER_INSTANCE=%i"'] as Entry] : []),
    ...Object.entries(spec.env)
      .filter(([key]) => !view.secretNames.includes(key))
      .map(([key, value]) => ['Environment', environmentEntry(key, value)] as Entry),
    [
      'EnvironmentFile',
      spec.envFile === undefined ? undefined : literal(onTarget(input.root, spec.envFile)),
    ],
    ['EnvironmentFile', view.envSecretNames.length > 0 ? literal(secrets) : undefined],
    ['User', spec.runAs?.user],
    ['Group', spec.runAs?.group],
    ['Restart', restartOf(spec, job, lose)],
    ['RestartSec', timeSpan(spec.restart.delayMs)],
    ['SuccessExitStatus', successCodes(spec, lose)],
    ['KillSignal', spec.stop.signal],
    ['TimeoutStopSec', timeSpan(spec.stop.timeoutMs)],
    ...limitLines(spec, lose),
    ...(definition.sandbox?.isolate === true ? isolation() : []),
    ['PrivateNetwork', definition.sandbox?.network === false ? 'yes' : undefined],
  ];
  const fromFile = Object.keys(input.envFiles.get(view.name) ?? {});
  const both = fromFile.filter((key) => key in spec.env);
  if (both.length > 0) {
    lose(
      'env_file',
      `${both.join(', ')} in both env and env_file: systemd lets the file win, overseer env`,
    );
  }
  return {
    Unit: unit,
    Service: service,
    // A scheduled unit is started by its timer, not by the stack.
    Install: spec.schedule ? [] : [['WantedBy', target]],
  };
}

/**
 * `ExecStart=`: systemd takes an absolute program or a bare name it looks up itself, not a
 * path from the working folder (`./server`), which is made absolute from it.
 */
function execStart(spec: ProcessSpec, workingDirectory: string): string {
  const [program, ...args] = argvOf(spec.command);
  const absolute = program!.includes('/') ? onTarget(workingDirectory, program!) : program!;
  return [absolute, ...args].map(execWord).join(' ');
}

function restartOf(
  spec: ProcessSpec,
  job: boolean,
  lose: (key: string, reason: string) => void,
): string {
  const policy = spec.restart.policy;
  if (policy === 'never') return 'no';
  if (policy === 'always' && job) {
    lose('restart.policy', 'always: a oneshot unit may only restart on-failure');
    return 'on-failure';
  }
  return policy;
}

function successCodes(
  spec: ProcessSpec,
  lose: (key: string, reason: string) => void,
): string | undefined {
  const codes = spec.restart.exitCodes;
  if (!codes.includes(0))
    lose('restart.exit_codes', 'without 0: systemd always counts exit 0 as success');
  const others = codes.filter((code) => code !== 0);
  return others.length > 0 ? others.join(' ') : undefined;
}

function limitLines(spec: ProcessSpec, lose: (key: string, reason: string) => void): Entry[] {
  const limits = spec.limits;
  if (!limits) return [];
  if (limits.memoryBytes !== undefined && limits.memoryAction !== 'restart') {
    lose('limits.memory_action', `${limits.memoryAction}: over MemoryMax= the unit is OOM-killed`);
  }
  if (limits.cpuPercent !== undefined && limits.cpuAction !== 'throttle') {
    lose('limits.cpu_action', `${limits.cpuAction}: CPUQuota= throttles`);
  }
  return [
    ['MemoryMax', limits.memoryBytes],
    ['CPUQuota', limits.cpuPercent === undefined ? undefined : `${limits.cpuPercent}%`],
    [
      'RuntimeMaxSec',
      limits.maxRuntimeMs === undefined ? undefined : timeSpan(limits.maxRuntimeMs),
    ],
    ['LimitNOFILE', limits.openFiles],
  ];
}

function isolation(): Entry[] {
  return [
    ['ProtectSystem', 'strict'],
    ['ProtectHome', 'read-only'],
    ['PrivateTmp', 'yes'],
    ['PrivateIPC', 'yes'],
    ['NoNewPrivileges', 'yes'],
    ['CapabilityBoundingSet', ''],
  ];
}

/** A path unit that restarts the process's unit(s) when a watched path changes. */
