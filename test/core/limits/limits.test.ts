/**
 * Limit decisions as pure functions on a hand-moved clock: which samples breach, once per
 * episode, the sustained CPU window, throttle duty, alert cooldown and severity; and how
 * `transition` carries a breach out (count, announce, recover or halt, max_runtime).
 */

import { describe, expect, it } from 'vitest';
import {
  dutyFor,
  FRESH_WATCH,
  judgeLimits,
  type LimitBreach,
  type LimitWatch,
  MIN_DUTY,
  maxRuntimeBreach,
} from '../../../src/core/limits/limits.js';
import type { ResourceSample } from '../../../src/core/limits/resources.js';
import { stopIntentOf } from '../../../src/core/process/limit-stop.js';
import type { LimitsSpec } from '../../../src/core/process/spec.js';
import type { ProcessInput } from '../../../src/core/process/transition.js';
import { eventsOf, eventTypes, input, makeSpec, recordIn, Scenario, STATES } from '../helpers.js';

const MB = 1024 * 1024;

const LIMITS: LimitsSpec = {
  memoryBytes: undefined,
  memoryAction: 'restart',
  cpuPercent: undefined,
  cpuAction: 'alert',
  cpuWindowMs: 10_000,
  maxRuntimeMs: undefined,
  openFiles: undefined,
  alertCooldownMs: 60_000,
};

const limitsWith = (overrides: Partial<LimitsSpec>): LimitsSpec => ({ ...LIMITS, ...overrides });

function sampleAt(at: number, overrides: Partial<ResourceSample> = {}): ResourceSample {
  return {
    at,
    cpuPercent: 5,
    memoryBytes: 50 * MB,
    fds: 20,
    threads: 7,
    processes: 1,
    ...overrides,
  };
}

/** Feeds samples of one run (begun at 0) through the judge, keeping its watch. */
class Judge {
  watch: LimitWatch = FRESH_WATCH;
  constructor(
    readonly limits: LimitsSpec,
    readonly runSince = 0,
  ) {}

  see(sample: ResourceSample, runSince = this.runSince): readonly LimitBreach[] {
    const { watch, breaches } = judgeLimits(this.limits, this.watch, sample, runSince);
    this.watch = watch;
    return breaches;
  }
}

describe('judgeLimits: memory', () => {
  const judge = () => new Judge(limitsWith({ memoryBytes: 256 * MB, memoryAction: 'restart' }));

  it('breaches at once when the tree goes over, with a reason in MB', () => {
    const j = judge();
    expect(j.see(sampleAt(1_000, { memoryBytes: 200 * MB }))).toEqual([]);
    expect(j.see(sampleAt(2_000, { memoryBytes: 300 * MB }))).toEqual([
      {
        resource: 'memory',
        value: 300 * MB,
        limit: 256 * MB,
        action: 'restart',
        severity: 'critical',
        report: true,
        suppressed: 0,
        reason: 'memory 300MB over limit 256MB',
      },
    ]);
  });

  it('does not count the limit itself as over', () => {
    expect(judge().see(sampleAt(1_000, { memoryBytes: 256 * MB }))).toEqual([]);
  });

  it('breaches once per episode: again only after it was back under', () => {
    const j = judge();
    expect(j.see(sampleAt(1_000, { memoryBytes: 300 * MB }))).toHaveLength(1);
    expect(j.see(sampleAt(2_000, { memoryBytes: 310 * MB }))).toEqual([]);
    expect(j.see(sampleAt(3_000, { memoryBytes: 100 * MB }))).toEqual([]);
    expect(j.see(sampleAt(4_000, { memoryBytes: 300 * MB }))).toHaveLength(1);
  });

  it('starts afresh for a new run, but keeps the announcements', () => {
    const j = new Judge(limitsWith({ memoryBytes: 256 * MB, memoryAction: 'alert' }));
    expect(j.see(sampleAt(1_000, { memoryBytes: 300 * MB }))[0]!.report).toBe(true);
    // The next run is over at once: a new episode, but inside the cooldown.
    const [again] = j.see(sampleAt(2_000, { memoryBytes: 300 * MB }), 1_500);
    expect(again).toMatchObject({ resource: 'memory', report: false });
    expect(j.watch.runSince).toBe(1_500);
  });
});

