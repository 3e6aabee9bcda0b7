/**
 * Resource limits as pure decisions. From one sample of a process tree and what was seen
 * before (a `LimitWatch`), `judgeLimits` says which limits were breached, what each breach
 * does, which are worth announcing (severity, cooldown), and how hard a throttled tree
 * must be held. `transition` then carries a breach out (stop, restart, count, announce).
 */

import type { CpuAction, LimitsSpec, MemoryAction, WarnThreshold } from '../process/spec.js';
import { formatDuration, formatSize } from '../units.js';
import type { ResourceSample } from './resources.js';

/** What a limit is about; `max_runtime` is judged by a timer, the others by samples. */
export type LimitResource = 'memory' | 'cpu' | 'max_runtime' | 'open_files';

/**
 * What a breach does: `restart` and `stop` end the run (see `LimitsSpec`), `alert` only
 * reports, `throttle` holds the CPU down, `deny` says the kernel refuses more (open files),
 * `warn` says a warning threshold under the limit was crossed (the limit acts later, if at all).
 */
export type LimitAction = MemoryAction | CpuAction | 'deny' | 'warn';

/** What the watch keeps apart: each resource, and the warning thresholds under memory and cpu. */
export type WatchKey = LimitResource | 'memory_warn' | 'cpu_warn';

/** `critical` when the breach ends the run or the value is 1.5 × the limit or more. */
export type Severity = 'warning' | 'critical';

export interface LimitBreach {
  readonly resource: LimitResource;
  /** What was measured: bytes, % of one core, ms of runtime, or descriptors. */
  readonly value: number;
  readonly limit: number;
  readonly action: LimitAction;
  readonly severity: Severity;
  /** False when the same resource was announced less than the cooldown ago: counted, not announced. */
  readonly report: boolean;
  /** Breaches of this resource that were not announced since the last one that was. */
  readonly suppressed: number;
  /** `memory 300MB over limit 256MB`: the reason of the stop or restart it causes. */
  readonly reason: string;
}

interface ReportMark {
  /** When a breach of the resource was last announced. */
  readonly at: number;
  /** Breaches since then that were not. */
  readonly suppressed: number;
}

/** What the judge remembers between samples of one process. An immutable value. */
export interface LimitWatch {
  /** The run this memory belongs to (its spawn time); a sample of another run starts afresh. */
  readonly runSince: number | null;
  /** When the current streak of samples over the CPU limit began. */
  readonly cpuOverSince: number | null;
  /** When the current streak of samples over `cpu_warn` began. */
  readonly cpuWarnOverSince: number | null;
  /** Resources (and thresholds) over at the last sample: a breach counts on the way over, once. */
  readonly over: readonly WatchKey[];
  /** Share of each throttle period the tree may run, from `MIN_DUTY` to below 1; `null`: not throttled. */
  readonly duty: number | null;
  /** Announcements per resource (a warning apart), kept across runs so a crash loop cannot flood events either. */
  readonly reported: Readonly<Partial<Record<WatchKey, ReportMark>>>;
}

export const FRESH_WATCH: LimitWatch = {
  runSince: null,
  cpuOverSince: null,
  cpuWarnOverSince: null,
  over: [],
  duty: null,
  reported: {},
};

/** A value this many times its limit makes an alert `critical`. */
export const CRITICAL_OVERSHOOT = 1.5;

/** The least share of a period a throttled tree runs: it is slowed, never frozen. */
export const MIN_DUTY = 0.02;

export interface Judgement {
  readonly watch: LimitWatch;
  /** In the order memory, cpu, open files. */
  readonly breaches: readonly LimitBreach[];
}

type Finding = Pick<LimitBreach, 'resource' | 'value' | 'limit' | 'action' | 'reason'> & {
  /** Whose cooldown it is under: its resource's, or its warning threshold's. */
  readonly key: WatchKey;
};

/**
 * Judges one sample of the run that began at `runSince` against `limits`:
 *
 * - memory: the tree's RSS over `memoryBytes` is a breach, at once;
 * - cpu: a breach once every sample for `cpuWindowMs` was over `cpuPercent`. While the tree
 *   is throttled, what it would use unthrottled (measured ÷ duty) is what is judged, and the
 *   duty is corrected towards `limit ÷ that`; it is released once that drops under the limit;
 * - open files: as many descriptors as the hard limit means the next open fails.
 *
 * - warnings (`memoryWarn`, `cpuWarnPercent`): crossing the threshold under a limit is a `warn`
 *   breach, judged as its limit is (the CPU's held for the same window); one that its limit
 *   is breached at the same sample says nothing the breach does not.
 *
 * A resource breaches once on its way over and again only after it was back under. Breaches
 * that only report (`alert`, `throttle`, `deny`, `warn`) are announced at most once per
 * `alertCooldownMs` per resource (and per warning threshold); the next announcement says how
 * many were held back.
 */
