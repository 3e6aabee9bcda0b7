/**
 * A process's spec as overseer.yaml writes it: snake_case keys, durations and sizes with
 * their units (`30s`, `512MB`), CPU in percent (`150%`). Every default is in the spec, so
 * it is written too: this is what the process runs with, not only what its entry said.
 * Read back as an entry of `processes:` (under the spec's `family`), it gives the same spec.
 */
import type { YamlValue } from '../yaml-text.js';
import type { LimitsSpec, ProbeCheck, ProbeSpec, ProcessSpec, RestartSpec } from './spec.js';

type ConfigMap = { readonly [key: string]: YamlValue };

/** The entry of `processes:` that gives `spec` (instances apart: one entry per instance). */
export function specAsConfig(spec: ProcessSpec): ConfigMap {
  return {
    command: spec.command,
    cwd: spec.cwd,
    env: nonEmpty(spec.env),
    env_file: spec.envFile,
    namespace: spec.namespace,
    description: spec.description,
    labels: nonEmpty(spec.labels),
    kind: spec.kind,
    priority: spec.priority,
    depends_on:
      spec.dependsOn.length === 0
        ? undefined
        : Object.fromEntries(
            spec.dependsOn.map((dependency) => [
              dependency.name,
              dependency.restart
                ? { condition: dependency.condition, restart: true }
                : dependency.condition,
            ]),
          ),
    restart: restartConfig(spec.restart),
    // `0` is how a config turns the start timeout off.
    start_timeout: spec.startTimeoutMs === undefined ? 0 : durationText(spec.startTimeoutMs),
    readiness: spec.readiness && probeConfig(spec.readiness),
    liveness: spec.liveness && probeConfig(spec.liveness),
    stop: { signal: spec.stop.signal, timeout: durationText(spec.stop.timeoutMs) },
    logs: spec.logs && {
      max_size: spec.logs.maxSize === undefined ? undefined : sizeText(spec.logs.maxSize),
      max_files: spec.logs.maxFiles,
    },
    limits: spec.limits && limitsConfig(spec.limits),
    sandbox: spec.sandbox && {
      // The policy as narrowed: the narrowest list is the one that decides.
      allowed_commands: spec.sandbox.allowedCommands.at(-1),
      restricted_paths: spec.sandbox.restrictedPaths,
      env: { inherit: spec.sandbox.env.inherit, pass: spec.sandbox.env.pass },
      isolate: spec.sandbox.isolate,
      network: spec.sandbox.network,
    },
    user: spec.runAs?.user,
    group: spec.runAs?.group,
    schedule: spec.schedule && {
      cron: spec.schedule.cron,
      timezone: spec.schedule.timezone,
      overlap: spec.schedule.overlap,
      run_on_start: spec.schedule.runOnStart,
    },
    watch: spec.watch && {
      paths: spec.watch.paths,
      ignore: spec.watch.ignore,
      debounce: durationText(spec.watch.debounceMs),
    },
  };
}

function restartConfig(restart: RestartSpec): ConfigMap {
  return {
    policy: restart.policy,
    max_restarts: restart.maxRestarts,
    window: durationText(restart.windowMs),
    delay: durationText(restart.delayMs),
    factor: restart.factor,
    max_delay: durationText(restart.maxDelayMs),
    min_uptime: durationText(restart.minUptimeMs),
    exit_codes: restart.exitCodes,
    cooldown: restart.cooldownMs === undefined ? undefined : durationText(restart.cooldownMs),
    max_cooldown:
      restart.maxCooldownMs === undefined ? undefined : durationText(restart.maxCooldownMs),
  };
}

function probeConfig(probe: ProbeSpec): ConfigMap {
  return {
    ...checkConfig(probe.check),
    interval: durationText(probe.intervalMs),
    timeout: durationText(probe.timeoutMs),
    failure_threshold: probe.failureThreshold,
    initial_delay: durationText(probe.initialDelayMs),
  };
}

/** `http: URL`, `tcp: host:port`, `exec: command`, `log: pattern`. */
export function checkConfig(check: ProbeCheck): ConfigMap {
  switch (check.type) {
    case 'http':
      return { http: check.url };
    case 'tcp':
      // An IPv6 host is written in brackets, as in a URL, so its port stays apart.
      return { tcp: `${check.host.includes(':') ? `[${check.host}]` : check.host}:${check.port}` };
    case 'exec':
      return { exec: check.command };
    case 'log':
      return { log: check.pattern };
  }
}

function limitsConfig(limits: LimitsSpec): ConfigMap {
  const cpu = limits.cpuPercent !== undefined;
  return {
    memory: limits.memoryBytes === undefined ? undefined : sizeText(limits.memoryBytes),
    memory_action: limits.memoryBytes === undefined ? undefined : limits.memoryAction,
    memory_warn:
      limits.memoryWarn === undefined
        ? undefined
        : 'percent' in limits.memoryWarn
          ? `${limits.memoryWarn.percent}%`
          : sizeText(limits.memoryWarn.bytes),
    cpu: cpu ? `${limits.cpuPercent}%` : undefined,
    cpu_action: cpu ? limits.cpuAction : undefined,
    cpu_warn: limits.cpuWarnPercent === undefined ? undefined : `${limits.cpuWarnPercent}%`,
    cpu_window: cpu ? durationText(limits.cpuWindowMs) : undefined,
    max_runtime: limits.maxRuntimeMs === undefined ? undefined : durationText(limits.maxRuntimeMs),
    open_files: limits.openFiles,
    alert_cooldown: durationText(limits.alertCooldownMs),
  };
}

const DURATION_UNITS: readonly (readonly [string, number])[] = [
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
];

/** In the largest unit that says it exactly, as the config reads it: `90s`, `5m`, `1500ms`. */
export function durationText(ms: number): string {
  if (ms === 0) return '0s';
  const unit = DURATION_UNITS.find(([, size]) => ms % size === 0);
  return unit ? `${ms / unit[1]}${unit[0]}` : `${ms}ms`;
}

const SIZE_UNITS: readonly (readonly [string, number])[] = [
  ['GB', 1024 ** 3],
  ['MB', 1024 ** 2],
  ['KB', 1024],
];

/** In the largest unit that says it exactly: `512MB`, `1GB`, `1536KB`, `1000B`. */
export function sizeText(bytes: number): string {
  const unit = SIZE_UNITS.find(([, size]) => bytes % size === 0 && bytes >= size);
  return unit ? `${bytes / unit[1]}${unit[0]}` : `${bytes}B`;
}

function nonEmpty(map: Readonly<Record<string, string>>): ConfigMap | undefined {
  return Object.keys(map).length === 0 ? undefined : map;
}