describe('judgeLimits: alert cooldown and severity', () => {
  const flapping = () =>
    new Judge(
      limitsWith({ memoryBytes: 100 * MB, memoryAction: 'alert', alertCooldownMs: 10_000 }),
    );
  const over = (at: number) => sampleAt(at, { memoryBytes: 120 * MB });
  const under = (at: number) => sampleAt(at, { memoryBytes: 80 * MB });

  it('announces a flapping limit at most once per cooldown, then says how many were held back', () => {
    const j = flapping();
    const reports: Array<[boolean, number]> = [];
    for (let at = 1_000; at <= 12_000; at += 2_000) {
      for (const breach of j.see(over(at))) reports.push([breach.report, breach.suppressed]);
      j.see(under(at + 1_000));
    }
    // Over at 1, 3, 5, 7, 9 and 11 s: announced at 1 s and at 11 s (10 s later).
    expect(reports).toEqual([
      [true, 0],
      [false, 0],
      [false, 0],
      [false, 0],
      [false, 0],
      [true, 4],
    ]);
  });

  it('never holds back a breach that stops or restarts', () => {
    const j = new Judge(limitsWith({ memoryBytes: 100 * MB, memoryAction: 'stop' }));
    j.see(over(1_000));
    j.see(under(2_000));
    expect(j.see(over(3_000))[0]).toMatchObject({ report: true, severity: 'critical' });
  });

  it('rates an alert warning, and critical from 1.5 × the limit', () => {
    expect(flapping().see(sampleAt(1_000, { memoryBytes: 149 * MB }))[0]!.severity).toBe('warning');
    expect(flapping().see(sampleAt(1_000, { memoryBytes: 150 * MB }))[0]!.severity).toBe(
      'critical',
    );
  });
});

describe('judgeLimits: cpu', () => {
  const alerting = (window = 10_000) =>
    new Judge(limitsWith({ cpuPercent: 50, cpuAction: 'alert', cpuWindowMs: window }));

  it('breaches only once every sample has been over for the window', () => {
    const j = alerting();
    expect(j.see(sampleAt(0, { cpuPercent: 90 }))).toEqual([]);
    expect(j.see(sampleAt(5_000, { cpuPercent: 90 }))).toEqual([]);
    expect(j.watch.cpuOverSince).toBe(0);
    expect(j.see(sampleAt(10_000, { cpuPercent: 60 }))).toEqual([
      {
        resource: 'cpu',
        value: 60,
        limit: 50,
        action: 'alert',
        severity: 'warning',
        report: true,
        suppressed: 0,
        reason: 'cpu 60% over limit 50% for 10s',
      },
    ]);
    // Still over: the same episode.
    expect(j.see(sampleAt(15_000, { cpuPercent: 99 }))).toEqual([]);
    expect(j.watch.over).toEqual(['cpu']);
  });

  it('starts the window again after a sample under the limit', () => {
    const j = alerting();
    j.see(sampleAt(0, { cpuPercent: 90 }));
    j.see(sampleAt(5_000, { cpuPercent: 10 }));
    expect(j.watch.cpuOverSince).toBeNull();
    expect(j.see(sampleAt(10_000, { cpuPercent: 90 }))).toEqual([]);
    expect(j.see(sampleAt(20_000, { cpuPercent: 90 }))).toHaveLength(1);
  });

  it('judges a single sample with a window of 0, and says no duration', () => {
    const [breach] = alerting(0).see(sampleAt(1_000, { cpuPercent: 80 }));
    expect(breach!.reason).toBe('cpu 80% over limit 50%');
  });

  it('has nothing to judge in a run’s first sample, which has no CPU figure', () => {
    const j = alerting(0);
    expect(j.see(sampleAt(1_000, { cpuPercent: null }))).toEqual([]);
    expect(j.watch.over).toEqual([]);
  });

  it('keeps a breach going through a sample without a CPU figure', () => {
    const j = alerting(0);
    j.see(sampleAt(1_000, { cpuPercent: 80 }));
    expect(j.see(sampleAt(2_000, { cpuPercent: null }))).toEqual([]);
    expect(j.watch.over).toEqual(['cpu']);
    expect(j.see(sampleAt(3_000, { cpuPercent: 80 }))).toEqual([]);
  });

  it('restarts with `cpu_action: restart`', () => {
    const j = new Judge(limitsWith({ cpuPercent: 50, cpuAction: 'restart', cpuWindowMs: 0 }));
    expect(j.see(sampleAt(1_000, { cpuPercent: 70 }))[0]).toMatchObject({
      action: 'restart',
      severity: 'critical',
    });
    expect(j.watch.duty).toBeNull();
  });
});

