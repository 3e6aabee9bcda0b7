/**
 * What the details of one process say in words: how a run ended, where memory is heading,
 * the limits' breaches, the containment, the labels. Shared by `overseer inspect` and the
 * dashboard's details, so both say the same thing the same way.
 */
import type { EventOf } from './events.js';
import type { MemoryTrend } from './limits/resources.js';
import type { Violations } from './process/state.js';
import { formatBytes, formatDuration } from './units.js';
import type { ContainmentInfo, RunRecord } from './view.js';

/** How a run ended, as a cell: the signal, else the exit code; `-` while it runs. */
export function runExitText(run: RunRecord): string {
  return run.signal ?? (run.exitCode === null ? '-' : String(run.exitCode));
}

/** `memory rising: +1.2MB/min over 5m0s`, or `memory steady: …`. */
export function memoryTrendText(trend: MemoryTrend): string {
  const sign = trend.bytesPerMinute < 0 ? '-' : '+';
  const rate = `${sign}${formatBytes(Math.abs(trend.bytesPerMinute))}/min`;
  const over = `over ${formatDuration(trend.spanMs, 'elapsed')}`;
  return `memory ${trend.rising ? 'rising' : 'steady'}: ${rate} ${over}`;
}

/** `throttled: runs 40% of the time`, for a tree held to its CPU limit. */
export function throttleText(duty: number): string {
  return `throttled: runs ${Math.round(duty * 100)}% of the time`;
}

/** `memory 2, cpu 1`: breaches per resource; `null` when there was none. */
export function violationsText(violations: Violations): string | null {
  const counted = Object.entries(violations);
  if (counted.length === 0) return null;
  return counted.map(([resource, count]) => `${resource} ${count}`).join(', ');
}

/** `2026-01-01T10:00:00.000Z warning memory 300MB over limit 256MB: restart (+2 held back)` */
export function breachText(breach: EventOf<'process:limit'>): string {
  const at = new Date(breach.at).toISOString();
  const held = breach.suppressed > 0 ? ` (+${breach.suppressed} held back)` : '';
  return `${at} ${breach.severity} ${breach.reason}: ${breach.action}${held}`;
}

/** `cgroup (/sys/fs/cgroup/overseer)`, `process-group (no cgroup v2 here)`. */
export function containmentText(containment: ContainmentInfo): string {
  const detail = containment.cgroup ?? containment.reason;
  return `${containment.mode}${detail ? ` (${detail})` : ''}`;
}

/** `tier=web team=shop`; empty when there is none. */
export function labelsText(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
}
