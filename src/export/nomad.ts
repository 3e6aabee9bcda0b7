/**
 * The project as Nomad jobs in HCL: one service job with a group per service (count from
 * `instances`), raw_exec tasks (overseer runs programs on the host as they are; the exec
 * driver would chroot them away from the project's files), restart and reschedule from the
 * restart policy, checks from the probes, and ordering by prestart tasks. A process on a
 * schedule is a periodic batch job of its own, and so is a job nothing waits for: `periodic`
 * and `type` belong to a whole Nomad job.
 */
import { tableLosses } from './coverage.js';
import { headerComment, lossesOf } from './file-text.js';
import type { ExportFile, ExportInput, ExportResult, Loss } from './model.js';
import { nomadJobHcl } from './nomad-hcl.js';
import { NOMAD_KEYS } from './nomad-keys.js';
import type { NomadCheck, NomadGroup, NomadJob } from './nomad-model.js';
import { type Built, prestart, task } from './nomad-tasks.js';
import {
  dnsLabel,
  endpointOf,
  minuteCron,
  type ProcessView,
  processViews,
  servedEndpoint,
  shapeOf,
} from './process-view.js';

/** Nomad's shortest check interval. */
const MIN_CHECK_MS = 1000;

/** The jobs of a project as the model both writers read (exported for the JSON check). */
export function nomadJobs(input: ExportInput): Built {
  const views = processViews(input);
  const projectId = dnsLabel(input.project.name);
  const built: Built = {
    jobs: [],
    processes: new Map(),
    losses: tableLosses(NOMAD_KEYS, input, 'nomad'),
    placeholders: [],
  };
  // A job some process waits to complete runs as that process's prestart task instead.
  const awaits = views.flatMap((view) =>
    view.spec.dependsOn
      .filter((dependency) => dependency.condition.startsWith('completed'))
      .map((dependency) => dependency.name)
      .filter((name) => shapeOf(views.find((other) => other.name === name)!.spec) === 'job'),
  );
  const awaitedJobs = new Set(awaits);
  for (const name of awaitedJobs) {
    const waiters = awaits.filter((awaited) => awaited === name).length;
    if (waiters > 1) {
      built.losses.push({
        process: name,
        key: 'kind',
        reason: `job waited for by ${waiters} processes: it runs once in each of their groups`,
      });
    }
  }
  const services = views.filter((view) => shapeOf(view.spec) === 'service');
  if (services.length > 0) {
    built.processes.set(projectId, [...services.map((view) => view.name), ...awaitedJobs]);
    built.jobs.push({
      id: projectId,
      type: 'service',
      meta: { project: input.project.name },
      groups: services.map((view) => group(input, view, views, projectId, built)),
    });
  }
  for (const view of views) {
    const shape = shapeOf(view.spec);
    if (shape === 'service' || (shape === 'job' && awaitedJobs.has(view.name))) continue;
    const id = `${projectId}-${dnsLabel(view.name)}`;
    built.processes.set(id, [view.name]);
    built.jobs.push({
      id,
      type: 'batch',
      meta: { project: input.project.name },
      ...(view.spec.schedule && { periodic: periodic(view, built.losses) }),
      groups: [group(input, view, views, id, built)],
    });
  }
  return built;
}

export function exportNomad(input: ExportInput): ExportResult {
  const { jobs, losses, placeholders, processes } = nomadJobs(input);
  const files: ExportFile[] = jobs.map((job) => ({
    name: `${job.id}.nomad.hcl`,
    text:
      headerComment(
        `Nomad job ${job.id}, exported from the overseer project ${input.project.name}`,
        placeholders.filter((text) => text.includes(`nomad/jobs/${job.id}:`)),
        lossesOf(losses, processes.get(job.id) ?? []),
      ) + nomadJobHcl(job),
  }));
  return { files, losses, placeholders };
}

function periodic(view: ProcessView, losses: Loss[]): NomadJob['periodic'] {
  const schedule = view.spec.schedule!;
  const lose = (key: string, reason: string) => losses.push({ process: view.name, key, reason });
  const { cron, dropped } = minuteCron(schedule.cron);
  if (dropped !== undefined)
    lose('schedule.cron', `${schedule.cron}: seconds (${dropped}) dropped; runs at ${cron}`);
  if (schedule.overlap === 'queue')
    lose('schedule.overlap', 'queue: a fire while a run goes is skipped');
  if (schedule.overlap === 'replace')
    lose('schedule.overlap', 'replace: a fire while a run goes runs beside it');
  return {
    cron,
    prohibitOverlap: schedule.overlap !== 'replace',
    ...(schedule.timezone !== undefined && { timeZone: schedule.timezone }),
  };
}