export function judgeLimits(
  limits: LimitsSpec,
  previous: LimitWatch,
  sample: ResourceSample,
  runSince: number,
): Judgement {
  const watch =
    previous.runSince === runSince
      ? previous
      : { ...FRESH_WATCH, reported: previous.reported, runSince };
  const was = new Set(watch.over);
  const over: WatchKey[] = [];
  const findings: Finding[] = [];

  const memoryOver = limits.memoryBytes !== undefined && sample.memoryBytes > limits.memoryBytes;
  const memoryWarn = memoryWarnBytes(limits);
  if (memoryWarn !== undefined && sample.memoryBytes > memoryWarn) {
    over.push('memory_warn');
    if (!was.has('memory_warn') && !(memoryOver && !was.has('memory'))) {
      findings.push({
        key: 'memory_warn',
        resource: 'memory',
        value: sample.memoryBytes,
        limit: memoryWarn,
        action: 'warn',
        reason: `memory ${formatSize(sample.memoryBytes)} over warning ${formatSize(memoryWarn)}${warnOf(limits.memoryWarn, formatSize(limits.memoryBytes ?? 0))}`,
      });
    }
  }

  if (limits.memoryBytes !== undefined && memoryOver) {
    over.push('memory');
    if (!was.has('memory')) {
      findings.push({
        key: 'memory',
        resource: 'memory',
        value: sample.memoryBytes,
        limit: limits.memoryBytes,
        action: limits.memoryAction,
        reason: `memory ${formatSize(sample.memoryBytes)} over limit ${formatSize(limits.memoryBytes)}`,
      });
    }
  }

  const cpu = judgeCpu(limits, watch, sample, was.has('cpu'));
  const cpuWarn = judgeCpuWarn(limits, watch, sample, was.has('cpu_warn'));
  if (cpuWarn.over) over.push('cpu_warn');
  if (cpuWarn.finding && !cpu.finding) findings.push(cpuWarn.finding);
  if (cpu.over) over.push('cpu');
  if (cpu.finding) findings.push(cpu.finding);

  if (limits.openFiles !== undefined && sample.fds !== null && sample.fds >= limits.openFiles) {
    over.push('open_files');
    if (!was.has('open_files')) {
      findings.push({
        key: 'open_files',
        resource: 'open_files',
        value: sample.fds,
        limit: limits.openFiles,
        action: 'deny',
        reason: `open_files ${sample.fds} at limit ${limits.openFiles}`,
      });
    }
  }

  let reported = watch.reported;
  const breaches = findings.map(({ key, ...finding }) => {
    const mark = reported[key];
    const enforced = finding.action === 'restart' || finding.action === 'stop';
    const report = enforced || !mark || sample.at - mark.at >= limits.alertCooldownMs;
    reported = {
      ...reported,
      [key]: report
        ? { at: sample.at, suppressed: 0 }
        : { at: mark!.at, suppressed: mark!.suppressed + 1 },
    };
    return {
      ...finding,
      severity: severityOf(finding),
      report,
      suppressed: report ? (mark?.suppressed ?? 0) : 0,
    };
  });

  return {
    watch: {
      runSince,
      cpuOverSince: cpu.overSince,
      cpuWarnOverSince: cpuWarn.overSince,
      over,
      duty: cpu.duty,
      reported,
    },
    breaches,
  };
}

interface CpuVerdict {
  readonly over: boolean;
  readonly overSince: number | null;
  readonly duty: number | null;
  readonly finding: Finding | undefined;
}

