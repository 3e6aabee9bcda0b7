/**
 * The pod of a process in Kubernetes: its container (command, environment, probes,
 * resources, stop), the init containers that wait for its dependencies, and what of it
 * Kubernetes cannot say, as losses.
 */
import type { ProbeSpec } from '../core/process/spec.js';
import type { Loss } from './model.js';
import { imagePlaceholder } from './model.js';
import {
  argvOf,
  dnsLabel,
  endpointOf,
  IMAGE_ROOT,
  onTarget,
  type ProcessView,
  servedEndpoint,
  wholeSeconds,
} from './process-view.js';

/** Small and everywhere: what the init containers that wait run in. */
const WAIT_IMAGE = 'busybox:1.36';

type Manifest = Record<string, unknown>;

/** The pod spec of `view`; `restartPolicy` is the workload's. */
export function podSpec(
  view: ProcessView,
  views: readonly ProcessView[],
  restartPolicy: 'Always' | 'OnFailure' | 'Never',
  losses: Loss[],
): Manifest {
  const { spec, definition } = view;
  const lose = (key: string, reason: string) => losses.push({ process: view.name, key, reason });
  const runAs: Manifest = {};
  for (const [key, value, field] of [
    ['user', spec.runAs?.user, 'runAsUser'],
    ['group', spec.runAs?.group, 'runAsGroup'],
  ] as const) {
    if (value === undefined) continue;
    if (/^\d+$/.test(value)) runAs[field] = Number(value);
    else lose(key, `${value} is a name: Kubernetes needs the numeric id the image gives it`);
  }
  const initContainers = waits(view, views, lose);
  return {
    ...(Object.keys(runAs).length > 0 && { securityContext: runAs }),
    terminationGracePeriodSeconds: wholeSeconds(spec.stop.timeoutMs),
    restartPolicy,
    ...(initContainers.length > 0 && { initContainers }),
    containers: [container(view, lose)],
    ...(definition.limits?.max_runtime !== undefined &&
      restartPolicy !== 'Always' && {
        activeDeadlineSeconds: wholeSeconds(definition.limits.max_runtime, 1),
      }),
  };
}