function group(
  input: ExportInput,
  view: ProcessView,
  views: readonly ProcessView[],
  jobId: string,
  built: Built,
): NomadGroup {
  const { spec } = view;
  const lose = (key: string, reason: string) =>
    built.losses.push({ process: view.name, key, reason });
  const restart = spec.restart;
  const attempts = restart.policy === 'never' ? 0 : restart.maxRestarts;
  if (restart.policy === 'on-failure' && shapeOf(spec) === 'service') {
    lose('restart.policy', 'on-failure: a service task is restarted whatever its exit');
  }
  // Nomad refuses a policy whose attempts cannot fit their delays in the interval.
  const intervalMs = Math.max(restart.windowMs, attempts * restart.delayMs);
  if (intervalMs !== restart.windowMs) {
    lose('restart.window', `raised to ${intervalMs}ms: Nomad needs attempts × delay within it`);
  }
  const endpoint = servedEndpoint(spec);
  if (endpoint && (view.instances ?? 1) > 1) {
    lose(
      'instances',
      `port ${endpoint.port} is static (raw_exec shares the host's network): at most one instance per client`,
    );
  }
  const checks = [
    ...(spec.readiness ? [check(view, 'readiness', endpoint?.port, lose)] : []),
    ...(spec.liveness ? [check(view, 'liveness', endpoint?.port, lose)] : []),
  ].filter((item): item is NomadCheck => item !== undefined);
  const waits = view.spec.dependsOn.flatMap((dependency) => {
    const target = views.find((other) => other.name === dependency.name)!;
    return prestart(input, view, target, dependency.condition, jobId, built);
  });
  const meta: Record<string, string> = {
    ...spec.labels,
    overseer_namespace: spec.namespace,
    ...(spec.description !== undefined && { description: spec.description }),
  };
  return {
    name: dnsLabel(view.name),
    count: view.instances ?? 1,
    meta,
    ports: endpoint ? [{ label: 'probe', port: endpoint.port }] : [],
    services: endpoint ? [{ name: dnsLabel(view.name), portLabel: 'probe', checks }] : [],
    restart: { attempts, intervalMs, delayMs: restart.delayMs, mode: 'fail' },
    reschedule:
      restart.cooldownMs !== undefined
        ? {
            attempts: 0,
            intervalMs: 0,
            delayMs: restart.cooldownMs,
            maxDelayMs: restart.maxCooldownMs ?? restart.cooldownMs,
            unlimited: true,
          }
        : { attempts: 0, intervalMs: 0, delayMs: 30_000, maxDelayMs: 3_600_000, unlimited: false },
    tasks: [...waits, task(input, view, jobId, built)],
  };
}

function check(
  view: ProcessView,
  kind: 'readiness' | 'liveness',
  servicePort: number | undefined,
  lose: (key: string, reason: string) => void,
): NomadCheck | undefined {
  const probe = view.spec[kind]!;
  const endpoint = endpointOf(probe.check);
  if (!endpoint) return undefined;
  if (endpoint.port !== servicePort) {
    lose(kind, `its port ${endpoint.port} is not the service's ${servicePort}: not checked`);
    return undefined;
  }
  if (probe.intervalMs < MIN_CHECK_MS) {
    lose(`${kind}.interval`, `${probe.intervalMs}ms: Nomad checks every ${MIN_CHECK_MS}ms at most`);
  }
  return {
    name: kind,
    type: endpoint.http ? 'http' : 'tcp',
    ...(endpoint.http && {
      path: endpoint.http.path,
      protocol: endpoint.http.scheme === 'HTTPS' ? ('https' as const) : ('http' as const),
    }),
    intervalMs: Math.max(MIN_CHECK_MS, probe.intervalMs),
    timeoutMs: probe.timeoutMs,
    ...(kind === 'liveness' && {
      restartLimit: probe.failureThreshold,
      graceMs: probe.initialDelayMs,
    }),
  };
}
