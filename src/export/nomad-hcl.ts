/** A Nomad job model written as HCL2, as `nomad job run` reads it and people write it. */
import type { NomadCheck, NomadGroup, NomadJob, NomadTask } from './nomad-model.js';

type Line = string | Line[];

export function nomadJobHcl(job: NomadJob): string {
  const body: Line[] = [
    `type        = ${str(job.type)}`,
    `datacenters = ["*"]`,
    ...map('meta', job.meta),
  ];
  if (job.periodic) {
    body.push(
      'periodic {',
      [
        `crons            = [${str(job.periodic.cron)}]`,
        `prohibit_overlap = ${job.periodic.prohibitOverlap}`,
        ...(job.periodic.timeZone !== undefined
          ? [`time_zone        = ${str(job.periodic.timeZone)}`]
          : []),
      ],
      '}',
    );
  }
  for (const group of job.groups) body.push('', ...groupLines(group));
  return `${render([`job ${str(job.id)} {`, body, '}'], '')}\n`;
}

function groupLines(group: NomadGroup): Line[] {
  const body: Line[] = [`count = ${group.count}`, ...map('meta', group.meta)];
  if (group.ports.length > 0) {
    body.push(
      'network {',
      group.ports.map((port) => `port ${str(port.label)} { static = ${port.port} }`),
      '}',
    );
  }
  for (const service of group.services) {
    body.push(
      'service {',
      [
        `name     = ${str(service.name)}`,
        `port     = ${str(service.portLabel)}`,
        `provider = "nomad"`,
        ...service.checks.flatMap(checkLines),
      ],
      '}',
    );
  }
  body.push(
    'restart {',
    [
      `attempts = ${group.restart.attempts}`,
      `interval = ${duration(group.restart.intervalMs)}`,
      `delay    = ${duration(group.restart.delayMs)}`,
      `mode     = ${str(group.restart.mode)}`,
    ],
    '}',
    'reschedule {',
    [
      `attempts       = ${group.reschedule.attempts}`,
      `interval       = ${duration(group.reschedule.intervalMs)}`,
      `delay          = ${duration(group.reschedule.delayMs)}`,
      `delay_function = "exponential"`,
      `max_delay      = ${duration(group.reschedule.maxDelayMs)}`,
      `unlimited      = ${group.reschedule.unlimited}`,
    ],
    '}',
  );
  for (const task of group.tasks) body.push('', ...taskLines(task));
  return [`group ${str(group.name)} {`, body, '}'];
}

function checkLines(check: NomadCheck): Line[] {
  return [
    'check {',
    [
      `name     = ${str(check.name)}`,
      `type     = ${str(check.type)}`,
      ...(check.path !== undefined ? [`path     = ${str(check.path)}`] : []),
      ...(check.protocol !== undefined ? [`protocol = ${str(check.protocol)}`] : []),
      `interval = ${duration(check.intervalMs)}`,
      `timeout  = ${duration(check.timeoutMs)}`,
      ...(check.restartLimit !== undefined
        ? [
            'check_restart {',
            [`limit = ${check.restartLimit}`, `grace = ${duration(check.graceMs ?? 0)}`],
            '}',
          ]
        : []),
    ],
    '}',
  ];
}

function taskLines(task: NomadTask): Line[] {
  const body: Line[] = [`driver = ${str(task.driver)}`];
  if (task.lifecycle) {
    body.push(
      'lifecycle {',
      [`hook    = ${str(task.lifecycle.hook)}`, `sidecar = ${task.lifecycle.sidecar}`],
      '}',
    );
  }
  body.push(
    'config {',
    [`command = ${str(task.command)}`, `args    = [${task.args.map(str).join(', ')}]`],
    '}',
  );
  if (task.user !== undefined) body.push(`user = ${str(task.user)}`);
  body.push(
    `kill_signal  = ${str(task.killSignal)}`,
    `kill_timeout = ${duration(task.killTimeoutMs)}`,
  );
  body.push(...map('env', task.env), ...map('meta', task.meta));
  if (task.resources) {
    body.push(
      'resources {',
      [
        ...(task.resources.cpu !== undefined ? [`cpu    = ${task.resources.cpu}`] : []),
        ...(task.resources.memoryMB !== undefined ? [`memory = ${task.resources.memoryMB}`] : []),
      ],
      '}',
    );
  }
  if (task.logs) {
    body.push(
      'logs {',
      [`max_files     = ${task.logs.maxFiles}`, `max_file_size = ${task.logs.maxFileSizeMB}`],
      '}',
    );
  }
  for (const template of task.templates) {
    body.push(
      'template {',
      [
        `data        = ${str(template.data)}`,
        `destination = ${str(template.destination)}`,
        `env         = ${template.env}`,
      ],
      '}',
    );
  }
  return [`task ${str(task.name)} {`, body, '}'];
}

/** `env` and `meta` as maps: HCL2 block bodies take only plain identifiers as names. */
function map(name: string, values: Readonly<Record<string, string>>): Line[] {
  const entries = Object.entries(values);
  if (entries.length === 0) return [];
  return [`${name} = {`, entries.map(([key, value]) => `${str(key)} = ${str(value)}`), '}'];
}

/**
 * An HCL string: JSON's escapes, and `${` and `%{` doubled so that a value is written as it
 * is, but for Nomad's own runtime variables (`${NOMAD_ALLOC_INDEX}`), which are meant to be read.
 */
function str(value: string): string {
  if (/^\$\{NOMAD_[A-Z_]+\}$/.test(value)) return `"${value}"`;
  // Functions, not replacement strings: in those, `$$` is one dollar.
  return JSON.stringify(value)
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, () => '%%{');
}

/** Whole units where they divide, as people write them: `30s`, `5m`, `250ms`. */
function duration(ms: number): string {
  if (ms % 3_600_000 === 0 && ms > 0) return `"${ms / 3_600_000}h"`;
  if (ms % 60_000 === 0 && ms > 0) return `"${ms / 60_000}m"`;
  if (ms % 1000 === 0) return `"${ms / 1000}s"`;
  return `"${ms}ms"`;
}

function render(lines: Line[], indent: string): string {
  return lines
    .map((line) =>
      typeof line === 'string'
        ? line === ''
          ? ''
          : `${indent}${line}`
        : render(line, `${indent}  `),
    )
    .join('\n');
}