describe('judgeLimits: throttle', () => {
  const throttling = () =>
    new Judge(limitsWith({ cpuPercent: 30, cpuAction: 'throttle', cpuWindowMs: 0 }));

  it('holds the tree to limit ÷ demand of each period once breached', () => {
    const j = throttling();
    const [breach] = j.see(sampleAt(1_000, { cpuPercent: 100 }));
    expect(breach).toMatchObject({ action: 'throttle', value: 100, severity: 'critical' });
    expect(j.watch.duty).toBeCloseTo(0.3);
  });

  it('judges what a throttled tree would use, and corrects the duty towards the limit', () => {
    const j = throttling();
    j.see(sampleAt(1_000, { cpuPercent: 100 }));
    // Held at 0.3 it used 45 %: it would use 150 % unthrottled (two busy threads).
    expect(j.see(sampleAt(2_000, { cpuPercent: 45 }))).toEqual([]);
    expect(j.watch.duty).toBeCloseTo(0.2);
    expect(j.watch.over).toEqual(['cpu']);
  });

  it('releases a tree that would now stay under the limit on its own', () => {
    const j = throttling();
    j.see(sampleAt(1_000, { cpuPercent: 100 }));
    // Held at 0.3 it used 6 %: 20 % unthrottled, under 30 %.
    expect(j.see(sampleAt(2_000, { cpuPercent: 6 }))).toEqual([]);
    expect(j.watch).toMatchObject({ duty: null, over: [], cpuOverSince: null });
  });

  it('never holds a tree below the least duty', () => {
    const j = throttling();
    j.see(sampleAt(1_000, { cpuPercent: 3_000 }));
    expect(j.watch.duty).toBe(MIN_DUTY);
  });

  it('dutyFor: the share that keeps demand at the limit, null when under', () => {
    expect(dutyFor(50, 100)).toBe(0.5);
    expect(dutyFor(50, 50)).toBeNull();
    expect(dutyFor(50, 10)).toBeNull();
    expect(dutyFor(1, 1_000)).toBe(MIN_DUTY);
  });
});

describe('judgeLimits: open files', () => {
  const judge = () => new Judge(limitsWith({ openFiles: 64 }));

  it('reports a tree at its hard limit: the next open is refused', () => {
    const j = judge();
    expect(j.see(sampleAt(1_000, { fds: 63 }))).toEqual([]);
    expect(j.see(sampleAt(2_000, { fds: 64 }))).toEqual([
      expect.objectContaining({
        resource: 'open_files',
        value: 64,
        limit: 64,
        action: 'deny',
        severity: 'critical',
        reason: 'open_files 64 at limit 64',
      }),
    ]);
    expect(j.see(sampleAt(3_000, { fds: 64 }))).toEqual([]);
  });

  it('cannot judge descriptors it could not count', () => {
    expect(judge().see(sampleAt(1_000, { fds: null }))).toEqual([]);
  });
});

describe('judgeLimits: several limits', () => {
  it('reports each breach of one sample, memory, cpu, then open files', () => {
    const j = new Judge(
      limitsWith({ memoryBytes: 10 * MB, cpuPercent: 1, cpuWindowMs: 0, openFiles: 5 }),
    );
    expect(j.see(sampleAt(1_000, { cpuPercent: 50 })).map((breach) => breach.resource)).toEqual([
      'memory',
      'cpu',
      'open_files',
    ]);
    expect(j.watch.over).toEqual(['memory', 'cpu', 'open_files']);
  });

  it('judges nothing without limits', () => {
    expect(new Judge(LIMITS).see(sampleAt(1_000, { cpuPercent: 400 }))).toEqual([]);
  });
});

