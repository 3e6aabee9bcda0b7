/**
 * `Supervisor.run()`: one-off tasks with real children, through the library. Each ends with
 * a result whatever happened; bad input rejects and queues nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SupervisorEvent } from '../../../src/index.js';
import {
  cleanup,
  createSupervisor,
  fixture,
  isGone,
  recordEvents,
  tempDir,
  trackPid,
  waitFor,
} from '../helpers.js';

afterEach(cleanup);

describe('run()', () => {
  it('resolves with the result of a task that succeeds, its output captured', async () => {
    const supervisor = createSupervisor();
    const events = recordEvents(supervisor);

    const result = await supervisor.run({ name: 'hello', command: fixture('print-both.mjs') });

    expect(result).toMatchObject({
      name: 'hello',
      status: 'succeeded',
      exitCode: 0,
      signal: null,
      attempts: 1,
      reason: null,
      truncated: false,
    });
    expect(result.stdout).toContain('out');
    expect(result.stderr).toContain('err');
    expect(result.durationMs).toBeGreaterThan(0);
    expect(result.queuedMs).toBeGreaterThanOrEqual(0);
    const types = events.filter((e) => e.type.startsWith('task:')).map((e) => e.type);
    expect(types).toEqual(['task:queued', 'task:started', 'task:finished']);
    // A task's try is not a process of the stack: none of its events reach the stream.
    expect(events.some((e) => e.type.startsWith('process:'))).toBe(false);
    expect(supervisor.list()).toEqual([]);
  });

  it('reports a failing exit code as failed, with the reason', async () => {
    const supervisor = createSupervisor();
    const result = await supervisor.run({ command: fixture('exit-with.mjs', 3) });
    expect(result).toMatchObject({ status: 'failed', exitCode: 3, reason: 'exited with code 3' });
  });

  it('writes stdin from input, and the task reads it', async () => {
    const supervisor = createSupervisor();
    const result = await supervisor.run({ command: 'cat', input: 'one\ntwo\n' });
    expect(result.stdout).toBe('one\ntwo\n');
  });

  it('reports the peak memory and CPU of a task of 50 ms', async () => {
    const supervisor = createSupervisor();
    const result = await supervisor.run({
      command: [
        process.execPath,
        '-e',
        'const b = Buffer.alloc(100 * 2 ** 20, 1); let x = 0; for (let i = 0; i < b.length; i += 4096) x += b[i]; process.exit(x > 0 ? 0 : 1)',
      ],
    });
    expect(result.status).toBe('succeeded');
    expect(result.resourceUsage.peakMemoryBytes).toBeGreaterThanOrEqual(100 * 2 ** 20);
    expect(result.resourceUsage.cpuMs).toBeGreaterThan(0);
  });

  it('stops a task past its timeout: timed_out, its grandchild gone too', async () => {
    const supervisor = createSupervisor();
    const pidFile = join(tempDir(), 'grandchild.pid');
    const result = await supervisor.run({
      command: fixture('grandchild.mjs', pidFile),
      // Long enough for node to start and write the pid file even on a loaded machine.
      timeout: 2000,
    });
    const grandchild = trackPid(Number(readFileSync(pidFile, 'utf8')));
    expect(result).toMatchObject({ status: 'timed_out', reason: 'timed out after 2000 ms' });
    await waitFor(() => isGone(grandchild));
  });

  it('tries again per retry: failing twice then succeeding is attempts 3, the delays between', async () => {
    const supervisor = createSupervisor();
    const counter = join(tempDir(), 'count');
    const script = `n=$(cat ${counter} 2>/dev/null || echo 0); n=$((n+1)); echo $n > ${counter}; [ $n -ge 3 ]`;
    const started: number[] = [];
    supervisor.on('task:started', (event) => started.push(event.at));

    const result = await supervisor.run({
      command: script,
      retry: { attempts: 5, delay: 100, factor: 2 },
    });

    expect(result).toMatchObject({ status: 'succeeded', attempts: 3 });
    expect(started).toHaveLength(3);
    expect(started[1]! - started[0]!).toBeGreaterThanOrEqual(100);
    expect(started[2]! - started[1]!).toBeGreaterThanOrEqual(200);
  });

  it('says when the tries are spent', async () => {
    const supervisor = createSupervisor();
    const result = await supervisor.run({ command: 'exit 7', retry: { attempts: 2, delay: 10 } });
    expect(result).toMatchObject({
      status: 'failed',
      attempts: 2,
      reason: 'exited with code 7 (after 2 attempts)',
    });
  });

  it('retries only the exit codes it is told to', async () => {
    const supervisor = createSupervisor();
    const result = await supervisor.run({
      command: 'exit 7',
      retry: { attempts: 3, delay: 10, exit_codes: [75] },
    });
    expect(result).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('runs at most max_processes at once, by priority then submission order', async () => {
    const supervisor = createSupervisor({ maxProcesses: 2 });
    const order: string[] = [];
    let running = 0;
    let most = 0;
    supervisor.onAny((event: SupervisorEvent) => {
      if (event.type === 'task:started') {
        order.push(event.task);
        running += 1;
        most = Math.max(most, running);
      }
      if (event.type === 'task:finished' && event.result.attempts > 0) running -= 1;
    });
    const task = (name: string, priority: 'low' | 'normal' | 'high' | 'critical') =>
      supervisor.run({ name, priority, command: fixture('exit-with.mjs', 0, 50) });

    const results = await Promise.all([
      task('n1', 'normal'),
      task('n2', 'normal'),
      task('l1', 'low'),
      task('n3', 'normal'),
      task('h1', 'high'),
      task('c1', 'critical'),
      task('n4', 'normal'),
    ]);

    expect(results.every((result) => result.status === 'succeeded')).toBe(true);
    expect(most).toBe(2);
    // The first two took the free slots at once; the rest by priority, then submission.
    expect(order).toEqual(['n1', 'n2', 'c1', 'h1', 'n3', 'n4', 'l1']);
  });

  it('cancels a queued task: it never runs', async () => {
    const supervisor = createSupervisor({ maxProcesses: 1 });
    const blocker = supervisor.run({ command: fixture('sleeper.mjs'), name: 'blocker' });
    const controller = new AbortController();
    const queued = supervisor.run(
      { command: 'echo never', name: 'queued' },
      {
        signal: controller.signal,
      },
    );
    controller.abort();
    const result = await queued;
    expect(result).toMatchObject({ status: 'cancelled', attempts: 0, startedAt: null });
    const [running] = supervisor.listTasks({ status: 'running' });
    supervisor.cancelTask(running!.id);
    expect((await blocker).status).toBe('cancelled');
  });

  it('cancels a running task: its tree stopped as a stop does', async () => {
    const supervisor = createSupervisor();
    const pidFile = join(tempDir(), 'grandchild.pid');
    const started = new Promise<string>((resolve) =>
      supervisor.on('task:started', (event) => resolve(event.id)),
    );
    const running = supervisor.run({ command: fixture('grandchild.mjs', pidFile) });
    const id = await started;
    await waitFor(() => {
      try {
        return readFileSync(pidFile, 'utf8').length > 0;
      } catch {
        return false;
      }
    });
    const grandchild = trackPid(Number(readFileSync(pidFile, 'utf8')));
    expect(supervisor.cancelTask(id).status).toBe('running');
    const result = await running;
    expect(result).toMatchObject({ status: 'cancelled', reason: 'cancelled on request' });
    await waitFor(() => isGone(grandchild));
    expect(() => supervisor.cancelTask(id)).toThrow(/already ended: cancelled/);
  });

  it('rejects bad input naming the key, and queues nothing', async () => {
    const supervisor = createSupervisor();
    await expect(
      supervisor.run({ command: 'true', instances: 2, timeout: 'soon' } as never),
    ).rejects.toMatchObject({
      code: 'INVALID_SPEC',
      message: expect.stringMatching(/instances: not a task key.*timeout: /),
    });
    expect(supervisor.listTasks()).toEqual([]);
    expect(supervisor.stats().tasks.queued).toBe(0);
  });

  it('refuses a task the sandbox forbids: nothing spawned', async () => {
    const supervisor = createSupervisor({ sandbox: { allowedCommands: ['node'] } });
    const events = recordEvents(supervisor);
    const result = await supervisor.run({ command: ['/bin/echo', 'hi'] });
    expect(result.status).toBe('refused');
    expect(result.reason).toMatch(/^sandbox/);
    expect(result.attempts).toBe(0);
    expect(events.some((e) => e.type === 'task:started')).toBe(false);
  });

  it('regression: resolves with the result of a task that ended at once, even with history 0', async () => {
    const supervisor = createSupervisor({ tasks: { history: 0 } });
    const controller = new AbortController();
    controller.abort();
    const cancelled = await supervisor.run({ command: 'true' }, { signal: controller.signal });
    expect(cancelled.status).toBe('cancelled');
    const unstartable = await supervisor.run({ command: ['overseer-no-such-program'] });
    expect(unstartable).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/ENOENT/),
    });
    expect(supervisor.listTasks()).toEqual([]);
  });

  it('regression: takes either tasks option alone, the other at its default', async () => {
    const supervisor = createSupervisor({ tasks: { maxQueued: 1 } });
    expect((await supervisor.run({ command: 'true' })).status).toBe('succeeded');
    expect(() => createSupervisor({ tasks: { history: 0, maxqueued: 3 } as never })).toThrow(
      /tasks: .*maxqueued/,
    );
  });

  it('regression: removes the log files of tasks that leave the history', async () => {
    const logDir = tempDir();
    const supervisor = createSupervisor({ logDir, tasks: { history: 1 } });
    const ids: string[] = [];
    for (const word of ['one', 'two', 'three']) {
      ids.push((await supervisor.run({ command: ['echo', word] })).id);
    }
    await waitFor(() => readdirSync(join(logDir, 'tasks')).length === 1);
    expect(readdirSync(join(logDir, 'tasks'))).toEqual([`${ids[2]}.log`]);
  });

  it('counts tasks in stats() and lists ended ones', async () => {
    const supervisor = createSupervisor();
    await supervisor.run({ command: 'true', labels: { team: 'a' } });
    await supervisor.run({ command: 'false' });
    const stats = supervisor.stats();
    expect(stats.tasks).toMatchObject({ succeeded: 1, failed: 1, queued: 0, running: 0 });
    expect(stats.host.cpus).toBeGreaterThan(0);
    expect(supervisor.listTasks({ labels: { team: 'a' } })).toHaveLength(1);
  });

  it('cancels what is left at shutdown, and takes no more', async () => {
    const supervisor = createSupervisor({ maxProcesses: 1 });
    const running = supervisor.run({ command: fixture('sleeper.mjs') });
    const queued = supervisor.run({ command: 'true' });
    await supervisor.shutdown();
    expect((await running).status).toBe('cancelled');
    expect((await queued).status).toBe('cancelled');
    await expect(supervisor.run({ command: 'true' })).rejects.toMatchObject({ code: 'SHUT_DOWN' });
  });
});