function judgeCpu(
  limits: LimitsSpec,
  watch: LimitWatch,
  sample: ResourceSample,
  wasOver: boolean,
): CpuVerdict {
  const limit = limits.cpuPercent;
  const measured = sample.cpuPercent;
  if (limit === undefined || measured === null) {
    return { over: wasOver, overSince: watch.cpuOverSince, duty: watch.duty, finding: undefined };
  }
  const demand = watch.duty === null ? measured : measured / watch.duty;
  if (demand <= limit) return { over: false, overSince: null, duty: null, finding: undefined };
  const overSince = watch.cpuOverSince ?? sample.at;
  const lasted = sample.at - overSince;
  if (wasOver) {
    // Still over: a throttled tree is held to what it would use now; others just stay over.
    const duty = watch.duty === null ? null : dutyFor(limit, demand);
    return { over: true, overSince, duty, finding: undefined };
  }
  if (lasted < limits.cpuWindowMs)
    return { over: false, overSince, duty: null, finding: undefined };
  const value = Math.round(demand * 10) / 10;
  const finding: Finding = {
    key: 'cpu',
    resource: 'cpu',
    value,
    limit,
    action: limits.cpuAction,
    reason: `cpu ${value}% over limit ${limit}%${lasted > 0 ? ` for ${formatDuration(lasted)}` : ''}`,
  };
  const duty = limits.cpuAction === 'throttle' ? dutyFor(limit, demand) : null;
  return { over: true, overSince, duty, finding };
}

/**
 * Whether the tree's CPU stayed over `cpu_warn` for the window. Judged on what it would use
 * unthrottled, as the limit is: a throttled tree is held under its limit, and so may sit
 * over its warning all along.
 */
function judgeCpuWarn(
  limits: LimitsSpec,
  watch: LimitWatch,
  sample: ResourceSample,
  wasOver: boolean,
): Omit<CpuVerdict, 'duty'> {
  const threshold = cpuWarnThreshold(limits);
  const measured = sample.cpuPercent;
  if (threshold === undefined || measured === null) {
    return { over: wasOver, overSince: watch.cpuWarnOverSince, finding: undefined };
  }
  const demand = watch.duty === null ? measured : measured / watch.duty;
  if (demand <= threshold) return { over: false, overSince: null, finding: undefined };
  const overSince = watch.cpuWarnOverSince ?? sample.at;
  const lasted = sample.at - overSince;
  if (wasOver) return { over: true, overSince, finding: undefined };
  if (lasted < limits.cpuWindowMs) return { over: false, overSince, finding: undefined };
  const value = Math.round(demand * 10) / 10;
  const finding: Finding = {
    key: 'cpu_warn',
    resource: 'cpu',
    value,
    limit: threshold,
    action: 'warn',
    reason: `cpu ${value}% over warning ${threshold}%${warnOf({ percent: limits.cpuWarnPercent! }, `${limits.cpuPercent}%`)}${lasted > 0 ? ` for ${formatDuration(lasted)}` : ''}`,
  };
  return { over: true, overSince, finding };
}

/** The memory a `warn` is announced over, in bytes; `undefined` without `memoryWarn`. */
export function memoryWarnBytes(limits: LimitsSpec): number | undefined {
  const warn = limits.memoryWarn;
  if (warn === undefined || limits.memoryBytes === undefined) return undefined;
  return 'bytes' in warn ? warn.bytes : Math.floor((limits.memoryBytes * warn.percent) / 100);
}

/** The CPU a `warn` is announced over, in % of one core; `undefined` without `cpuWarnPercent`. */
export function cpuWarnThreshold(limits: LimitsSpec): number | undefined {
  if (limits.cpuWarnPercent === undefined || limits.cpuPercent === undefined) return undefined;
  return Math.round(limits.cpuPercent * limits.cpuWarnPercent) / 100;
}

/** ` (80% of 256MB)` for a threshold written as a share of its limit; empty for a size. */
function warnOf(warn: WarnThreshold | undefined, limitText: string): string {
  return warn && 'percent' in warn ? ` (${warn.percent}% of ${limitText})` : '';
}

/**
 * The share of each period a tree that would use `demand` % may run so that it uses
 * `limit` %, at least `MIN_DUTY`; `null` (run freely) when it is under the limit anyway.
 */
export function dutyFor(limit: number, demand: number): number | null {
  const duty = limit / demand;
  if (duty >= 1) return null;
  return Math.max(MIN_DUTY, duty);
}

/** The breach of a run that reached `max_runtime`: it is stopped, and the restart policy decides. */
export function maxRuntimeBreach(limitMs: number, runMs: number): LimitBreach {
  return {
    resource: 'max_runtime',
    value: runMs,
    limit: limitMs,
    action: 'stop',
    severity: 'critical',
    report: true,
    suppressed: 0,
    reason: `max_runtime ${formatDuration(limitMs)} reached`,
  };
}

function severityOf({ action, value, limit }: Omit<Finding, 'key'>): Severity {
  if (action === 'warn') return 'warning';
  if (action === 'restart' || action === 'stop' || action === 'deny') return 'critical';
  return value >= CRITICAL_OVERSHOOT * limit ? 'critical' : 'warning';
}
