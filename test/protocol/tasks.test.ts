/**
 * The task methods of `SupervisorApi`, one contract run against the in-process
 * `Supervisor` (with and without log files) and the client over the daemon's socket:
 * submitting, following the output to the end, waiting, cancelling, unknown ids.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TaskView } from '../../src/core/tasks/task.js';
import type { SupervisorApi, TaskLine } from '../../src/protocol/api.js';
import { HttpSupervisorClient } from '../../src/protocol/client.js';
import { cleanupAll, createSupervisor, openDaemon, sleeper, tempDir } from '../daemon/helpers.js';

afterEach(cleanupAll);

const SUBJECTS: ReadonlyArray<readonly [string, () => Promise<SupervisorApi>]> = [
  ['the in-process Supervisor', async () => createSupervisor()],
  [
    'the in-process Supervisor keeping log files',
    async () => createSupervisor({ logDir: join(tempDir(), 'logs') }),
  ],
  [
    'the client over the Unix socket',
    async () => {
      const { socketPath } = await openDaemon({ processes: { web: sleeper() } });
      return new HttpSupervisorClient({ socketPath });
    },
  ],
];

function follow(api: SupervisorApi, id: string): Promise<{ lines: TaskLine[]; end: TaskView }> {
  const lines: TaskLine[] = [];
  return new Promise((resolve, reject) => {
    const stop = api.onBreak(reject);
    api.followTask(
      id,
      (line) => lines.push(line),
      (end) => {
        stop();
        resolve({ lines, end });
      },
    );
  });
}

describe.each(SUBJECTS)('tasks through %s', (_name, open) => {
  it('follows a task’s output to its end, and waits for it', async () => {
    const api = await open();
    const id = await api.submitTask({
      command: [
        process.execPath,
        '-e',
        'console.log("a"); console.error("b"); process.exitCode = 2',
      ],
      labels: { team: 'ci' },
    });
    const { lines, end } = await follow(api, id);
    expect(lines.map((line) => [line.id, line.stream, line.text])).toEqual([
      [id, 'stdout', 'a'],
      [id, 'stderr', 'b'],
    ]);
    expect(end).toMatchObject({ id, status: 'failed', result: { exitCode: 2 } });
    expect(await api.waitTask(id, 10)).toMatchObject({ id, status: 'failed' });
    expect((await api.listTasks({ labels: { team: 'ci' } })).map((view) => view.id)).toEqual([id]);
    expect((await api.stats()).tasks).toMatchObject({ failed: 1 });
  });

  it('answers a wait with the task as it is when the wait is over, and cancels it', async () => {
    const api = await open();
    const id = await api.submitTask({
      command: [process.execPath, '-e', 'setInterval(() => {}, 1000)'],
    });
    expect(await api.waitTask(id, 100)).toMatchObject({ id, result: null });
    await api.cancelTask(id);
    expect(await api.waitTask(id, 10_000)).toMatchObject({ id, status: 'cancelled' });
    await expect(Promise.resolve().then(() => api.cancelTask(id))).rejects.toMatchObject({
      code: 'INVALID_STATE',
    });
    await expect(Promise.resolve().then(() => api.getTask('nope'))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(Promise.resolve().then(() => api.waitTask('nope', 10))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('the routes over an in-process Supervisor keeping log files', () => {
  it('read a task’s output from its log file', async () => {
    const { createMonitoringRoutes } = await import('../../src/daemon/routes.js');
    const supervisor = createSupervisor({ logDir: join(tempDir(), 'logs') });
    const id = supervisor.submitTask({ command: [process.execPath, '-e', 'console.log("kept")'] });
    // Its end as a follower sees it: once its last line is in the file.
    await follow(supervisor, id);
    const app = createMonitoringRoutes(supervisor);
    const answer = await app.request(`/tasks/${id}/logs`);
    expect(
      ((await answer.json()) as { lines: { text: string }[] }).lines.map((line) => line.text),
    ).toEqual(['kept']);
  });
});
