/**
 * The workflow routes, events and metrics as the daemon serves them: runs recorded in the
 * project's workflows.db by engines of their own (as workers beside the config record them),
 * read, retried and dropped over the socket.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exponentialBackoff } from '../../src/core/backoff.js';
import { Workflows } from '../../src/open-workflows.js';
import {
  cleanupAll,
  httpRequest,
  json,
  openDaemon,
  openEventStream,
  sleeper,
  type Where,
} from './helpers.js';

const engines: Workflows[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.close()));
  await cleanupAll();
});

const QUICK = { attempts: 2, backoff: exponentialBackoff({ initialMs: 1, factor: 1, maxMs: 1 }) };

/** An engine on the project's store whose `order` workflow fails at `charge` while `declined.now`. */
function orderEngine(store: string, declined = { now: true }) {
  const engine = new Workflows({ store, workerId: `engine-${engines.length}` });
  engines.push(engine);
  const order = engine.define<{ id: number }, string>('order', async (context, input) => {
    await context.step('reserve', () => `reserved ${input.id}`);
    await context.step(
      'charge',
      () => {
        if (declined.now) throw new Error('card declined');
      },
      { retry: QUICK },
    );
    return `shipped ${input.id}`;
  });
  return { engine, order, declined };
}

async function daemonWithStore() {
  const opened = await openDaemon({ processes: { web: sleeper() } });
  const where: Where = { socketPath: opened.socketPath };
  return { ...opened, where, store: join(opened.stateDir, 'workflows.db') };
}

async function call(
  where: Where,
  method: string,
  path: string,
  // biome-ignore lint/suspicious/noExplicitAny: answers are checked with toMatchObject
): Promise<{ status: number; body: any }> {
  const response = await httpRequest(where, method, path);
  return { status: response.status, body: json(response) };
}

