import { describe, expect, it } from 'vitest';
import type { EventOf } from '../../src/core/events.js';
import { detailsLines } from '../../src/tui/details-lines.js';
import { resourceLines } from '../../src/tui/details-sections.js';
import { textOf } from '../../src/tui/text-line.js';
import { processDetails } from './fake-api.js';

const NOW = Date.parse('2026-01-01T10:01:15.000Z');

function textLines(...args: Parameters<typeof processDetails>): string[] {
  return detailsLines(processDetails(...args), [], 100, NOW).map(textOf);
}

const BREACH: EventOf<'process:limit'> = {
  type: 'process:limit',
  at: Date.parse('2026-01-01T10:00:30.000Z'),
  name: 'web',
  resource: 'memory',
  value: 600 * 1024 * 1024,
  limit: 512 * 1024 * 1024,
  action: 'restart',
  severity: 'critical',
  suppressed: 2,
  reason: 'memory 600MB over limit 512MB',
} as EventOf<'process:limit'>;

describe('the lines of the details', () => {
  it('say who the process is: reason, namespace, description, labels, containment', () => {
    const lines = textLines(
      {
        name: 'api',
        status: 'failed',
        pid: null,
        uptimeMs: null,
        reason: 'restarted 10 times in 1m',
        namespace: 'backend',
        labels: { tier: 'web' },
        containment: { mode: 'process-group', reason: 'no cgroup v2 here' },
      },
      { command: 'node api.js', description: 'the public API' },
    );
    expect(lines.slice(0, 6)).toEqual([
      'api  ✖ failed  no pid  restarts 0  service',
      'reason restarted 10 times in 1m',
      'namespace backend',
      'description the public API',
      'labels tier=web',
      'containment process-group (no cgroup v2 here)',
    ]);
  });

  it('list the breaches of the limits, and where memory is heading', () => {
    const lines = textLines(
      {
        name: 'web',
        resources: {
          history: [],
          memoryTrend: { bytesPerMinute: 2 * 1024 * 1024, spanMs: 300_000, rising: true },
          violations: { memory: 3 },
          breaches: [BREACH],
          throttleDuty: 0.4,
        },
      },
      {
        command: 'node server.js',
        limits: { memory: '512MB', max_runtime: '2h', open_files: 256 },
      },
    );
    expect(lines).toContain('no samples yet: they are taken while the process runs');
    expect(lines).toContain('memory rising: +2.0MB/min over 5m0s');
    expect(lines).toContain('throttled: runs 40% of the time');
    expect(lines).toContain('max runtime 2h: then stopped');
    expect(lines).toContain('open files 256');
    expect(lines).toContain('violations: memory 3');
    expect(lines).toContain(
      '  2026-01-01T10:00:30.000Z critical memory 600MB over limit 512MB: restart (+2 held back)',
    );
  });

  it('say what each probe last said', () => {
    const lines = textLines(
      {
        name: 'web',
        status: 'starting',
        health: 'unknown',
        healthScore: 60,
        healthReasons: [
          'not ready: readiness: connection refused (x4) (-30)',
          'liveness probe failed 1 time in a row (-10)',
        ],
      },
      {
        command: 'node server.js',
        readiness: { tcp: '127.0.0.1:3000' },
        liveness: { exec: 'check.sh' },
      },
    );
    const probes = lines.slice(lines.indexOf('probes'));
    expect(probes.slice(0, 6)).toEqual([
      'probes',
      'readiness  tcp 127.0.0.1:3000  every 1s, timeout 1s, failing after 3',
      '  last result: unknown',
      '  not ready: readiness: connection refused (x4) (-30)',
      'liveness  exec check.sh  every 10s, timeout 1s, failing after 3',
      '  liveness probe failed 1 time in a row (-10)',
    ]);
  });

  it('say why a run ended, and leave out what a process does not have', () => {
    const lines = textLines({
      name: 'web',
      runs: [
        {
          pid: 7,
          startedAt: '2026-01-01T10:00:00.000Z',
          endedAt: '2026-01-01T10:00:20.000Z',
          exitCode: null,
          signal: 'SIGKILL',
          killedAfterTimeout: true,
          runMs: 20_000,
          reason: 'stop requested',
        },
      ],
    });
    // The last column gives way at the edge (100 wide).
    expect(lines).toContain(
      '7    2026-01-01 10:00:00  2026-01-01 10:00:20  20s  SIGKILL  stop requested; killed after the stop …',
    );
    expect(lines).not.toContain('limits');
    expect(lines).not.toContain('probes');
  });
});

describe('the resource lines of the details', () => {
  it('regression: give the lowest and highest of the bars shown, not of every sample', () => {
    // 200 samples: a peak of 90% long ago, then 1% to 3%; 60 columns show the newest only.
    const samples = Array.from({ length: 200 }, (_, index) => ({
      at: index,
      cpuPercent: index === 0 ? 90 : 1 + (index % 3),
      memoryBytes: 1024 * 1024,
    }));
    const lines = resourceLines(processDetails({ name: 'web' }), samples, 60).map(textOf);
    const cpu = lines.find((line) => line.startsWith('cpu'))!;
    expect(cpu).toContain('min 1.0%  max 3.0%');
    expect(cpu.length).toBeLessThanOrEqual(60);
  });
});
