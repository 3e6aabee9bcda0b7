import { describe, expect, it } from 'vitest';
import type { ProcessState } from '../../src/core/process/state.js';
import { describeProcess, type RuntimeFacts } from '../../src/core/view.js';
import { exitInfo, makeSpec, makeSpecs, recordIn, STATES, type StateLabel } from './helpers.js';

const spec = makeSpec();
const FACTS: RuntimeFacts = {
  restarts: 2,
  sample: { at: 4_000, cpuPercent: 12.5, memoryBytes: 1_024, fds: 7, threads: 3, processes: 1 },
  duty: null,
};
const NOW = 5_000;

const describeIn = (state: ProcessState, facts = FACTS) =>
  describeProcess(spec, recordIn(spec, state), facts, NOW);

describe('describeProcess', () => {
  it('describes a running process with its pid, uptime and resource use', () => {
    expect(describeIn(STATES.running)).toEqual({
      name: 'api',
      status: 'running',
      health: 'none',
      pid: 42,
      restarts: 2,
      exitCode: null,
      reason: null,
      blocked: false,
      startedAt: new Date(0).toISOString(),
      uptimeMs: NOW,
      cpuPercent: 12.5,
      memoryBytes: 1_024,
      kind: 'service',
      instance: 0,
      fds: 7,
      threads: 3,
      readBytes: null,
      writeBytes: null,
      limitBreaches: [],
      healthScore: 100,
      healthReasons: [],
      namespace: 'default',
      nextRunAt: null,
      retryAt: null,
      labels: {},
    });
  });

  it('reports the run’s storage I/O with its sample, and none once the run is over', () => {
    const facts = { ...FACTS, io: { readBytes: 4_096, writeBytes: 512 } };
    expect(describeIn(STATES.running, facts)).toMatchObject({ readBytes: 4_096, writeBytes: 512 });
    expect(describeIn(STATES.stopped, facts)).toMatchObject({ readBytes: null, writeBytes: null });
    // Sampled, but /proc/PID/io not readable: unknown, not 0.
    expect(describeIn(STATES.running, { ...FACTS, io: null })).toMatchObject({ readBytes: null });
  });

  it.each(['starting', 'stopping'] as const)('reports the live child while %s', (label) => {
    expect(describeIn(STATES[label])).toMatchObject({ pid: 42, uptimeMs: NOW, cpuPercent: 12.5 });
  });

  it.each(['pending', 'starting (no pid)', 'stopped', 'backoff', 'completed', 'failed'] as const)(
    'has no pid, start, uptime or resource use when %s',
    (label: StateLabel) => {
      expect(describeIn(STATES[label])).toMatchObject({
        pid: null,
        startedAt: null,
        uptimeMs: null,
        cpuPercent: null,
        memoryBytes: null,
        fds: null,
        threads: null,
        readBytes: null,
        writeBytes: null,
      });
    },
  );

  it('has no resource figures before the first sample, and scores by the record alone', () => {
    expect(describeIn(STATES.running, { restarts: 0 })).toMatchObject({
      cpuPercent: null,
      memoryBytes: null,
      fds: null,
      threads: null,
      healthScore: 100,
    });
  });

  it('reports the exit code of the last run that ended', () => {
    expect(describeIn(STATES.completed).exitCode).toBe(0);
    expect(describeIn(STATES.backoff).exitCode).toBe(1);
    expect(
      describeIn({ status: 'stopped', since: 0, lastExit: exitInfo({ code: 143 }) }).exitCode,
    ).toBe(143);
    expect(describeIn(STATES.stopped).exitCode).toBeNull();
    expect(describeIn(STATES.failed).exitCode).toBeNull();
    expect(describeIn(STATES.pending).exitCode).toBeNull();
  });

  it('says why a process failed, is backing off, or is being recovered', () => {
    expect(describeIn(STATES.failed).reason).toBe('spawn error: ENOENT');
    expect(describeIn(STATES.backoff).reason).toBe('exited with code 1');
    const recovering: ProcessState = {
      ...STATES.stopping,
      intent: { kind: 'recover', reason: 'memory limit exceeded' },
    };
    expect(describeIn(recovering).reason).toBe('memory limit exceeded');
    const halting: ProcessState = {
      ...STATES.stopping,
      intent: { kind: 'halt', reason: 'memory 300MB over limit 256MB' },
    };
    expect(describeIn(halting).reason).toBe('memory 300MB over limit 256MB');
    const limited = exitInfo({ code: null, signal: 'SIGTERM', cause: 'max_runtime 2s reached' });
    expect(describeIn({ ...STATES.backoff, lastExit: limited }).reason).toBe(
      'max_runtime 2s reached',
    );
    expect(describeIn(STATES.stopping).reason).toBeNull();
    expect(describeIn(STATES.running).reason).toBeNull();
  });

  it('carries the kind, the instance number and the health', () => {
    const worker = makeSpecs({
      name: 'worker',
      kind: 'job',
      instances: 2,
      liveness: { exec: 'true' },
    })[1]!;
    const info = describeProcess(worker, recordIn(worker, STATES.pending), FACTS, NOW);
    expect(info).toMatchObject({ name: 'worker-1', kind: 'job', instance: 1, health: 'unknown' });
  });
});
