/**
 * A health score from 0 to 100 per process, from its probe results, how often it restarted
 * lately, and how close its tree is to its resource limits; with the reasons that lowered
 * it, largest first, each ending in its penalty: `memory at 92% of its 256MB limit (-18)`.
 */

import { healthSource } from '../process/probe-tally.js';
import { backoffReason, describeProbeFailure } from '../process/reasons.js';
import type { ProcessSpec } from '../process/spec.js';
import { activeRun, type ProbeKind, type ProcessRecord } from '../process/state.js';
import { formatDuration, formatSize } from '../units.js';
import type { ResourceSample } from './resources.js';

export interface HealthScore {
  /** 100: nothing to worry about; 0: failed. */
  readonly score: number;
  /** What lowered the score, largest penalty first. */
  readonly reasons: readonly string[];
}

/** What the runtime measured of the current run. */
export interface Pressure {
  /** The latest sample of the current run, if any. */
  readonly sample: ResourceSample | null;
  /** The share of time a CPU-throttled tree may run; `null` when not throttled. */
  readonly duty: number | null;
}

/** The penalties, documented in docs/lifecycle.md. */
export const PENALTY = {
  /** The probe that gives `health` says unhealthy. */
  unhealthy: 40,
  /** Per failure in a row of a probe not failing yet, up to `probeFailuresMax`. */
  probeFailure: 10,
  probeFailuresMax: 20,
  /**
   * Still starting while its readiness check has failed `failure_threshold` times in a
   * row: as bad as an unhealthy process, since it is no more use to anyone.
   */
  notReady: 40,
  /** Exited unexpectedly and waiting to restart. */
  backoff: 30,
  /** Per restart within the restart window, up to `restartsMax`. */
  restart: 10,
  restartsMax: 40,
  /**
   * At the memory limit or over it; from nothing at `PRESSURE_FROM` of it, linearly. Over
   * 30, so a process at a limit alone makes the stack `degraded`.
   */
  memory: 40,
  /** At the CPU limit or over it. */
  cpu: 35,
  /** While throttled: held at its limit, as asked, but slowed down. */
  throttled: 20,
  /** At the open files limit. */
  openFiles: 35,
} as const;

/** Share of a limit from which being near it starts to cost points. */
export const PRESSURE_FROM = 0.8;

const PERFECT: HealthScore = { score: 100, reasons: [] };

export function scoreHealth(
  spec: ProcessSpec,
  record: ProcessRecord,
  pressure: Pressure,
  now: number,
): HealthScore {
  const { state } = record;
  if (state.status === 'failed') return { score: 0, reasons: [`failed: ${state.reason} (-100)`] };
  if (state.status === 'stopped' || state.status === 'completed') return PERFECT;
  const penalties: Array<readonly [number, string]> = [];
  const add = (points: number, reason: string) => {
    if (points > 0) penalties.push([points, reason]);
  };

  if (state.status === 'backoff') {
    const why = backoffReason(state.lastExit);
    add(PENALTY.backoff, `restarting after: ${why}`);
  }
  const source = healthSource(spec);
  if (record.health === 'unhealthy' && source) add(PENALTY.unhealthy, `${source} probe failing`);
  const run = activeRun(state);
  const notReady = state.status === 'starting' && record.probes.readiness.passing === false;
  if (notReady) {
    const failure = record.probes.readiness.lastFailure;
    add(
      PENALTY.notReady,
      `not ready: ${failure ? describeProbeFailure('readiness', failure) : 'readiness failing'}`,
    );
  }
  if (run) {
    for (const kind of ['readiness', 'liveness'] as const satisfies ProbeKind[]) {
      const { failures, passing } = record.probes[kind];
      if (failures === 0 || passing === false) continue;
      const points = Math.min(PENALTY.probeFailuresMax, PENALTY.probeFailure * failures);
      add(points, `${kind} probe failed ${times(failures)} in a row`);
    }
  }
  const restarts = record.ledger.recent.filter((at) => at > now - spec.restart.windowMs).length;
  add(
    Math.min(PENALTY.restartsMax, PENALTY.restart * restarts),
    `${restarts} restart${restarts === 1 ? '' : 's'} in the last ${formatDuration(spec.restart.windowMs)}`,
  );
  if (run && spec.limits) scorePressure(spec.limits, pressure, add);

  penalties.sort((a, b) => b[0] - a[0]);
  const lost = penalties.reduce((total, [points]) => total + points, 0);
  return {
    score: Math.max(0, 100 - lost),
    reasons: penalties.map(([points, reason]) => `${reason} (-${points})`),
  };
}

function scorePressure(
  limits: NonNullable<ProcessSpec['limits']>,
  { sample, duty }: Pressure,
  add: (points: number, reason: string) => void,
): void {
  if (duty !== null) {
    add(
      PENALTY.throttled,
      `throttled to ${limits.cpuPercent}% CPU (runs ${Math.round(duty * 100)}% of the time)`,
    );
  }
  if (!sample) return;
  if (limits.memoryBytes !== undefined) {
    const share = sample.memoryBytes / limits.memoryBytes;
    add(
      near(share, PENALTY.memory),
      `memory at ${percent(share)} of its ${formatSize(limits.memoryBytes)} limit`,
    );
  }
  if (duty === null && limits.cpuPercent !== undefined && sample.cpuPercent !== null) {
    const share = sample.cpuPercent / limits.cpuPercent;
    add(near(share, PENALTY.cpu), `cpu at ${percent(share)} of its ${limits.cpuPercent}% limit`);
  }
  if (limits.openFiles !== undefined && sample.fds !== null) {
    const share = sample.fds / limits.openFiles;
    add(
      near(share, PENALTY.openFiles),
      `${sample.fds} open files of its limit ${limits.openFiles}`,
    );
  }
}

/** Nothing below `PRESSURE_FROM` of a limit, then linearly up to `most` at the limit and over. */
function near(share: number, most: number): number {
  if (share <= PRESSURE_FROM) return 0;
  return Math.round(Math.min(1, (share - PRESSURE_FROM) / (1 - PRESSURE_FROM)) * most);
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

function times(count: number): string {
  return count === 1 ? 'once' : `${count} times`;
}