function container(view: ProcessView, lose: (key: string, reason: string) => void): Manifest {
  const { spec, definition, name } = view;
  const endpoint = servedEndpoint(spec);
  const envFrom = [
    ...(Object.keys(view.plainEnv).length > 0
      ? [{ configMapRef: { name: `${dnsLabel(name)}-env` } }]
      : []),
    ...(view.secretNames.length > 0 ? [{ secretRef: { name: `${dnsLabel(name)}-secrets` } }] : []),
  ];
  const cwd = spec.cwd;
  const readiness = spec.readiness && probe(spec.readiness);
  const startup =
    readiness && spec.readiness && spec.startTimeoutMs !== undefined
      ? {
          ...readiness,
          failureThreshold: Math.max(
            1,
            Math.ceil(spec.startTimeoutMs / (wholeSeconds(spec.readiness.intervalMs, 1) * 1000)),
          ),
        }
      : undefined;
  if (definition.start_timeout !== undefined && !startup) {
    lose('start_timeout', 'without a readiness check Kubernetes can carry, nothing bounds a start');
  }
  return {
    name: dnsLabel(name),
    image: imagePlaceholder(dnsLabel(name)),
    // Kubernetes expands `$(NAME)` in a command: `$$(` keeps the config's own as written.
    command: argvOf(spec.command).map((word) => word.replace(/\$\(/g, () => '$$(')),
    ...(cwd !== undefined && { workingDir: onTarget(IMAGE_ROOT, cwd) }),
    ...(envFrom.length > 0 && { envFrom }),
    ...(endpoint && { ports: [{ containerPort: endpoint.port }] }),
    ...(readiness && { readinessProbe: readiness }),
    ...(spec.liveness && { livenessProbe: probe(spec.liveness) }),
    ...(startup && { startupProbe: startup }),
    ...resources(view, lose),
    ...stopHook(spec.stop.signal),
    ...(definition.sandbox?.isolate === true && {
      securityContext: {
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      },
    }),
  };
}

function probe(probe: ProbeSpec): Manifest | undefined {
  const check = probe.check;
  const endpoint = endpointOf(check);
  const handler: Manifest | undefined =
    check.type === 'exec'
      ? { exec: { command: argvOf(check.command) } }
      : endpoint?.http
        ? {
            httpGet: {
              path: endpoint.http.path,
              port: endpoint.port,
              scheme: endpoint.http.scheme,
            },
          }
        : endpoint
          ? { tcpSocket: { port: endpoint.port } }
          : undefined;
  // A log check: the table lists it.
  if (!handler) return undefined;
  return {
    ...handler,
    periodSeconds: wholeSeconds(probe.intervalMs, 1),
    timeoutSeconds: wholeSeconds(probe.timeoutMs, 1),
    failureThreshold: probe.failureThreshold,
    initialDelaySeconds: wholeSeconds(probe.initialDelayMs),
  };
}

function resources(view: ProcessView, lose: (key: string, reason: string) => void): Manifest {
  const limits = view.spec.limits;
  if (!limits) return {};
  const written: Record<string, string> = {};
  if (limits.memoryBytes !== undefined) written.memory = memoryQuantity(limits.memoryBytes);
  if (limits.cpuPercent !== undefined) written.cpu = `${Math.round(limits.cpuPercent * 10)}m`;
  if (limits.memoryBytes !== undefined && limits.memoryAction !== 'restart') {
    lose(
      'limits.memory_action',
      `${limits.memoryAction}: over the limit, the container is OOM-killed and restarted`,
    );
  }
  if (limits.cpuPercent !== undefined && limits.cpuAction !== 'throttle') {
    lose('limits.cpu_action', `${limits.cpuAction}: over the limit, the container is throttled`);
  }
  if (limits.maxRuntimeMs !== undefined && view.spec.kind === 'service' && !view.spec.schedule) {
    lose(
      'limits.max_runtime',
      'a Deployment has no deadline (only a Job has activeDeadlineSeconds)',
    );
  }
  return Object.keys(written).length > 0 ? { resources: { limits: written } } : {};
}

/** Mi when it is whole Mi, else bytes: the quantity a person would write. */
function memoryQuantity(bytes: number): string {
  const mib = 1024 * 1024;
  return bytes % mib === 0 ? `${bytes / mib}Mi` : String(bytes);
}

/** SIGTERM is what Kubernetes sends: another signal is sent first, by a preStop hook. */
function stopHook(signal: string): Manifest {
  if (signal === 'SIGTERM') return {};
  const name = signal.replace(/^SIG/, '');
  return { lifecycle: { preStop: { exec: { command: ['/bin/sh', '-c', `kill -${name} 1`] } } } };
}

/** An init container per dependency: waits until its Service answers as the condition asks. */
function waits(
  view: ProcessView,
  views: readonly ProcessView[],
  lose: (key: string, reason: string) => void,
): Manifest[] {
  return view.spec.dependsOn.flatMap((dependency) => {
    const target = views.find((candidate) => candidate.name === dependency.name);
    const endpoint = target && servedEndpoint(target.spec);
    const host = dnsLabel(dependency.name);
    if (dependency.condition === 'completed' || dependency.condition === 'completed_successfully') {
      lose(
        'depends_on',
        `${dependency.name}: ${dependency.condition} is not awaited: run that Job before this rolls out (kubectl wait --for=condition=complete job/${host})`,
      );
      return [];
    }
    if (!endpoint) {
      lose(
        'depends_on',
        `${dependency.name}: no port to wait on (it has no http or tcp probe); starts at once`,
      );
      return [];
    }
    const probeUrl = `http://${host}:${endpoint.port}${endpoint.http?.path ?? '/'}`;
    const test =
      dependency.condition === 'healthy' && endpoint.http
        ? `wget -q -O /dev/null ${probeUrl}`
        : `nc -z ${host} ${endpoint.port}`;
    return [
      {
        name: `wait-for-${host}`,
        image: WAIT_IMAGE,
        command: ['/bin/sh', '-c', `until ${test}; do sleep 2; done`],
      },
    ];
  });
}