describe('maxRuntimeBreach and stopIntentOf', () => {
  it('describes a run that reached max_runtime', () => {
    expect(maxRuntimeBreach(600_000, 600_004)).toEqual({
      resource: 'max_runtime',
      value: 600_004,
      limit: 600_000,
      action: 'stop',
      severity: 'critical',
      report: true,
      suppressed: 0,
      reason: 'max_runtime 10m reached',
    });
  });

  const breach = (overrides: Partial<LimitBreach>): LimitBreach => ({
    ...maxRuntimeBreach(1_000, 1_000),
    resource: 'memory',
    reason: 'why',
    ...overrides,
  });

  it('recovers (restart policy decides) on restart and max_runtime, halts on stop', () => {
    expect(stopIntentOf(breach({ action: 'restart' }))).toEqual({ kind: 'recover', reason: 'why' });
    expect(stopIntentOf(breach({ action: 'stop', resource: 'max_runtime' }))).toEqual({
      kind: 'recover',
      reason: 'why',
    });
    expect(stopIntentOf(breach({ action: 'stop' }))).toEqual({ kind: 'halt', reason: 'why' });
    for (const action of ['alert', 'throttle', 'deny'] as const) {
      expect(stopIntentOf(breach({ action }))).toBeNull();
    }
  });
});

