/**
 * A dead letter named by the start of its id, as a user copies it from `dlq ls`: one match
 * is that letter for show, retry and drop; several are refused naming them; too short a
 * start or none is not found.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { exponentialBackoff } from '../../src/core/backoff.js';
import type { OverseerError } from '../../src/core/errors.js';
import type { WorkflowStore } from '../../src/core/workflows/workflow-store.js';
import { Workflows } from '../../src/open-workflows.js';
import { storeWorkflowsApi } from '../../src/protocol/workflows-api.js';
import { MemoryWorkflowStore } from '../../src/store/memory/workflow-store.js';

const engines: Workflows[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.close()));
});

/** A store holding one dead letter per run id given, each id its letter's. */
async function lettersFor(runIds: readonly string[]) {
  const store = new MemoryWorkflowStore();
  const engine = new Workflows({ store });
  engines.push(engine);
  const backoff = exponentialBackoff({ initialMs: 1, factor: 1, maxMs: 1 });
  const charge = engine.define('charge', async (context) => {
    await context.step(
      'charge',
      () => {
        throw new Error('card declined');
      },
      { retry: { attempts: 1, backoff } },
    );
  });
  for (const id of runIds) {
    await expect((await charge.start(null, { id })).result()).rejects.toThrow();
  }
  const api = storeWorkflowsApi(store);
  return { api, store, letters: await api.deadLetters() };
}

async function failure(action: () => Promise<unknown>): Promise<OverseerError> {
  try {
    await action();
  } catch (error) {
    return error as OverseerError;
  }
  throw new Error('expected a failure');
}

describe('a dead letter named by the start of its id', () => {
  it('is that letter for show, retry and drop when one id starts so', async () => {
    const { api, letters } = await lettersFor(['run-1', 'run-2']);
    const [second, first] = letters;
    const unique = (id: string, other: string) => {
      let length = 4;
      while (other.startsWith(id.slice(0, length))) length += 1;
      return id.slice(0, length);
    };

    expect((await api.deadLetter(unique(first!.id, second!.id))).runId).toBe('run-1');
    expect(await api.retryDeadLetter(unique(first!.id, second!.id))).toMatchObject({
      id: 'run-1',
      status: 'pending',
    });
    await api.dropDeadLetter(unique(second!.id, first!.id));
    expect(await api.deadLetters()).toEqual([]);
  });

  it('is refused naming the ids when several start so, and not found when too short or none', async () => {
    const { api, store, letters } = await lettersFor(['run-1', 'run-2']);
    // Two letters whose ids start alike: the store's own, renamed.
    const [a, b] = (await store.deadLetters({ limit: 10 })).map((letter, index) => ({
      ...letter,
      id: `abcd-${index}`,
    }));
    const alike = storeWorkflowsApi({
      deadLetter: async (id: string) => [a, b].find((letter) => letter?.id === id),
      deadLetters: async () => [a, b],
    } as unknown as WorkflowStore);
    const several = await failure(() => alike.retryDeadLetter('abcd'));
    expect(several).toMatchObject({
      code: 'BAD_REQUEST',
      message: 'dead letter "abcd" is the start of 2 ids (abcd-0, abcd-1): give more of it',
    });
    // Three characters name nothing, however few letters there are.
    const short = await failure(() => api.deadLetter(letters[0]!.id.slice(0, 3)));
    expect(short).toMatchObject({ code: 'NOT_FOUND' });
    const none = await failure(() => api.dropDeadLetter('zzzz-not-an-id'));
    expect(none).toMatchObject({ code: 'NOT_FOUND', message: 'no dead letter "zzzz-not-an-id"' });
    expect(await api.deadLetters()).toHaveLength(2);
  });
});
