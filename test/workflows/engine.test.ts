import { afterEach, describe, expect, it, vi } from 'vitest';
import { exponentialBackoff } from '../../src/core/backoff.js';
import { MemoryWorkflowStore } from '../../src/store/memory/workflow-store.js';
import { WorkflowEngine } from '../../src/workflows/engine.js';
import { WorkflowFailedError } from '../../src/workflows/errors.js';
import type { WorkflowEvent } from '../../src/workflows/events.js';

const engines: WorkflowEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.close()));
});

const QUICK = { attempts: 3, backoff: exponentialBackoff({ initialMs: 1, factor: 1, maxMs: 1 }) };

function setup(
  options: { clock?: () => number; workerId?: string; store?: MemoryWorkflowStore } = {},
) {
  const store =
    options.store ?? new MemoryWorkflowStore(options.clock ? { clock: options.clock } : {});
  const engine = new WorkflowEngine({ store, workerId: options.workerId ?? 'w1', pollMs: 20 });
  engines.push(engine);
  const events: WorkflowEvent[] = [];
  engine.onEvent((event) => events.push(event));
  return { store, engine, events };
}

/** A promise and the functions that settle it. */
function gate<T = void>() {
  let open!: (value: T) => void;
  const opened = new Promise<T>((resolve) => (open = resolve));
  return { opened, open };
}

