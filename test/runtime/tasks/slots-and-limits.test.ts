/**
 * Tasks under the supervisor's slots and limits, with real children: the slot bound holds
 * under a burst, limits stop a task and say so, and every line of a big output is kept.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SupervisorEvent } from '../../../src/index.js';
import { cleanup, createSupervisor, fixture } from '../helpers.js';

afterEach(cleanup);

describe('tasks and slots', () => {
  it('runs 30 tasks at max_processes 5 never more than 5 at once, by priority then submission', async () => {
    const supervisor = createSupervisor({ maxProcesses: 5 });
    const order: string[] = [];
    let running = 0;
    let most = 0;
    supervisor.onAny((event: SupervisorEvent) => {
      if (event.type === 'task:started') {
        order.push(event.task);
        running += 1;
        most = Math.max(most, running);
      }
      if (event.type === 'task:finished') running -= 1;
    });
    const priorities = ['low', 'normal', 'high', 'critical'] as const;
    const submitted = Array.from({ length: 30 }, (_, index) => ({
      name: `t${index}`,
      priority: priorities[index % 4]!,
    }));

    const results = await Promise.all(
      submitted.map(({ name, priority }) =>
        supervisor.run({ name, priority, command: fixture('exit-with.mjs', 0, 30) }),
      ),
    );

    expect(results.every((result) => result.status === 'succeeded')).toBe(true);
    expect(most).toBe(5);
    // The first five took the free slots as they came; then priority, then submission order.
    const rest = submitted.slice(5);
    const rank = { critical: 3, high: 2, normal: 1, low: 0 };
    const expected = [...rest]
      .sort((a, b) => rank[b.priority] - rank[a.priority])
      .map((task) => task.name);
    expect(order).toEqual([...submitted.slice(0, 5).map((task) => task.name), ...expected]);
  });

  it('shares the slots with the processes of the stack', async () => {
    const supervisor = createSupervisor({ maxProcesses: 1 });
    supervisor.add({ name: 'web', command: fixture('sleeper.mjs') });
    await supervisor.up();
    const submitted = supervisor.submitTask({ command: 'true' });
    expect(supervisor.getTask(submitted)).toMatchObject({
      status: 'queued',
      reason: 'waiting for a free slot (max_processes 1, all in use)',
    });
    await supervisor.stop('web');
    expect((await supervisor.taskResult(submitted)).status).toBe('succeeded');
  });
});

describe('tasks and limits', () => {
  it('stops a memory hog over its limit: failed, the breach in the result', async () => {
    const supervisor = createSupervisor({ sampleInterval: 50 });
    const result = await supervisor.run({
      command: fixture('memory-hog.mjs', 16, 20),
      limits: { memory: '96MB', memory_action: 'stop' },
      timeout: '20s',
    });
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/memory .* over limit 96MB/);
    expect(result.limitBreaches[0]).toMatchObject({ resource: 'memory', action: 'stop' });
    expect(result.resourceUsage.peakMemoryBytes).toBeGreaterThan(96 * 2 ** 20);
  });

  it('keeps every line of a task that prints 200,000 and exits at once, with capture: all', async () => {
    const supervisor = createSupervisor();
    const result = await supervisor.run({
      command: fixture('print-many.mjs', 200_000, 20),
      capture: 'all',
    });
    expect(result.status).toBe('succeeded');
    const lines = result.stdout.split('\n');
    expect(lines).toHaveLength(200_001);
    expect(lines[0]).toMatch(/^line 1 /);
    expect(lines[199_999]).toMatch(/^line 200000 /);
    expect(result.truncated).toBe(false);
  });

  it('keeps the last 1,000 lines of each stream by default, and says it cut', async () => {
    const supervisor = createSupervisor();
    const result = await supervisor.run({ command: fixture('print-many.mjs', 5000, 20) });
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1000);
    expect(lines[0]).toMatch(/^line 4001 /);
    expect(lines[999]).toMatch(/^line 5000 /);
    expect(result.truncated).toBe(true);
  });

  it('keeps nothing with capture: none', async () => {
    const supervisor = createSupervisor();
    const result = await supervisor.run({ command: 'echo hi', capture: 'none' });
    expect(result).toMatchObject({ status: 'succeeded', stdout: '', stderr: '' });
  });
});
