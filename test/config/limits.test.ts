/**
 * `limits:` of a process entry: read into a `LimitsSpec` with defaults, and every bad value
 * refused with its path.
 */
import { describe, expect, it } from 'vitest';
import { projectFromRaw } from '../../src/config/load.js';
import { specsFromDefinition } from '../../src/config/normalize.js';
import { OverseerError, type SpecIssue } from '../../src/core/errors.js';

const base = { name: 'api', command: 'node server.js' };
const limitsOf = (limits: object) => specsFromDefinition({ ...base, limits })[0]!.limits;

function issuesOf(limits: unknown): readonly SpecIssue[] {
  try {
    specsFromDefinition({ ...base, limits });
  } catch (error) {
    expect(error).toBeInstanceOf(OverseerError);
    return (error as OverseerError).issues;
  }
  throw new Error('expected the limits to be refused');
}

describe('limits', () => {
  it('reads every key of docs/configuration.md, sizes and durations included', () => {
    expect(
      limitsOf({
        memory: '256MB',
        memory_action: 'stop',
        cpu: '80%',
        cpu_action: 'throttle',
        cpu_window: '30s',
        max_runtime: '10m',
        open_files: 1024,
        alert_cooldown: '5m',
      }),
    ).toEqual({
      memoryBytes: 256 * 1024 * 1024,
      memoryAction: 'stop',
      cpuPercent: 80,
      cpuAction: 'throttle',
      cpuWindowMs: 30_000,
      maxRuntimeMs: 600_000,
      openFiles: 1024,
      alertCooldownMs: 300_000,
    });
  });

  it('applies the defaults: restart on memory, alert on cpu over 10s, a 1m cooldown', () => {
    expect(limitsOf({ memory: 1_000_000, cpu: 150 })).toEqual({
      memoryBytes: 1_000_000,
      memoryAction: 'restart',
      cpuPercent: 150,
      cpuAction: 'alert',
      cpuWindowMs: 10_000,
      maxRuntimeMs: undefined,
      openFiles: undefined,
      alertCooldownMs: 60_000,
    });
  });

  it('leaves a process without limits without them', () => {
    expect(specsFromDefinition(base)[0]!.limits).toBeUndefined();
    expect(limitsOf({})).toMatchObject({ memoryBytes: undefined, cpuPercent: undefined });
  });

  it('accepts cpu with decimals and spaces: `12.5 %`', () => {
    expect(limitsOf({ cpu: '12.5 %' })!.cpuPercent).toBe(12.5);
  });

  it.each([
    [{ memory: 'lots' }, 'limits.memory', '"lots" is not a size above 0 (e.g. 512KB, 256MB, 1GB)'],
    [{ memory: 0 }, 'limits.memory', '0 is not a size above 0 (e.g. 512KB, 256MB, 1GB)'],
    [{ memory: true }, 'limits.memory', 'expected a size (e.g. 512KB, 256MB, 1GB)'],
    [{ cpu: '80' }, 'limits.cpu', '"80" is not a CPU share above 0 (e.g. 80% or 150%)'],
    [{ cpu: 0 }, 'limits.cpu', '0 is not a CPU share above 0 (e.g. 80% or 150%)'],
    [{ cpu: [] }, 'limits.cpu', 'expected a CPU share such as 80% or 150%'],
    [
      { memory: '1GB', memory_action: 'kill' },
      'limits.memory_action',
      'expected one of restart, stop, alert',
    ],
    [
      { cpu: 50, cpu_action: 'stop' },
      'limits.cpu_action',
      'expected one of alert, throttle, restart',
    ],
    [
      { cpu: 50, cpu_window: 'long' },
      'limits.cpu_window',
      '"long" is not a duration (e.g. 500ms, 10s, 5m)',
    ],
    [
      { cpu: 50, cpu_window: null },
      'limits.cpu_window',
      'expected a duration (e.g. 500ms, 10s, 5m)',
    ],
    [
      { max_runtime: '0s' },
      'limits.max_runtime',
      '"0s" is not a duration above 0 (e.g. 500ms, 10s, 5m)',
    ],
    [{ max_runtime: false }, 'limits.max_runtime', 'expected a duration (e.g. 500ms, 10s, 5m)'],
    [{ open_files: 0 }, 'limits.open_files', 'expected a number ≥ 1'],
    [{ open_files: 1.5 }, 'limits.open_files', 'expected a whole number from 1 to 1073741816'],
    [{ open_files: '1024' }, 'limits.open_files', 'expected a number, got "1024"'],
    [
      { alert_cooldown: 'often' },
      'limits.alert_cooldown',
      '"often" is not a duration (e.g. 500ms, 10s, 5m)',
    ],
    [{ memory_action: 'alert' }, 'limits.memory_action', 'memory_action needs memory'],
    [{ cpu_action: 'throttle' }, 'limits.cpu_action', 'cpu_action needs cpu'],
    [{ cpu_window: '5s' }, 'limits.cpu_window', 'cpu_window needs cpu'],
    [{ swap: '1GB' }, 'limits.swap', 'unknown key'],
  ])('refuses %j at its path', (limits, path, message) => {
    expect(issuesOf(limits)).toEqual([{ path, message }]);
  });

  it('reads memory_warn as a share of memory or a size, and cpu_warn as a share of cpu', () => {
    expect(limitsOf({ memory: '256MB', memory_warn: '80%' })!.memoryWarn).toEqual({ percent: 80 });
    expect(limitsOf({ memory: '256MB', memory_warn: '200MB' })!.memoryWarn).toEqual({
      bytes: 200 * 1024 * 1024,
    });
    expect(limitsOf({ cpu: '150%', cpu_warn: '90 %' })!.cpuWarnPercent).toBe(90);
    expect(limitsOf({ memory: '256MB' })!.memoryWarn).toBeUndefined();
  });

  it.each([
    [{ memory_warn: '80%' }, 'limits.memory_warn', 'memory_warn needs memory'],
    [{ cpu_warn: '80%' }, 'limits.cpu_warn', 'cpu_warn needs cpu'],
    [
      { memory: '1GB', memory_warn: '100%' },
      'limits.memory_warn',
      '"100%" is not a share of the limit above 0% and below 100%',
    ],
    [
      { memory: '1GB', memory_warn: '0%' },
      'limits.memory_warn',
      '"0%" is not a share of the limit above 0% and below 100%',
    ],
    [
      { memory: '1GB', memory_warn: 800 },
      'limits.memory_warn',
      'expected a share of memory such as 80%, or a size such as 200MB',
    ],
    [
      { memory: '1GB', memory_warn: '800' },
      'limits.memory_warn',
      '"800" is not a share of memory (80%) or a size with its unit (200MB)',
    ],
    [
      { memory: '256MB', memory_warn: '256MB' },
      'limits.memory_warn',
      'memory_warn 256MB must be below memory 256MB',
    ],
    [
      { cpu: '50%', cpu_warn: '120%' },
      'limits.cpu_warn',
      '"120%" is not a share of the limit above 0% and below 100%',
    ],
    [
      { cpu: '50%', cpu_warn: 40 },
      'limits.cpu_warn',
      'expected a share of the cpu limit such as 80%',
    ],
    [
      { cpu: '50%', cpu_warn: '40' },
      'limits.cpu_warn',
      '"40" is not a share of the cpu limit (e.g. 80%)',
    ],
  ])('refuses the warning %j at its path', (limits, path, message) => {
    expect(issuesOf(limits)).toEqual([{ path, message }]);
  });

  it('refuses limits that are not a map', () => {
    expect(issuesOf('256MB')).toEqual([{ path: 'limits', message: 'expected a map, got "256MB"' }]);
  });
});

describe('settings.sample_interval', () => {
  const load = (settings: object) =>
    projectFromRaw('/srv/app/overseer.yaml', {
      value: { version: 1, settings, processes: { api: { command: 'x' } } },
      locate: (issues) => issues.map((issue) => ({ ...issue, line: undefined, column: undefined })),
    });

  it('is read as milliseconds, 0 meaning off, and absent when not set', () => {
    expect(load({ sample_interval: '2s' }).settings.sampleInterval).toBe(2_000);
    expect(load({ sample_interval: 0 }).settings.sampleInterval).toBe(0);
    expect(load({}).settings.sampleInterval).toBeUndefined();
  });

  it('refuses what is not a duration, naming the path', () => {
    expect(() => load({ sample_interval: 'often' })).toThrow(/settings\.sample_interval/);
  });
});
