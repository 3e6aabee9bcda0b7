/**
 * The health score: what lowers it and by how much, with the reasons, largest first; the
 * memory trend of a short history; and the stack's status from the scores.
 */
import { describe, expect, it } from 'vitest';
import { PENALTY, scoreHealth } from '../../../src/core/limits/health-score.js';
import { memoryTrend, type ResourceSample } from '../../../src/core/limits/resources.js';
import { stackConcerns, stackStatus } from '../../../src/core/limits/stack-health.js';
import type { ProcessRecord, ProcessState } from '../../../src/core/process/state.js';
import { exitInfo, makeSpec, recordIn, STATES } from '../helpers.js';

const MB = 1024 * 1024;
const NOW = 100_000;

function sample(overrides: Partial<ResourceSample> = {}): ResourceSample {
  return {
    at: NOW,
    cpuPercent: 5,
    memoryBytes: 50 * MB,
    fds: 20,
    threads: 7,
    processes: 1,
    ...overrides,
  };
}

const plain = makeSpec();
const limited = makeSpec({
  limits: { memory: '100MB', cpu: '50%', open_files: 100 },
});
const probed = makeSpec({ readiness: { http: 'http://127.0.0.1:1/' }, liveness: { exec: 'true' } });

const score = (
  record: ProcessRecord,
  spec = plain,
  pressure: { sample?: ResourceSample | null; duty?: number | null } = {},
) =>
  scoreHealth(spec, record, { sample: pressure.sample ?? null, duty: pressure.duty ?? null }, NOW);

describe('scoreHealth', () => {
  it('is 100 with no reasons for a healthy running process, and for one at rest', () => {
    expect(score(recordIn(plain, STATES.running))).toEqual({ score: 100, reasons: [] });
    for (const label of ['stopped', 'completed', 'pending', 'starting'] as const) {
      expect(score(recordIn(plain, STATES[label])).score).toBe(100);
    }
  });

  it('is 0 for a failed process, with its reason', () => {
    expect(score(recordIn(plain, STATES.failed))).toEqual({
      score: 0,
      reasons: ['failed: spawn error: ENOENT (-100)'],
    });
  });

  it('takes points for backing off, saying why the last run ended', () => {
    expect(score(recordIn(plain, STATES.backoff)).reasons).toEqual([
      `restarting after: exited with code 1 (-${PENALTY.backoff})`,
    ]);
    const limitedExit: ProcessState = {
      ...STATES.backoff,
      lastExit: exitInfo({ cause: 'memory 300MB over limit 256MB' }),
    };
    expect(score(recordIn(plain, limitedExit)).reasons[0]).toBe(
      'restarting after: memory 300MB over limit 256MB (-30)',
    );
  });

  it('takes points for an unhealthy verdict, named after the probe that gives health', () => {
    const record = { ...recordIn(probed, STATES.running), health: 'unhealthy' as const };
    expect(score(record, probed)).toEqual({
      score: 60,
      reasons: ['readiness probe failing (-40)'],
    });
  });

  it('takes points per probe failure in a row while not yet failing, up to a cap', () => {
    const record: ProcessRecord = {
      ...recordIn(probed, STATES.running),
      probes: {
        readiness: { failures: 1, passing: true, lastFailure: null },
        liveness: { failures: 5, passing: true, lastFailure: null },
      },
    };
    expect(score(record, probed)).toEqual({
      score: 70,
      reasons: [
        'liveness probe failed 5 times in a row (-20)',
        'readiness probe failed once in a row (-10)',
      ],
    });
    // A failing probe is counted once, by its verdict.
    const failing: ProcessRecord = {
      ...record,
      health: 'unhealthy',
      probes: { ...record.probes, readiness: { failures: 3, passing: false, lastFailure: null } },
    };
    expect(score(failing, probed).reasons).toEqual([
      'readiness probe failing (-40)',
      'liveness probe failed 5 times in a row (-20)',
    ]);
  });

  it('takes points per restart within the restart window, up to a cap', () => {
    const record = (recent: number[]) => ({
      ...recordIn(plain, STATES.running),
      ledger: { recent, shortRuns: 0 },
    });
    expect(score(record([NOW - 1_000])).reasons).toEqual(['1 restart in the last 1m (-10)']);
    expect(score(record([NOW - 90_000, NOW - 1_000, NOW - 500])).reasons).toEqual([
      '2 restarts in the last 1m (-20)',
    ]);
    expect(score(record(Array.from({ length: 9 }, (_, n) => NOW - n))).score).toBe(60);
  });

  it('takes points for memory, cpu and descriptors near their limits, from 80 %', () => {
    const running = recordIn(limited, STATES.running);
    expect(score(running, limited, { sample: sample({ memoryBytes: 80 * MB }) }).score).toBe(100);
    expect(score(running, limited, { sample: sample({ memoryBytes: 90 * MB }) })).toEqual({
      score: 80,
      reasons: ['memory at 90% of its 100MB limit (-20)'],
    });
    expect(
      score(running, limited, {
        sample: sample({ memoryBytes: 300 * MB, cpuPercent: 45, fds: 100 }),
      }),
    ).toEqual({
      score: 7,
      reasons: [
        'memory at 300% of its 100MB limit (-40)',
        '100 open files of its limit 100 (-35)',
        'cpu at 90% of its 50% limit (-18)',
      ],
    });
  });

  it('takes the whole cpu penalty while throttled, and judges no cpu share then', () => {
    const running = recordIn(limited, STATES.running);
    expect(score(running, limited, { sample: sample({ cpuPercent: 50 }), duty: 0.25 })).toEqual({
      score: 80,
      reasons: ['throttled to 50% CPU (runs 25% of the time) (-20)'],
    });
  });

  it('ignores pressure without limits, without a sample, and outside a run', () => {
    const hot = sample({ memoryBytes: 10_000 * MB, cpuPercent: 900, fds: 10_000 });
    expect(score(recordIn(plain, STATES.running), plain, { sample: hot }).score).toBe(100);
    expect(score(recordIn(limited, STATES.running), limited, { sample: null }).score).toBe(100);
    expect(score(recordIn(limited, STATES.stopping), limited, { sample: hot }).score).toBe(100);
    const unknownFds = sample({ fds: null, cpuPercent: null });
    expect(score(recordIn(limited, STATES.running), limited, { sample: unknownFds }).score).toBe(
      100,
    );
  });

  it('never goes below 0', () => {
    const record: ProcessRecord = {
      ...recordIn(probed, STATES.backoff),
      health: 'unhealthy',
      ledger: { recent: Array.from({ length: 9 }, (_, n) => NOW - n), shortRuns: 0 },
    };
    const spec = makeSpec({ readiness: { exec: 'true' }, restart: { max_restarts: 20 } });
    expect(score(record, spec).score).toBe(0);
  });
});

