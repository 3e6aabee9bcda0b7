/** A task definition validated into a TaskSpec: defaults, service-only keys, bad values. */
import { describe, expect, it } from 'vitest';
import { TASK_RETRY_DEFAULTS, taskFromDefinition } from '../../src/config/task-schema.js';
import { OverseerError } from '../../src/core/errors.js';

function issuesOf(input: unknown): Array<{ path: string; message: string }> {
  try {
    taskFromDefinition(input);
  } catch (error) {
    expect(error).toBeInstanceOf(OverseerError);
    expect((error as OverseerError).code).toBe('INVALID_SPEC');
    return [...(error as OverseerError).issues];
  }
  throw new Error('expected the task to be refused');
}

describe('taskFromDefinition', () => {
  it('applies the defaults: one try, a tail capture, a job never restarted', () => {
    const spec = taskFromDefinition({ command: 'make test' });
    expect(spec).toMatchObject({
      name: 'task',
      labels: {},
      timeoutMs: undefined,
      input: undefined,
      capture: 'tail',
      retry: {
        attempts: 1,
        backoff: { initialMs: TASK_RETRY_DEFAULTS.delayMs, factor: 2, maxMs: 30_000 },
        exitCodes: undefined,
        signals: undefined,
        onTimeout: false,
      },
    });
    expect(spec.process).toMatchObject({
      name: `task:${spec.id}`,
      kind: 'job',
      command: 'make test',
      priority: 'normal',
      restart: { policy: 'never' },
      startTimeoutMs: undefined,
    });
    expect(spec.id).toMatch(/^[0-9a-z]+-[0-9a-f]{8}$/);
  });

  it('gives each task its own id, in submission order', () => {
    const ids = Array.from({ length: 50 }, () => taskFromDefinition({ command: 'true' }).id);
    expect(new Set(ids).size).toBe(50);
  });

  it('reads every task key', () => {
    const spec = taskFromDefinition({
      name: 'build',
      command: ['npm', 'run', 'build'],
      labels: { team: 'web' },
      priority: 'high',
      timeout: '2m',
      input: 'yes\n',
      capture: 'all',
      limits: { memory: '256MB', memory_action: 'stop' },
      retry: {
        attempts: 3,
        delay: '2s',
        factor: 3,
        max_delay: '10s',
        exit_codes: [75],
        signals: ['SIGKILL'],
        on_timeout: true,
      },
    });
    expect(spec).toMatchObject({
      name: 'build',
      labels: { team: 'web' },
      timeoutMs: 120_000,
      input: 'yes\n',
      capture: 'all',
      retry: {
        attempts: 3,
        backoff: { initialMs: 2000, factor: 3, maxMs: 10_000 },
        exitCodes: [75],
        signals: ['SIGKILL'],
        onTimeout: true,
      },
    });
    expect(spec.process.priority).toBe('high');
    expect(spec.process.limits).toMatchObject({
      memoryBytes: 256 * 1024 ** 2,
      memoryAction: 'stop',
    });
  });

  it('names each key only a process takes, and why, once', () => {
    const issues = issuesOf({ command: 'x', instances: 2, readiness: { tcp: '127.0.0.1:1' } });
    expect(issues).toEqual([
      {
        path: 'instances',
        message: 'not a task key: a task runs once: submit it again for another run',
      },
      { path: 'readiness', message: 'not a task key: a task has no probes: it runs to its end' },
    ]);
  });

  it.each([
    [{}, 'command'],
    [{ command: 'x', timeout: 0 }, 'timeout'],
    [{ command: 'x', timeout: 'soon' }, 'timeout'],
    [{ command: 'x', capture: 'some' }, 'capture'],
    [{ command: 'x', retry: { attempts: 0 } }, 'retry.attempts'],
    [{ command: 'x', retry: { attempts: 101 } }, 'retry.attempts'],
    [{ command: 'x', retry: { delay: '5s', max_delay: '1s' } }, 'retry.max_delay'],
    [{ command: 'x', retry: { exit_codes: [256] } }, 'retry.exit_codes.0'],
    [{ command: 'x', retry: { signals: ['SIGNOPE'] } }, 'retry.signals.0'],
    [{ command: 'x', retry: { when: 'always' } }, 'retry.when'],
    [{ command: 'x', name: 'a b' }, 'name'],
    [{ command: 'x', input: 42 }, 'input'],
    [{ command: 'x', priority: 'urgent' }, 'priority'],
  ])('refuses %j naming %s', (input, path) => {
    expect(issuesOf(input).map((issue) => issue.path)).toContain(path);
  });

  it('refuses what is not an object', () => {
    expect(issuesOf('make')).not.toHaveLength(0);
    expect(issuesOf(null)).not.toHaveLength(0);
  });
});