describe('the workflow routes', () => {
  it('answer empty lists and 404s before any worker wrote the store, and do not create it', async () => {
    const { where, store } = await daemonWithStore();
    expect(await call(where, 'GET', '/workflows')).toEqual({ status: 200, body: { runs: [] } });
    expect(await call(where, 'GET', '/dead-letters')).toEqual({
      status: 200,
      body: { deadLetters: [] },
    });
    const unknown = await call(where, 'GET', '/workflows/nope');
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    expect((await call(where, 'POST', '/dead-letters/nope/retry')).status).toBe(404);
    expect((await call(where, 'DELETE', '/dead-letters/nope')).status).toBe(404);
    expect(existsSync(store)).toBe(false);
  });

  it('show runs, steps and dead letters; a retry completes the run under a worker; a drop removes the letter', async () => {
    const { where, store } = await daemonWithStore();
    const { engine, order, declined } = orderEngine(store);
    const failed = await order.start({ id: 1 }, { id: 'order-1' });
    await expect(failed.result()).rejects.toThrow(/card declined/);
    const dropped = await order.start({ id: 2 }, { id: 'order-2' });
    await expect(dropped.result()).rejects.toThrow(/card declined/);

    const listed = await call(where, 'GET', '/workflows?workflow=order&status=failed&limit=10');
    expect(listed.status).toBe(200);
    expect(listed.body.runs.map((run: { id: string }) => run.id)).toEqual(['order-2', 'order-1']);
    expect(listed.body.runs[1]).toMatchObject({
      workflow: 'order',
      status: 'failed',
      stepsDone: 1,
      failures: 2,
      error: { message: expect.stringMatching(/card declined/) },
      owner: null,
    });
    expect(listed.body.runs[1].updatedAt).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    expect((await call(where, 'GET', '/workflows?status=done')).body.error.message).toMatch(
      /status/,
    );
    expect((await call(where, 'GET', '/workflows?limit=0')).status).toBe(400);

    const shown = await call(where, 'GET', '/workflows/order-1');
    expect(shown.body.steps).toEqual([
      expect.objectContaining({
        index: 0,
        name: 'reserve',
        kind: 'step',
        attempts: 1,
        output: 'reserved 1',
      }),
    ]);
    expect(shown.body.deadLetters).toEqual([
      expect.objectContaining({ runId: 'order-1', step: 'charge', stepIndex: 1, attempts: 2 }),
    ]);
    const letterId = shown.body.deadLetters[0].id;
    expect((await call(where, 'GET', `/dead-letters/${letterId}`)).body).toEqual(
      shown.body.deadLetters[0],
    );
    const letters = await call(where, 'GET', '/dead-letters?workflow=order');
    expect(letters.body.deadLetters).toHaveLength(2);

    declined.now = false;
    const worker = engine.worker({ pollMs: 20 });
    const retried = await call(where, 'POST', `/dead-letters/${letterId}/retry`);
    expect(retried).toMatchObject({
      status: 200,
      body: { run: { id: 'order-1', status: 'pending' } },
    });
    // The same id is the same run: its handle waits for the worker to complete it.
    const again = await order.start({ id: 1 }, { id: 'order-1', enqueue: true });
    expect(again.created).toBe(false);
    expect(await again.result()).toBe('shipped 1');
    await worker.stop();
    const done = (await call(where, 'GET', '/workflows/order-1')).body;
    expect(done.run).toMatchObject({ output: 'shipped 1' });
    expect(done.steps.map((step: { name: string }) => step.name)).toEqual(['reserve', 'charge']);
    expect(done.deadLetters).toEqual([]);

    const other = (await call(where, 'GET', '/dead-letters')).body.deadLetters[0];
    expect(other.runId).toBe('order-2');
    expect(await call(where, 'DELETE', `/dead-letters/${other.id}`)).toEqual({
      status: 200,
      body: { dropped: other.id },
    });
    expect((await call(where, 'DELETE', `/dead-letters/${other.id}`)).status).toBe(404);
    expect((await call(where, 'GET', '/workflows/order-2')).body.run.status).toBe('failed');

    const metrics = (await httpRequest(where, 'GET', '/metrics')).text;
    expect(metrics).toContain('overseer_workflow_runs{workflow="order",status="completed"} 1');
    expect(metrics).toContain('overseer_workflow_runs{workflow="order",status="failed"} 1');
    // No dead letter left: the series says 0 rather than vanishing (an alert sees it clear).
    expect(metrics).toContain('overseer_workflow_dead_letters{workflow="order"} 0');
    expect(metrics).toContain('overseer_workflow_steps_total{workflow="order"} 3');
    expect(metrics).toContain('overseer_workflow_step_duration_seconds_count{workflow="order"} 3');
  });

  it('/events tells the workflow events of runs another engine executes, and none from before', async () => {
    const { where, store } = await daemonWithStore();
    const { order, declined } = orderEngine(store, { now: false });
    await (await order.start({ id: 0 }, { id: 'before' })).result();
    const events = await openEventStream(where, '/events');
    // The watch has begun once a run after it is told: one started now may be the first.
    declined.now = true;
    const run = await order.start({ id: 3 }, { id: 'order-3' });
    await expect(run.result()).rejects.toThrow(/card declined/);
    await events.until((item) => item.event === 'workflow:dead-lettered', 'the dead letter');
    const told = events.items.filter((item) => item.event.startsWith('workflow:'));
    expect(
      told.map((item) => [item.event, item.data.step ?? null, item.data.outcome ?? null]),
    ).toEqual([
      ['workflow:started', null, null],
      ['workflow:step', 'reserve', 'completed'],
      ['workflow:step', 'charge', 'failed'],
      ['workflow:step', 'charge', 'failed'],
      ['workflow:failed', null, null],
      ['workflow:dead-lettered', null, null],
    ]);
    expect(told.every((item) => item.data.runId === 'order-3')).toBe(true);
    expect(told[0]!.data).toEqual({
      type: 'workflow:started',
      runId: 'order-3',
      workflow: 'order',
      resumed: false,
    });
    expect(told[5]!.data.letter).toMatchObject({ step: 'charge', stepIndex: 1, attempts: 2 });
  });
});
