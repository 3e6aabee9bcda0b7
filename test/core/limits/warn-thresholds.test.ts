/**
 * Warning thresholds under a limit (`memory_warn`, `cpu_warn`) as pure decisions on a
 * hand-moved clock: a `warn` once on the way over, re-armed back under, held for the CPU
 * window, under the alert cooldown, never counted as a violation, and silent when the limit
 * itself is breached at the same sample.
 */
import { describe, expect, it } from 'vitest';
import {
  cpuWarnThreshold,
  FRESH_WATCH,
  judgeLimits,
  type LimitBreach,
  type LimitWatch,
  memoryWarnBytes,
} from '../../../src/core/limits/limits.js';
import type { ResourceSample } from '../../../src/core/limits/resources.js';
import { stopIntentOf } from '../../../src/core/process/limit-stop.js';
import type { LimitsSpec } from '../../../src/core/process/spec.js';

const MB = 1024 * 1024;

const LIMITS: LimitsSpec = {
  memoryBytes: 100 * MB,
  memoryAction: 'restart',
  memoryWarn: { percent: 80 },
  cpuPercent: undefined,
  cpuAction: 'alert',
  cpuWindowMs: 10_000,
  maxRuntimeMs: undefined,
  openFiles: undefined,
  alertCooldownMs: 60_000,
};

const sampleAt = (at: number, overrides: Partial<ResourceSample> = {}): ResourceSample => ({
  at,
  cpuPercent: 5,
  memoryBytes: 10 * MB,
  fds: 20,
  threads: 1,
  processes: 1,
  ...overrides,
});

class Judge {
  watch: LimitWatch = FRESH_WATCH;
  constructor(readonly limits: LimitsSpec) {}
  see(sample: ResourceSample): readonly LimitBreach[] {
    const { watch, breaches } = judgeLimits(this.limits, this.watch, sample, 0);
    this.watch = watch;
    return breaches;
  }
}

describe('memory_warn', () => {
  it('warns once on the way over, with the threshold as its limit and a warning severity', () => {
    const judge = new Judge(LIMITS);
    expect(judge.see(sampleAt(1_000, { memoryBytes: 70 * MB }))).toEqual([]);
    expect(judge.see(sampleAt(2_000, { memoryBytes: 85 * MB }))).toEqual([
      {
        resource: 'memory',
        value: 85 * MB,
        limit: 80 * MB,
        action: 'warn',
        severity: 'warning',
        report: true,
        suppressed: 0,
        reason: 'memory 85MB over warning 80MB (80% of 100MB)',
      },
    ]);
    expect(judge.see(sampleAt(3_000, { memoryBytes: 90 * MB }))).toEqual([]);
  });

  it('re-arms back under, and a second crossing within the cooldown is counted, then said', () => {
    const judge = new Judge(LIMITS);
    expect(judge.see(sampleAt(1_000, { memoryBytes: 85 * MB }))[0]!.report).toBe(true);
    expect(judge.see(sampleAt(2_000, { memoryBytes: 50 * MB }))).toEqual([]);
    const held = judge.see(sampleAt(3_000, { memoryBytes: 85 * MB }));
    expect(held.map((breach) => [breach.action, breach.report])).toEqual([['warn', false]]);
    judge.see(sampleAt(4_000, { memoryBytes: 50 * MB }));
    const said = judge.see(sampleAt(61_000, { memoryBytes: 85 * MB }));
    expect(said.map((breach) => [breach.action, breach.report, breach.suppressed])).toEqual([
      ['warn', true, 1],
    ]);
  });

  it('says nothing the breach of the limit at the same sample does not, and the limit still acts', () => {
    const judge = new Judge(LIMITS);
    const breaches = judge.see(sampleAt(1_000, { memoryBytes: 120 * MB }));
    expect(breaches.map((breach) => breach.action)).toEqual(['restart']);
    expect(stopIntentOf(breaches[0]!)).toEqual({
      kind: 'recover',
      reason: 'memory 120MB over limit 100MB',
    });
    // Back between the warning and the limit: still over the warning, nothing new.
    expect(judge.see(sampleAt(2_000, { memoryBytes: 90 * MB }))).toEqual([]);
  });

  it('warns first, then the limit acts when the tree keeps growing', () => {
    const judge = new Judge(LIMITS);
    expect(judge.see(sampleAt(1_000, { memoryBytes: 85 * MB })).map((b) => b.action)).toEqual([
      'warn',
    ]);
    expect(judge.see(sampleAt(2_000, { memoryBytes: 101 * MB })).map((b) => b.action)).toEqual([
      'restart',
    ]);
  });

  it('keeps its own cooldown: a warning does not hold back an alert of the limit', () => {
    const judge = new Judge({ ...LIMITS, memoryAction: 'alert' });
    judge.see(sampleAt(1_000, { memoryBytes: 85 * MB }));
    const breaches = judge.see(sampleAt(2_000, { memoryBytes: 101 * MB }));
    expect(breaches.map((breach) => [breach.action, breach.report])).toEqual([['alert', true]]);
  });

  it('takes an absolute size as it is', () => {
    const limits = { ...LIMITS, memoryWarn: { bytes: 60 * MB } };
    expect(memoryWarnBytes(limits)).toBe(60 * MB);
    const judge = new Judge(limits);
    const [breach] = judge.see(sampleAt(1_000, { memoryBytes: 61 * MB }));
    expect(breach!.reason).toBe('memory 61MB over warning 60MB');
  });

  it('starts afresh with a new run, its cooldown kept', () => {
    const judge = new Judge(LIMITS);
    judge.see(sampleAt(1_000, { memoryBytes: 85 * MB }));
    const next = judgeLimits(LIMITS, judge.watch, sampleAt(2_000, { memoryBytes: 85 * MB }), 1_500);
    expect(next.breaches.map((breach) => [breach.action, breach.report])).toEqual([
      ['warn', false],
    ]);
  });
});