describe('memoryTrend', () => {
  const series = (values: number[], stepMs = 2_000) =>
    values.map((memoryBytes, index) => sample({ at: index * stepMs, memoryBytes }));

  it('sees memory rising steadily, in bytes per minute', () => {
    const trend = memoryTrend(series([100, 110, 120, 130, 140].map((mb) => mb * MB)));
    expect(trend).toEqual({ bytesPerMinute: 300 * MB, spanMs: 8_000, rising: true });
  });

  it('does not call a sawtooth or a flat line rising', () => {
    expect(memoryTrend(series([100, 130, 100, 130, 100, 131].map((mb) => mb * MB)))!.rising).toBe(
      false,
    );
    expect(memoryTrend(series([100, 100, 100].map((mb) => mb * MB)))).toEqual({
      bytesPerMinute: 0,
      spanMs: 4_000,
      rising: false,
    });
  });

  it('does not call a small growth rising', () => {
    expect(memoryTrend(series([100, 101, 102, 103].map((mb) => mb * MB)))!.rising).toBe(false);
  });

  it('needs three samples over some time', () => {
    expect(memoryTrend(series([1, 2]))).toBeNull();
    expect(memoryTrend(series([1, 2, 3], 0))).toBeNull();
  });
});

describe('stackStatus and stackConcerns', () => {
  const row = (status: string, healthScore?: number, extra: object = {}) =>
    ({ name: 'api', status, health: 'none', healthScore, ...extra }) as Parameters<
      typeof stackStatus
    >[0][number];

  it('is ok when every score is high, degraded below 70, failing below 30', () => {
    expect(stackStatus([row('running', 100), row('stopped')])).toBe('ok');
    expect(stackStatus([row('running', 69)])).toBe('degraded');
    expect(stackStatus([row('running', 70)])).toBe('ok');
    expect(stackStatus([row('running', 29)])).toBe('failing');
    expect(stackStatus([row('failed', 0)])).toBe('failing');
    expect(stackStatus([row('backoff', 70)])).toBe('degraded');
  });

  it('names what keeps the stack from ok, lowest score first', () => {
    expect(
      stackConcerns([
        row('running', 100),
        row('running', 55, {
          name: 'web',
          healthReasons: ['memory at 95% of its 1GB limit (-23)'],
        }),
        row('failed', 0, { name: 'db', healthReasons: ['failed: exited with code 1 (-100)'] }),
        row('starting', undefined, { name: 'cache' }),
        row('running', 100, { name: 'probe', health: 'unhealthy' }),
      ]),
    ).toEqual([
      'db: failed, score 0: failed: exited with code 1 (-100)',
      'web: running, score 55: memory at 95% of its 1GB limit (-23)',
      'cache: starting',
      'probe: running, score 100',
    ]);
    expect(stackConcerns([{ status: 'pending', health: 'none' }])).toEqual(['?: pending']);
  });
});
