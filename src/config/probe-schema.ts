/**
 * `readiness:` and `liveness:` of a process entry: what a probe checks (one of `http`, `tcp`,
 * `exec`, `log`) and how often (docs/health-checks.md).
 */
import { z } from 'zod';
import { BOUNDS, count, duration, hostPort } from './units-schema.js';

const tcpAddress = hostPort({ example: '127.0.0.1:3000', minPort: 1 });

/** The keys of a probe that say what it checks: one of them. */
const PROBE_CHECKS = ['http', 'tcp', 'exec', 'log'];

/** `readiness:` and `liveness:` of a process. */
export const probeSchema = z
  .strictObject({
    http: z
      .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
      .meta({ pattern: '^[Hh][Tt][Tt][Pp][Ss]?://' })
      .describe('Passes when a GET of this http(s) URL answers 2xx or 3xx.')
      .optional(),
    tcp: tcpAddress.describe('Passes when a connection to this host:port opens.').optional(),
    exec: z
      .string()
      .trim()
      .min(1, 'expected a non-empty command')
      .describe('Passes when this command exits 0.')
      .optional(),
    log: z
      .string()
      .min(1)
      .refine(isValidRegex, { message: 'expected a valid regular expression' })
      .describe('Passes once a line of output matches this regular expression.')
      .optional(),
    // Above 0: an interval of 0 would probe in a busy loop, a timeout of 0 fail every probe.
    interval: duration({ positive: true })
      .describe('Between two probes, above 0 (readiness 1s, liveness 10s).')
      .optional(),
    timeout: duration({ positive: true })
      .describe('A probe not answered by then fails (default 1s).')
      .optional(),
    failure_threshold: count(1, BOUNDS.failureThreshold)
      .describe('Failures in a row that count (default 3).')
      .optional(),
    initial_delay: duration().describe('Before the first probe of a run (default 0).').optional(),
  })
  .refine((probe) => [probe.http, probe.tcp, probe.exec, probe.log].filter(Boolean).length === 1, {
    message: 'expected exactly one of http, tcp, exec or log',
  })
  // For overseer.schema.json: at most one, as a process may take its check from `defaults`.
  .meta({ not: { anyOf: pairsOf(PROBE_CHECKS).map((pair) => ({ required: pair })) } });

function isValidRegex(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

function pairsOf(keys: readonly string[]): string[][] {
  return keys.flatMap((first, index) => keys.slice(index + 1).map((second) => [first, second]));
}
