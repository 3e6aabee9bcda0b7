/**
 * A Nomad job model as the JSON body of Nomad's jobs API (`POST /v1/jobs`, `nomad job run
 * -json`): PascalCase fields, durations in nanoseconds.
 */
import type { NomadCheck, NomadGroup, NomadJob, NomadTask } from './nomad-model.js';

const NS_PER_MS = 1_000_000;

export function nomadJobJson(job: NomadJob): Record<string, unknown> {
  return {
    Job: {
      ID: job.id,
      Name: job.id,
      Type: job.type,
      Datacenters: ['*'],
      Meta: job.meta,
      ...(job.periodic && {
        Periodic: {
          Enabled: true,
          SpecType: 'cron',
          Spec: job.periodic.cron,
          ProhibitOverlap: job.periodic.prohibitOverlap,
          ...(job.periodic.timeZone !== undefined && { TimeZone: job.periodic.timeZone }),
        },
      }),
      TaskGroups: job.groups.map(groupJson),
    },
  };
}

function groupJson(group: NomadGroup): Record<string, unknown> {
  return {
    Name: group.name,
    Count: group.count,
    Meta: group.meta,
    ...(group.ports.length > 0 && {
      Networks: [
        { ReservedPorts: group.ports.map((port) => ({ Label: port.label, Value: port.port })) },
      ],
    }),
    ...(group.services.length > 0 && {
      Services: group.services.map((service) => ({
        Name: service.name,
        PortLabel: service.portLabel,
        Provider: 'nomad',
        Checks: service.checks.map(checkJson),
      })),
    }),
    RestartPolicy: {
      Attempts: group.restart.attempts,
      Interval: group.restart.intervalMs * NS_PER_MS,
      Delay: group.restart.delayMs * NS_PER_MS,
      Mode: group.restart.mode,
    },
    ReschedulePolicy: {
      Attempts: group.reschedule.attempts,
      Interval: group.reschedule.intervalMs * NS_PER_MS,
      Delay: group.reschedule.delayMs * NS_PER_MS,
      DelayFunction: 'exponential',
      MaxDelay: group.reschedule.maxDelayMs * NS_PER_MS,
      Unlimited: group.reschedule.unlimited,
    },
    Tasks: group.tasks.map(taskJson),
  };
}

function checkJson(check: NomadCheck): Record<string, unknown> {
  return {
    Name: check.name,
    Type: check.type,
    ...(check.path !== undefined && { Path: check.path }),
    ...(check.protocol !== undefined && { Protocol: check.protocol }),
    Interval: check.intervalMs * NS_PER_MS,
    Timeout: check.timeoutMs * NS_PER_MS,
    ...(check.restartLimit !== undefined && {
      CheckRestart: { Limit: check.restartLimit, Grace: (check.graceMs ?? 0) * NS_PER_MS },
    }),
  };
}

function taskJson(task: NomadTask): Record<string, unknown> {
  return {
    Name: task.name,
    Driver: task.driver,
    Config: { command: task.command, args: task.args },
    Env: task.env,
    ...(task.user !== undefined && { User: task.user }),
    KillSignal: task.killSignal,
    KillTimeout: task.killTimeoutMs * NS_PER_MS,
    ...(task.resources && {
      Resources: {
        ...(task.resources.cpu !== undefined && { CPU: task.resources.cpu }),
        ...(task.resources.memoryMB !== undefined && { MemoryMB: task.resources.memoryMB }),
      },
    }),
    ...(task.lifecycle && {
      Lifecycle: { Hook: task.lifecycle.hook, Sidecar: task.lifecycle.sidecar },
    }),
    ...(task.templates.length > 0 && {
      Templates: task.templates.map((template) => ({
        EmbeddedTmpl: template.data,
        DestPath: template.destination,
        Envvars: template.env,
        ChangeMode: 'restart',
      })),
    }),
    ...(task.logs && {
      LogConfig: { MaxFiles: task.logs.maxFiles, MaxFileSizeMB: task.logs.maxFileSizeMB },
    }),
    Meta: task.meta,
  };
}