describe('transition: limits', () => {
  const MEMORY: LimitBreach = {
    resource: 'memory',
    value: 300 * MB,
    limit: 256 * MB,
    action: 'restart',
    severity: 'critical',
    report: true,
    suppressed: 0,
    reason: 'memory 300MB over limit 256MB',
  };
  const limit = (overrides: Partial<LimitBreach> = {}): ProcessInput => ({
    type: 'limit',
    breach: { ...MEMORY, ...overrides },
  });

  it('restart: counts, announces and stops the run; the policy restarts it, reason kept', () => {
    const spec = makeSpec({ limits: { memory: '256MB' } });
    const s = new Scenario(spec, 1_000, recordIn(spec, STATES.running));
    const effects = s.send(limit());
    expect(eventsOf(effects)[0]).toEqual({
      type: 'process:limit',
      name: 'api',
      at: 1_000,
      resource: 'memory',
      value: 300 * MB,
      limit: 256 * MB,
      action: 'restart',
      severity: 'critical',
      suppressed: 0,
      reason: 'memory 300MB over limit 256MB',
    });
    expect(s.state).toMatchObject({
      status: 'stopping',
      intent: { kind: 'recover', reason: 'memory 300MB over limit 256MB' },
    });
    expect(s.record.violations).toEqual({ memory: 1 });
    const exit = s.send(input.exited(null, 'SIGTERM'));
    expect(eventsOf(exit)[0]).toMatchObject({ reason: 'memory 300MB over limit 256MB' });
    expect(s.state).toMatchObject({
      status: 'backoff',
      lastExit: { cause: 'memory 300MB over limit 256MB', signal: 'SIGTERM' },
    });
  });

  it('stop: ends failed with the reason, outside the restart policy', () => {
    const spec = makeSpec({ limits: { memory: '256MB', memory_action: 'stop' } });
    const s = new Scenario(spec, 1_000, recordIn(spec, STATES.running));
    s.send(limit({ action: 'stop' }));
    expect(s.state).toMatchObject({ status: 'stopping', intent: { kind: 'halt' } });
    const effects = s.send(input.exited(0));
    expect(s.state).toMatchObject({
      status: 'failed',
      reason: 'memory 300MB over limit 256MB',
      lastExit: { code: 0, cause: 'memory 300MB over limit 256MB' },
    });
    expect(eventTypes(effects)).toEqual(['process:exit', 'process:failed']);
    expect(s.record.ledger.recent).toEqual([]);
  });

  it('alert: counts and announces, nothing else', () => {
    const spec = makeSpec();
    const s = new Scenario(spec, 1_000, recordIn(spec, STATES.running));
    expect(eventTypes(s.send(limit({ action: 'alert' })))).toEqual(['process:limit']);
    expect(s.state.status).toBe('running');
  });

  it('a breach held back by the cooldown is counted, not announced', () => {
    const spec = makeSpec();
    const s = new Scenario(spec, 1_000, recordIn(spec, STATES.running));
    expect(s.send(limit({ action: 'alert', report: false }))).toEqual([]);
    s.send(limit({ action: 'alert', resource: 'cpu' }));
    expect(s.record.violations).toEqual({ memory: 1, cpu: 1 });
  });

  it('counts every breach by resource and by what it did, the held-back ones too', () => {
    const spec = makeSpec();
    const s = new Scenario(spec, 1_000, recordIn(spec, STATES.running));
    s.send(limit({ action: 'alert' }));
    s.send(limit({ action: 'alert', report: false }));
    s.send(limit({ action: 'alert', resource: 'cpu' }));
    s.send(limit({ action: 'throttle', resource: 'cpu', report: false }));
    expect(s.record.limitBreaches).toEqual([
      { resource: 'memory', action: 'alert', count: 2 },
      { resource: 'cpu', action: 'alert', count: 1 },
      { resource: 'cpu', action: 'throttle', count: 1 },
    ]);
  });

  it('acts on a breach while starting, but not once the run is being stopped or gone', () => {
    const spec = makeSpec();
    const starting = new Scenario(spec, 1_000, recordIn(spec, STATES.starting));
    starting.send(limit());
    expect(starting.state.status).toBe('stopping');
    for (const label of ['stopping', 'backoff', 'stopped', 'pending'] as const) {
      const s = new Scenario(spec, 1_000, recordIn(spec, STATES[label]));
      expect(s.send(limit())).toEqual([]);
      expect(s.record.violations).toEqual({});
    }
  });

  it('arms max_runtime at the spawn and stops the run when it fires; the policy decides', () => {
    const spec = makeSpec({ kind: 'job', limits: { max_runtime: '10m' } });
    const s = new Scenario(spec, 0);
    s.send(input.start);
    const spawned = s.sendAll(input.admit, input.spawned(42));
    expect(spawned).toContainEqual({ type: 'arm-timer', timer: 'max-runtime', at: 600_000 });
    const effects = s.fire('max-runtime');
    expect(eventsOf(effects)[0]).toMatchObject({
      type: 'process:limit',
      resource: 'max_runtime',
      value: 600_000,
      limit: 600_000,
      action: 'stop',
    });
    expect(s.state).toMatchObject({ status: 'stopping', intent: { kind: 'recover' } });
    const exit = s.send(input.exited(null, 'SIGTERM'));
    expect(exit).toContainEqual({ type: 'disarm-timer', timer: 'max-runtime' });
    expect(s.state).toMatchObject({
      status: 'failed',
      reason: 'max_runtime 10m reached; killed by SIGTERM',
    });
    expect(s.record.violations).toEqual({ max_runtime: 1 });
  });

  it('ignores a max_runtime timer without a run, or without the limit', () => {
    const limited = makeSpec({ limits: { max_runtime: '1s' } });
    const s = new Scenario(limited, 5_000, recordIn(limited, STATES.backoff));
    expect(s.send(input.timer('max-runtime'))).toEqual([]);
    const plain = makeSpec();
    const t = new Scenario(plain, 5_000, recordIn(plain, STATES.running));
    expect(t.send(input.timer('max-runtime'))).toEqual([]);
  });

  it('arms no max_runtime timer without the limit', () => {
    const spec = makeSpec();
    const s = new Scenario(spec, 0);
    s.send(input.start);
    const effects = s.sendAll(input.admit, input.spawned(42));
    expect(effects.some((effect) => 'timer' in effect && effect.timer === 'max-runtime')).toBe(
      false,
    );
  });
});
