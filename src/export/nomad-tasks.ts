/**
 * The tasks of a Nomad group: the one that runs a process (from its folder, with its
 * environment, its secrets read from Nomad Variables), and the prestart tasks that order it
 * after its dependencies.
 */
import type { ExportInput, Loss } from './model.js';
import type { NomadJob, NomadTask } from './nomad-model.js';
import {
  argvOf,
  dnsLabel,
  onTarget,
  type ProcessView,
  servedEndpoint,
  shapeOf,
} from './process-view.js';

const MIB = 1024 * 1024;

/** What building the jobs gathers on its way. */
export interface Built {
  readonly jobs: NomadJob[];
  /** The declared processes each job runs, by job ID: whose losses its file lists. */
  readonly processes: Map<string, string[]>;
  readonly losses: Loss[];
  readonly placeholders: string[];
}

/** The task that runs a process: from its folder, with its environment, as its user. */
export function task(
  input: ExportInput,
  view: ProcessView,
  jobId: string,
  built: Built,
  hook?: NomadTask['lifecycle'],
): NomadTask {
  const { spec } = view;
  const argv = argvOf(spec.command);
  const dir = onTarget(input.root, spec.cwd ?? '.');
  const env: Record<string, string> = {
    ...view.plainEnv,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Nomad reads it when the task starts
    ...(view.instances !== undefined && { OVERSEER_INSTANCE: '${NOMAD_ALLOC_INDEX}' }),
  };
  const variablePath = `nomad/jobs/${jobId}`;
  if (view.secretNames.length > 0) {
    const placeholder = `Nomad Variable ${variablePath}: ${view.secretNames.join(', ')} (nomad var put ${variablePath} ${view.secretNames.map((name) => `${name}=…`).join(' ')})`;
    if (!built.placeholders.includes(placeholder)) built.placeholders.push(placeholder);
  }
  const limits = spec.limits;
  const resources =
    limits && (limits.memoryBytes !== undefined || limits.cpuPercent !== undefined)
      ? {
          ...(limits.cpuPercent !== undefined && { cpu: Math.round(limits.cpuPercent * 10) }),
          ...(limits.memoryBytes !== undefined && {
            memoryMB: Math.ceil(limits.memoryBytes / MIB),
          }),
        }
      : undefined;
  return {
    name: hook ? `run-${dnsLabel(view.name)}` : dnsLabel(view.name),
    driver: 'raw_exec',
    command: '/bin/sh',
    args: ['-c', 'cd "$1" && shift && exec "$@"', 'sh', dir, ...argv],
    env,
    ...(spec.runAs?.user !== undefined && { user: spec.runAs.user }),
    killSignal: spec.stop.signal,
    killTimeoutMs: spec.stop.timeoutMs,
    ...(resources && { resources }),
    ...(hook && { lifecycle: hook }),
    templates:
      view.secretNames.length > 0
        ? [
            {
              data: `{{ with nomadVar "${variablePath}" }}${view.secretNames.map((name) => `${name}={{ .${name} }}`).join('\n')}{{ end }}`,
              destination: 'secrets/env',
              env: true,
            },
          ]
        : [],
    ...(spec.logs && {
      logs: {
        maxFiles: spec.logs.maxFiles ?? input.project.settings.logs.maxFiles,
        maxFileSizeMB: Math.ceil((spec.logs.maxSize ?? input.project.settings.logs.maxSize) / MIB),
      },
    }),
    meta: {},
  };
}

/** What a group runs before its task so that a dependency holds: a wait, or the job itself. */
export function prestart(
  input: ExportInput,
  view: ProcessView,
  target: ProcessView,
  condition: string,
  jobId: string,
  built: Built,
): NomadTask[] {
  const lose = (reason: string) =>
    built.losses.push({
      process: view.name,
      key: 'depends_on',
      reason: `${target.name}: ${reason}`,
    });
  if (condition.startsWith('completed')) {
    if (shapeOf(target.spec) !== 'job') {
      lose(`${condition} of a ${shapeOf(target.spec)} process is not awaited`);
      return [];
    }
    if (condition === 'completed')
      lose('completed: a failed prestart task stops the group, as completed_successfully');
    return [task(input, target, jobId, built, { hook: 'prestart', sidecar: false })];
  }
  const endpoint = servedEndpoint(target.spec);
  if (!endpoint || shapeOf(target.spec) !== 'service') {
    lose('no service to wait for (it has no http or tcp probe); starts at once');
    return [];
  }
  const service = dnsLabel(target.name);
  return [
    {
      name: `wait-for-${service}`,
      driver: 'raw_exec',
      command: '/bin/sh',
      args: ['-c', 'until nc -z "$DEPENDENCY_ADDR" "$DEPENDENCY_PORT"; do sleep 2; done'],
      env: {},
      killSignal: 'SIGTERM',
      killTimeoutMs: 5_000,
      lifecycle: { hook: 'prestart', sidecar: false },
      templates: [
        {
          data: `{{ range nomadService "${service}" }}DEPENDENCY_ADDR={{ .Address }}\nDEPENDENCY_PORT={{ .Port }}{{ end }}`,
          destination: 'local/dependency.env',
          env: true,
        },
      ],
      meta: {},
    },
  ];
}