describe('cpu_warn', () => {
  const limits: LimitsSpec = {
    ...LIMITS,
    memoryBytes: undefined,
    memoryWarn: undefined,
    cpuPercent: 100,
    cpuWarnPercent: 80,
    cpuWindowMs: 10_000,
  };

  it('is a share of the cpu limit', () => {
    expect(cpuWarnThreshold(limits)).toBe(80);
    expect(cpuWarnThreshold({ ...limits, cpuPercent: 150 })).toBe(120);
  });

  it('warns once the tree stayed over it for the window, and not before', () => {
    const judge = new Judge(limits);
    expect(judge.see(sampleAt(0, { cpuPercent: 90 }))).toEqual([]);
    expect(judge.see(sampleAt(5_000, { cpuPercent: 90 }))).toEqual([]);
    const breaches = judge.see(sampleAt(10_000, { cpuPercent: 90 }));
    expect(breaches).toEqual([
      {
        resource: 'cpu',
        value: 90,
        limit: 80,
        action: 'warn',
        severity: 'warning',
        report: true,
        suppressed: 0,
        reason: 'cpu 90% over warning 80% (80% of 100%) for 10s',
      },
    ]);
    expect(judge.see(sampleAt(15_000, { cpuPercent: 90 }))).toEqual([]);
  });

  it('starts the window again after a sample under it', () => {
    const judge = new Judge(limits);
    judge.see(sampleAt(0, { cpuPercent: 90 }));
    judge.see(sampleAt(5_000, { cpuPercent: 50 }));
    expect(judge.see(sampleAt(10_000, { cpuPercent: 90 }))).toEqual([]);
    expect(judge.see(sampleAt(20_000, { cpuPercent: 90 })).map((b) => b.action)).toEqual(['warn']);
  });

  it('gives way to the limit when both are reached at the same sample', () => {
    const judge = new Judge(limits);
    judge.see(sampleAt(0, { cpuPercent: 120 }));
    expect(judge.see(sampleAt(10_000, { cpuPercent: 120 })).map((b) => b.action)).toEqual([
      'alert',
    ]);
  });
});