describe('WorkflowEngine', () => {
  it('runs the steps in order, records each result, and gives the output', async () => {
    const { engine, store, events } = setup();
    const order = engine.define('order', async (ctx, input: { items: number[] }) => {
      const total = await ctx.step('sum', () => input.items.reduce((a, b) => a + b, 0));
      const receipt = await ctx.step('receipt', ({ key }) => ({ total, key }));
      return receipt;
    });
    const handle = await order.start({ items: [1, 2, 3] }, { id: 'o-1' });
    expect(await handle.result()).toEqual({ total: 6, key: 'o-1:1' });
    expect((await store.steps('o-1')).map((step) => [step.name, step.output])).toEqual([
      ['sum', 6],
      ['receipt', { total: 6, key: 'o-1:1' }],
    ]);
    expect(events.map((event) => event.type)).toEqual([
      'workflow:started',
      'workflow:step',
      'workflow:step',
      'workflow:completed',
    ]);
  });

  it('starts one run for one id, however many times it is started', async () => {
    const { engine } = setup();
    const runs = vi.fn(async () => 'done');
    const once = engine.define('once', runs);
    const [first, second] = await Promise.all([
      once.start(null, { id: 'same' }),
      once.start(null, { id: 'same' }),
    ]);
    expect([first.created, second.created].sort()).toEqual([false, true]);
    expect(await second.result()).toBe('done');
    expect(runs).toHaveBeenCalledTimes(1);
    const third = await once.start(null, { id: 'same' });
    expect(third.created).toBe(false);
    expect(await third.result()).toBe('done');
    expect(runs).toHaveBeenCalledTimes(1);
  });

  it('resumes an interrupted run past its recorded steps: a completed step is not run again', async () => {
    const store = new MemoryWorkflowStore();
    const first = setup({ store, workerId: 'crashed' });
    const effects: string[] = [];
    const hang = gate();
    const define = (engine: WorkflowEngine, stall: boolean) =>
      engine.define('pipeline', async (ctx) => {
        await ctx.step('fetch', () => effects.push('fetch'));
        await ctx.step('transform', async () => {
          effects.push('transform');
          if (stall) await hang.opened;
        });
        await ctx.step('load', () => effects.push('load'));
        return effects.length;
      });
    await define(first.engine, true).start(null, { id: 'p-1' });
    await vi.waitFor(() => expect(effects).toEqual(['fetch', 'transform']));

    // The same worker, come back after a crash: it takes its run back at once.
    const again = setup({ store, workerId: 'crashed' });
    define(again.engine, false);
    expect(await again.engine.recover()).toBe(1);
    expect(effects).toEqual(['fetch', 'transform', 'transform', 'load']);
    expect((await store.run('p-1'))?.status).toBe('completed');
    hang.open();
  });

  it('recover() resumes a run whose step waits to be retried, without claiming it again and again', async () => {
    const store = new MemoryWorkflowStore();
    await store.createRun({ id: 'r-1', workflow: 'flaky', input: null });
    // Held by this worker's previous life, which crashed.
    await store.claim('w1', { limit: 1, leaseMs: 60_000 });
    const { engine } = setup({ store });
    let tries = 0;
    engine.define('flaky', async (ctx) =>
      ctx.step(
        'call',
        () => {
          if (++tries === 1) throw new Error('once');
          return tries;
        },
        {
          retry: {
            attempts: 2,
            backoff: exponentialBackoff({ initialMs: 20, factor: 1, maxMs: 20 }),
          },
        },
      ),
    );
    expect(await engine.recover()).toBe(1);
    expect(await store.run('r-1')).toMatchObject({ status: 'completed', output: 2 });
  });

  it('files a dead letter for a step out of attempts, and retry resumes the run at that step', async () => {
    const { engine, store, events } = setup();
    let fixed = false;
    const charges: string[] = [];
    const billing = engine.define('billing', async (ctx, input: { customer: string }) => {
      await ctx.step('charge', () => charges.push(input.customer));
      await ctx.step(
        'email',
        () => {
          if (!fixed) throw new Error('smtp refused');
          return 'sent';
        },
        { retry: QUICK },
      );
      return 'ok';
    });
    const handle = await billing.start({ customer: 'acme' }, { id: 'b-1' });
    const failure = await handle.result().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure as WorkflowFailedError).error.message).toBe(
      'step email failed after 3 attempts: smtp refused',
    );
    const [letter] = await engine.deadLetters.list();
    expect(letter).toMatchObject({
      runId: 'b-1',
      workflow: 'billing',
      step: 'email',
      stepIndex: 1,
      input: { customer: 'acme' },
      attempts: 3,
      error: {
        name: 'Error',
        message: 'smtp refused',
        stack: expect.stringContaining('smtp refused'),
      },
    });
    expect((await store.run('b-1'))?.stepFailures).toEqual({ email: 3 });
    expect(events.filter((event) => event.type === 'workflow:dead-lettered')).toHaveLength(1);

    fixed = true;
    await engine.deadLetters.retry(letter!.id);
    expect(await handle.result()).toBe('ok');
    expect(charges).toEqual(['acme']);
    expect(await engine.deadLetters.list()).toEqual([]);
  });

  it('fails a run whose steps no longer match what it recorded', async () => {
    const { engine, store } = setup({ workerId: 'a' });
    // A run the code before recorded: its first step was called "one".
    await store.createRun({ id: 'f-1', workflow: 'flow', input: null });
    await store.claim('a', { limit: 1, leaseMs: 60_000, runId: 'f-1' });
    const step = { runId: 'f-1', index: 0, name: 'one', kind: 'step' } as const;
    await store.recordStep('a', { ...step, output: 1, attempts: 1, startedAt: 0, finishedAt: 0 });
    await store.release('a', ['f-1']);
    // The code now renames it.
    engine.define('flow', async (ctx) => ctx.step('first', () => 1));
    expect(await engine.recover()).toBe(1);
    const failed = await store.run('f-1');
    expect(failed?.status).toBe('failed');
    expect(failed?.error?.message).toBe(
      'non-determinism at step 0: the run recorded step one there, but now calls step first; ' +
        'a workflow must call the same steps in the same order on every run',
    );
    expect(await engine.deadLetters.list()).toEqual([]);
  });

  it('sleeps durably: a resumed run sleeps only what is left', async () => {
    let now = 1_000_000;
    const { engine, store } = setup({ clock: () => now });
    const reminder = engine.define('reminder', async (ctx) => {
      await ctx.step('schedule', () => 'scheduled');
      await ctx.sleep('1h', 'wait');
      return ctx.step('remind', () => 'reminded');
    });
    await reminder.start(null, { id: 'r-1' });
    await vi.waitFor(async () => expect((await store.run('r-1'))?.status).toBe('sleeping'));
    expect((await store.run('r-1'))?.wakeAt).toBe(1_000_000 + 3_600_000);

    now += 3_000_000;
    expect(await engine.recover()).toBe(0);
    now += 600_000;
    expect(await engine.recover()).toBe(1);
    expect(await store.run('r-1')).toMatchObject({ status: 'completed', output: 'reminded' });
    expect((await store.steps('r-1')).map((step) => step.kind)).toEqual(['step', 'sleep', 'step']);
  });

  it('refuses what JSON cannot hold: an input at start, a step result as a dead letter', async () => {
    const { engine } = setup();
    const dated = engine.define('dated', async (ctx) =>
      ctx.step('when', () => ({ at: new Date(0) })),
    );
    await expect(dated.start({ at: new Date(0) } as never)).rejects.toThrow(
      'workflow dated: the input is not plain JSON: $.at is a Date',
    );
    const handle = await dated.start(null, { id: 'd-1' });
    await expect(handle.result()).rejects.toThrow(
      'step when failed after 1 attempt: its result is not plain JSON: $.at is a Date',
    );
    const [letter] = await engine.deadLetters.list();
    expect(letter?.attempts).toBe(1);
  });

  it('fences a worker that stalled past its lease: its successor finishes the run, its writes are refused', async () => {
    let now = 0;
    const store = new MemoryWorkflowStore({ clock: () => now });
    const stalled = setup({ store, workerId: 'slow' });
    const hang = gate();
    const effects: string[] = [];
    const define = (engine: WorkflowEngine) =>
      engine.define('job', async (ctx) => {
        await ctx.step('work', async () => {
          effects.push(engine.workerId);
          if (engine === stalled.engine) await hang.opened;
        });
        return engine.workerId;
      });
    await define(stalled.engine).start(null, { id: 'j-1' });
    await vi.waitFor(() => expect(effects).toEqual(['slow']));

    now += 60_000;
    const successor = setup({ store, workerId: 'fast' });
    define(successor.engine);
    expect(await successor.engine.recover()).toBe(1);
    hang.open();
    await vi.waitFor(() => expect(stalled.events.at(-1)?.type).toBe('workflow:step'));
    expect(await store.run('j-1')).toMatchObject({ status: 'completed', output: 'fast' });
    expect((await store.steps('j-1')).length).toBe(1);
  });

  it('stops an execution whose lease another worker took over: its step aborted, nothing written', async () => {
    let now = 0;
    const store = new MemoryWorkflowStore({ clock: () => now });
    const engine = new WorkflowEngine({ store, workerId: 'slow', leaseMs: 90 });
    engines.push(engine);
    const aborted = gate<unknown>();
    const long = engine.define('long', async (ctx) =>
      ctx.step(
        'wait',
        ({ signal }) =>
          new Promise((_, reject) =>
            signal.addEventListener('abort', () => {
              aborted.open(signal.reason);
              reject(signal.reason);
            }),
          ),
      ),
    );
    await long.start(null, { id: 'l-1' });
    await vi.waitFor(async () => expect((await store.run('l-1'))?.owner).toBe('slow'));
    // By the store's clock the lease has run out, and another worker takes the run.
    now += 1_000;
    await store.claim('other', { limit: 1, leaseMs: 60_000, runId: 'l-1' });
    expect(String(await aborted.opened)).toContain('the lease on run l-1 was lost');
    expect(await store.run('l-1')).toMatchObject({
      status: 'running',
      owner: 'other',
      stepFailures: {},
    });
    expect(await store.steps('l-1')).toEqual([]);
  });

  it('a worker takes up enqueued runs, and close lets go of the runs executing', async () => {
    const { engine, store } = setup();
    const hang = gate();
    const queue = engine.define('queued', async (ctx, input: number) => {
      await ctx.step('wait', async ({ signal }) => {
        if (input === 0)
          await new Promise((_, reject) =>
            signal.addEventListener('abort', () => reject(signal.reason)),
          );
        return input;
      });
      return input * 2;
    });
    const handles = await Promise.all([1, 2, 3].map((n) => queue.start(n, { enqueue: true })));
    expect((await store.runs({ statuses: ['pending'] })).length).toBe(3);
    const worker = engine.worker({ concurrency: 2, pollMs: 10 });
    expect(await Promise.all(handles.map((handle) => handle.result()))).toEqual([2, 4, 6]);
    await worker.stop();

    const stuck = await queue.start(0, { id: 'stuck' });
    await vi.waitFor(async () => expect((await store.run('stuck'))?.status).toBe('running'));
    await engine.close();
    expect((await store.run(stuck.id))?.status).toBe('pending');
    expect((await store.run(stuck.id))?.stepFailures).toEqual({});
    hang.open();
  });
});
