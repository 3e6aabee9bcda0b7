/**
 * The task routes as the daemon serves them over its Unix socket (and once over TCP behind
 * the token): queueing, listing, long-polling, cancelling, reading and following a task's
 * output from its log file, and every refusal with its code.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cleanupAll,
  httpRequest,
  json,
  openDaemon,
  openEventStream,
  sleeper,
  TOKEN,
  type Where,
  waitFor,
  writeConfig,
} from './helpers.js';

afterEach(cleanupAll);

const node = (code: string) => ['node', '-e', code];

async function daemonAt(settings: object = {}) {
  const opened = await openDaemon({ settings, processes: { web: sleeper() } });
  return { ...opened, where: { socketPath: opened.socketPath } as Where };
}

async function post(where: Where, body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return httpRequest(where, 'POST', '/tasks', {
    headers: { 'content-type': 'application/json', ...headers },
    body: text,
  });
}

// biome-ignore lint/suspicious/noExplicitAny: answers are checked with toMatchObject
async function get(where: Where, path: string): Promise<{ status: number; body: any }> {
  const response = await httpRequest(where, 'GET', path);
  return { status: response.status, body: json(response) };
}

describe('what the daemon keeps of ended tasks', () => {
  it('regression: keeps neither a run per try nor the log files of tasks past the history', async () => {
    const { where, stateDir } = await daemonAt({ tasks: { history: 2 } });
    const ids: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      const { id } = json(await post(where, { command: ['echo', `task ${index}`] })) as {
        id: string;
      };
      expect((await get(where, `/tasks/${id}?wait=30s`)).body.status).toBe('succeeded');
      ids.push(id);
    }
    const logs = join(stateDir, 'logs', 'tasks');
    await waitFor(() => readdirSync(logs).length === 2);
    expect(readdirSync(logs).sort()).toEqual(
      ids
        .slice(3)
        .map((id) => `${id}.log`)
        .sort(),
    );
    const db = new Database(join(stateDir, 'state.db'), { readonly: true });
    try {
      const { count } = db
        .prepare("SELECT count(*) AS count FROM runs WHERE process LIKE 'task:%'")
        .get() as { count: number };
      expect(count).toBe(0);
    } finally {
      db.close();
    }
  });
});

describe('GET /tasks and the history', () => {
  it('regression: lists no more ended tasks than the history keeps, however they ended in turn', async () => {
    const { where } = await daemonAt({ tasks: { history: 2 } });
    // The first queued ends last: the runner's memory (by end) and the store (by
    // submission) then keep different pairs.
    const slow = json(await post(where, { command: node('setTimeout(() => {}, 400)') })) as {
      id: string;
    };
    const quick = [];
    for (let index = 0; index < 2; index += 1) {
      quick.push(json(await post(where, { command: ['echo', `${index}`] })) as { id: string });
    }
    for (const { id } of [...quick, slow]) {
      expect((await get(where, `/tasks/${id}?wait=30s`)).body.status).toBe('succeeded');
    }
    const listed = await get(where, '/tasks');
    expect(listed.body.tasks).toHaveLength(2);
  });
});

describe('POST /tasks', () => {
  it('queues a task (202 with its id) whose result GET /tasks/:id?wait= answers at its end', async () => {
    const { where } = await daemonAt();
    const submitted = await post(where, {
      command: node('console.log("hello"); process.exit(3)'),
      name: 'greet',
      labels: { team: 'ci' },
    });
    expect(submitted.status).toBe(202);
    const { id } = json(submitted) as { id: string };
    const waited = await get(where, `/tasks/${id}?wait=30s`);
    expect(waited.status).toBe(200);
    expect(waited.body).toMatchObject({
      id,
      name: 'greet',
      status: 'failed',
      result: { exitCode: 3, stdout: 'hello\n', attempts: 1 },
    });
  });

  it('refuses a bad definition with 400 naming the field, a body that is not JSON, and a full queue with 429', async () => {
    const { where, daemon } = await daemonAt({ max_processes: 1, tasks: { max_queued: 1 } });
    await daemon.up();
    const bad = await post(where, { command: 'true', timeout: 'soon', restart: {} });
    expect(bad.status).toBe(400);
    const body = json(bad) as { error: { code: string; issues: { path: string }[] } };
    expect(body.error.code).toBe('INVALID_SPEC');
    expect(body.error.issues.map((issue) => issue.path).sort()).toEqual(['restart', 'timeout']);

    const notJson = await post(where, '{"command":');
    expect(notJson.status).toBe(400);
    expect(json(notJson)).toMatchObject({ error: { code: 'BAD_REQUEST' } });

    // web holds the one slot: the first task waits, the second finds the queue full.
    expect((await post(where, { command: 'true' })).status).toBe(202);
    const full = await post(where, { command: 'true' });
    expect(full.status).toBe(429);
    expect(json(full)).toMatchObject({
      error: { code: 'QUEUE_FULL', message: expect.stringMatching(/task queue is full/) },
    });
  });
});

describe('GET /tasks', () => {
  it('lists recent first, filtered by status and labels; a bad status is a 400 naming it', async () => {
    const { where } = await daemonAt();
    const first = json(await post(where, { command: 'true', labels: { team: 'a' } })) as {
      id: string;
    };
    await get(where, `/tasks/${first.id}?wait=30s`);
    const second = json(await post(where, { command: 'exit 1', labels: { team: 'b' } })) as {
      id: string;
    };
    await get(where, `/tasks/${second.id}?wait=30s`);

    const all = await get(where, '/tasks');
    expect(all.body.tasks.map((task: { id: string }) => task.id)).toEqual([second.id, first.id]);
    const failed = await get(where, '/tasks?status=failed');
    expect(failed.body.tasks.map((task: { id: string }) => task.id)).toEqual([second.id]);
    const both = await get(where, '/tasks?status=failed&status=succeeded&label=team=a');
    expect(both.body.tasks.map((task: { id: string }) => task.id)).toEqual([first.id]);

    const bad = await get(where, '/tasks?status=done');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/status: "done" is not a task status/);
  });
});

describe('GET /tasks/:id', () => {
  it('answers at once, after the wait with the current view, and refuses a bad wait or an unknown id', async () => {
    const { where } = await daemonAt();
    const { id } = json(await post(where, { command: node('setInterval(() => {}, 1000)') })) as {
      id: string;
    };
    const now = await get(where, `/tasks/${id}`);
    expect(now.body).toMatchObject({ id, result: null });
    const waited = await get(where, `/tasks/${id}?wait=200ms`);
    expect(waited.body).toMatchObject({ id, status: 'running', result: null });

    const badWait = await get(where, `/tasks/${id}?wait=soon`);
    expect(badWait.status).toBe(400);
    expect(badWait.body.error.message).toMatch(/^wait: /);

    const unknown = await get(where, '/tasks/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
  });
});

describe('DELETE /tasks/:id', () => {
  it('cancels a running task; 409 once it ended, 404 for an unknown one', async () => {
    const { where } = await daemonAt();
    const { id } = json(await post(where, { command: node('setInterval(() => {}, 1000)') })) as {
      id: string;
    };
    await get(where, `/tasks/${id}?wait=100ms`);
    const cancelled = await httpRequest(where, 'DELETE', `/tasks/${id}`);
    expect(cancelled.status).toBe(200);
    const ended = await get(where, `/tasks/${id}?wait=30s`);
    expect(ended.body).toMatchObject({ status: 'cancelled' });

    const again = await httpRequest(where, 'DELETE', `/tasks/${id}`);
    expect(again.status).toBe(409);
    expect(json(again)).toMatchObject({ error: { code: 'INVALID_STATE' } });
    expect((await httpRequest(where, 'DELETE', '/tasks/nope')).status).toBe(404);
  });
});

describe('GET /tasks/:id/logs', () => {
  it('reads the output from the log file, and follows it until the task ends', async () => {
    const { where } = await daemonAt();
    // The last line comes once the follower is likely in place, the first two before.
    const script =
      'console.log("one"); console.error("two"); setTimeout(() => console.log("three"), 300)';
    const { id } = json(await post(where, { command: node(script) })) as {
      id: string;
    };
    const stream = await openEventStream(where, `/tasks/${id}/logs?follow=true`);
    expect(stream.status).toBe(200);
    const end = await stream.until((item) => item.event === 'end', 'the end of the task');
    expect(end.data).toMatchObject({ id, status: 'succeeded' });
    const lines = stream.items.filter((item) => item.event === 'line').map((item) => item.data);
    expect(lines.map((line) => [line.stream, line.text])).toEqual([
      ['stdout', 'one'],
      ['stderr', 'two'],
      ['stdout', 'three'],
    ]);

    const read = await get(where, `/tasks/${id}/logs`);
    expect(read.body.lines.map((line: { text: string }) => line.text)).toEqual([
      'one',
      'two',
      'three',
    ]);
    expect((await get(where, '/tasks/nope/logs')).status).toBe(404);
  });
});

describe('over TCP', () => {
  it('serves the task routes behind the token', async () => {
    const { daemon } = await daemonAt({ api: { listen: '127.0.0.1:0', token: TOKEN } });
    const where: Where = { port: daemon.tcpPort! };
    const refused = await post(where, { command: 'true' });
    expect(refused.status).toBe(401);
    const auth = { authorization: `Bearer ${TOKEN}` };
    const submitted = await post(where, { command: 'true' }, auth);
    expect(submitted.status).toBe(202);
    const { id } = json(submitted) as { id: string };
    const waited = await httpRequest(where, 'GET', `/tasks/${id}?wait=30s`, { headers: auth });
    expect(json(waited)).toMatchObject({ id, status: 'succeeded' });
  });
});

describe('/health and /metrics', () => {
  it('count tasks by status', async () => {
    const { where } = await daemonAt();
    const { id } = json(await post(where, { command: 'exit 2' })) as { id: string };
    await get(where, `/tasks/${id}?wait=30s`);
    const health = await get(where, '/health');
    expect(health.body.tasks).toMatchObject({ queued: 0, running: 0, failed: 1, succeeded: 0 });
    const metrics = await httpRequest(where, 'GET', '/metrics');
    expect(metrics.text).toContain('overseer_tasks{status="queued"} 0');
    expect(metrics.text).toContain('overseer_tasks_finished_total{status="failed"} 1');
    expect(metrics.text).toContain('# TYPE overseer_task_duration_seconds histogram');
    expect(metrics.text).toContain('overseer_task_duration_seconds_bucket{le="60"} 1');
    expect(metrics.text).toContain('overseer_task_duration_seconds_count 1');
  });
});

describe('settings.tasks on a live reload', () => {
  it('applies a new max_queued at once', async () => {
    const opened = await daemonAt({ max_processes: 1, tasks: { max_queued: 1 } });
    await opened.daemon.up();
    const { where } = opened;
    expect((await post(where, { command: 'true' })).status).toBe(202);
    expect((await post(where, { command: 'true' })).status).toBe(429);

    writeConfig(opened.dir, {
      settings: { max_processes: 1, tasks: { max_queued: 3 } },
      processes: { web: sleeper() },
    });
    await opened.daemon.apply();
    expect((await post(where, { command: 'true' })).status).toBe(202);
  });
});
