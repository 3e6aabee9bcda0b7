/** The pieces of a compose service that are values of their own: healthchecks, durations, literal text. */
import { Scalar } from 'yaml';
import type { ProbeSpec } from '../core/process/spec.js';
import { endpointOf } from './process-view.js';

type Service = Record<string, unknown>;

/** Every string of a plain value with its `$` doubled; YAML nodes (a quoted `no`) as they are. */
export function withDollarsKept<T>(value: T): T {
  if (typeof value === 'string') return value.replace(/\$/g, () => '$$') as T;
  if (Array.isArray(value)) return value.map(withDollarsKept) as T;
  if (
    value !== null &&
    typeof value === 'object' &&
    Object.getPrototypeOf(value) === Object.prototype
  ) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, withDollarsKept(item)]),
    ) as T;
  }
  return value;
}

/** A string in quotes: a bare `no` is false to YAML 1.1 readers, compose's among them. */
export function quoted(text: string): Scalar {
  const scalar = new Scalar(text);
  scalar.type = 'QUOTE_DOUBLE';
  return scalar;
}

/** A duration as compose reads it (Go's): whole seconds where they divide. */
export function span(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

export function healthcheckOf(
  probe: ProbeSpec | undefined,
  lose?: (key: string, reason: string) => void,
): Service | undefined {
  if (!probe) return undefined;
  const check = probe.check;
  const endpoint = endpointOf(check);
  const test =
    check.type === 'exec'
      ? ['CMD-SHELL', check.command]
      : check.type === 'http'
        ? ['CMD', 'curl', '-fsS', '-o', '/dev/null', check.url]
        : check.type === 'tcp'
          ? ['CMD', 'nc', '-z', check.host, String(endpoint!.port)]
          : undefined;
  if (!test) {
    lose?.('readiness', 'a log check cannot be a healthcheck: none is written');
    return undefined;
  }
  return {
    test,
    interval: span(probe.intervalMs),
    timeout: span(probe.timeoutMs),
    retries: probe.failureThreshold,
    start_period: span(probe.initialDelayMs),
  };
}
