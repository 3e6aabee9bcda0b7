/**
 * What one sampling pass saw of a process tree (the process and all its descendants), and
 * the trend of a short history of such samples.
 */

import type { IoBytes } from './io-tally.js';

/** One sample of a whole process tree. */
export interface ResourceSample {
  /** When it was taken (epoch ms). */
  readonly at: number;
  /**
   * CPU of the tree in percent of one core, averaged since the previous sample of the same
   * run; `null` for a run's first sample.
   */
  readonly cpuPercent: number | null;
  /** Resident memory (RSS) summed over the tree, in bytes. */
  readonly memoryBytes: number;
  /** Open file descriptors summed over the tree; `null` where they cannot be counted. */
  readonly fds: number | null;
  /** Threads summed over the tree. */
  readonly threads: number;
  /** Processes in the tree, the root included. */
  readonly processes: number;
  /** What the run's tree read from and wrote to storage so far; absent or `null` when unknown. */
  readonly io?: IoBytes | null;
}

/** Which way memory is heading over a run's recent samples. */
export interface MemoryTrend {
  /** Least-squares slope, bytes per minute (negative when falling). */
  readonly bytesPerMinute: number;
  /** How long the samples span, in ms. */
  readonly spanMs: number;
  /**
   * True when memory grew by more than `RISING_SHARE` of its mean over the span and most
   * steps went up: a leak looks like this, a sawtooth of a garbage collector does not.
   */
  readonly rising: boolean;
}

/** Growth over the span, as a share of the mean, above which memory counts as rising. */
export const RISING_SHARE = 0.1;

/** Fewest samples a trend is drawn from. */
export const MIN_TREND_SAMPLES = 3;

/** The memory trend of `samples` (oldest first); `null` with fewer than three or no time span. */
export function memoryTrend(samples: readonly ResourceSample[]): MemoryTrend | null {
  if (samples.length < MIN_TREND_SAMPLES) return null;
  const first = samples[0]!.at;
  const spanMs = samples.at(-1)!.at - first;
  if (spanMs <= 0) return null;
  let sumX = 0;
  let sumY = 0;
  for (const sample of samples) {
    sumX += sample.at - first;
    sumY += sample.memoryBytes;
  }
  const meanX = sumX / samples.length;
  const meanY = sumY / samples.length;
  let covariance = 0;
  let variance = 0;
  let ups = 0;
  for (const [index, sample] of samples.entries()) {
    const dx = sample.at - first - meanX;
    covariance += dx * (sample.memoryBytes - meanY);
    variance += dx * dx;
    if (index > 0 && sample.memoryBytes > samples[index - 1]!.memoryBytes) ups += 1;
  }
  const slopePerMs = covariance / variance;
  const growth = slopePerMs * spanMs;
  const rising = growth > RISING_SHARE * meanY && ups * 3 >= (samples.length - 1) * 2;
  return { bytesPerMinute: Math.round(slopePerMs * 60_000), spanMs, rising };
}

/**
 * How sampling paces itself when no interval is set: as often as every `minMs`, as seldom
 * as every `maxMs`, and in between so that passes take `cpuShare` of one core (0.04 %:
 * about 25 ms of CPU a minute, whatever the number of processes).
 */
export const SAMPLE_PACING = { minMs: 2_000, maxMs: 15_000, cpuShare: 0.0004 } as const;

/**
 * The delay before the next sampling pass, from what passes cost lately (ms of CPU; `null`
 * before any was measured): a pass of 4 ms waits 10 s, one of 0.5 ms waits the 2 s minimum.
 * After `quietPasses` passes in a row that found nothing changed (see `isQuiet`), the delay
 * doubles for each, up to the 15 s maximum: trees that sit still cost less to watch, and
 * the first change brings the paced delay back. Default: 0.
 */
export function pacedInterval(passCpuMs: number | null, quietPasses = 0): number {
  const byCost = passCpuMs === null ? 0 : passCpuMs / SAMPLE_PACING.cpuShare;
  const paced = Math.max(SAMPLE_PACING.minMs, byCost);
  const widened = paced * 2 ** Math.min(quietPasses, MAX_QUIET_DOUBLINGS);
  return Math.round(Math.min(SAMPLE_PACING.maxMs, widened));
}

/** Doublings of the paced delay at most: 2 s becomes 15 s (the maximum) after three. */
const MAX_QUIET_DOUBLINGS = 3;

/** What a tree looked like at a pass, apart from time and CPU: what `isQuiet` compares. */
export type Footprint = Pick<ResourceSample, 'memoryBytes' | 'fds' | 'threads' | 'processes'>;

/**
 * True when `sample` shows a tree that used no CPU since `previous` (its footprint at the
 * pass before) and kept the same processes, memory, descriptors and threads. A first
 * sample (no CPU figure yet) is never quiet.
 */
export function isQuiet(previous: Readonly<Footprint>, sample: Readonly<ResourceSample>): boolean {
  return (
    sample.cpuPercent === 0 &&
    sample.memoryBytes === previous.memoryBytes &&
    sample.fds === previous.fds &&
    sample.threads === previous.threads &&
    sample.processes === previous.processes
  );
}

/** The next estimate of a pass's cost: a moving average that follows a change within a few passes. */
export function nextPassCost(estimate: number | null, measured: number): number {
  return estimate === null ? measured : estimate * 0.7 + measured * 0.3;
}
