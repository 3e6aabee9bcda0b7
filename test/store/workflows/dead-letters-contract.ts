/**
 * The workflow store contract, part four: dead letters listed, retried and dropped, and
 * JSON kept exactly as it went in wherever a run carries it.
 */
import { describe, expect, it } from 'vitest';
import type { Json, NewDeadLetter } from '../../../src/core/workflows/records.js';
import type { WorkflowStore } from '../../../src/core/workflows/workflow-store.js';
import {
  heldRun,
  ids,
  LIVE_LEASE_MS,
  type OpenWorkflowStore,
  useStore,
} from './contract-support.js';
import { step } from './fenced-writes-contract.js';

const ERROR = { name: 'Error', message: 'out of retries' };

/** Creates run `id` of `workflow`, and fails it with a dead letter at step 1. */
async function failWithLetter(store: WorkflowStore, id: string, workflow = 'order') {
  await store.createRun({ id, workflow, input: { id } });
  await store.claim('w1', { limit: 1, leaseMs: LIVE_LEASE_MS, runId: id });
  const deadLetter: NewDeadLetter = {
    runId: id,
    workflow,
    step: 'charge',
    stepIndex: 1,
    input: { id },
    error: ERROR,
    attempts: 3,
  };
  expect(await store.finishRun('w1', id, { status: 'failed', error: ERROR, deadLetter })).toBe(
    true,
  );
  const letter = (await store.deadLetters({ limit: 1000 })).find((each) => each.runId === id);
  return letter!;
}

export function deadLettersContract(open: OpenWorkflowStore): void {
  describe('dead letters', () => {
    const fixture = useStore(open);

    it('lists dead letters newest first, by workflow, up to a limit', async () => {
      const { store } = fixture;
      const a = await failWithLetter(store, 'a', 'order');
      const b = await failWithLetter(store, 'b', 'mail');
      const c = await failWithLetter(store, 'c', 'order');
      expect(new Set([a.id, b.id, c.id]).size).toBe(3);
      expect(await store.deadLetters()).toEqual([c, b, a]);
      expect(await store.deadLetters({ workflow: 'order' })).toEqual([c, a]);
      expect(await store.deadLetters({ workflow: 'none' })).toEqual([]);
      expect(await store.deadLetters({ limit: 2 })).toEqual([c, b]);
      expect(await store.deadLetters({ workflow: 'order', limit: 1 })).toEqual([c]);
      expect(await store.deadLetter(b.id)).toEqual(b);
      expect(await store.deadLetter('nope')).toBeUndefined();
    });

    it('lists the letters whose id starts with a prefix, over every letter, not only the newest page', async () => {
      const { store } = fixture;
      const a = await failWithLetter(store, 'a', 'order');
      const b = await failWithLetter(store, 'b', 'mail');
      expect(await store.deadLetters({ idPrefix: a.id })).toEqual([a]);
      expect(await store.deadLetters({ idPrefix: a.id.slice(0, 8), limit: 1 })).toEqual([a]);
      expect(await store.deadLetters({ idPrefix: b.id, workflow: 'order' })).toEqual([]);
      expect(await store.deadLetters({ idPrefix: 'no-such-start' })).toEqual([]);
      // Letters are UUIDs: none starts with a character a UUID has not, and '' starts all.
      expect(await store.deadLetters({ idPrefix: '%' })).toEqual([]);
      expect(await store.deadLetters({ idPrefix: '' })).toEqual([b, a]);
    });

    it('retries a dead letter: the letter gone, the run pending, its steps and failures kept', async () => {
      const { store } = fixture;
      await heldRun(store, 'w1', 'r1');
      expect(await store.recordStep('w1', step('r1', 0))).toBe(true);
      expect(await store.countStepFailure('w1', 'r1', 'charge')).toBe(true);
      await store.release('w1', ['r1']);
      const letter = await failWithLetter(store, 'r1');
      const other = await failWithLetter(store, 'r2');

      const retried = await store.retryDeadLetter(letter.id);
      expect(retried).toMatchObject({ id: 'r1', status: 'pending', stepFailures: { charge: 1 } });
      expect(retried).not.toHaveProperty('error');
      expect(retried).not.toHaveProperty('owner');
      expect(await store.run('r1')).toEqual(retried);
      expect(await store.steps('r1')).toEqual([step('r1', 0)]);
      expect(await store.deadLetter(letter.id)).toBeUndefined();
      expect(await store.deadLetters()).toEqual([other]);
      expect(await store.retryDeadLetter(letter.id)).toBeUndefined();
      expect(await store.retryDeadLetter('nope')).toBeUndefined();
      expect(ids(await store.claim('w2', { limit: 5, leaseMs: LIVE_LEASE_MS }))).toEqual(['r1']);
    });

    it('drops a dead letter, its run staying failed', async () => {
      const { store } = fixture;
      const letter = await failWithLetter(store, 'r1');
      expect(await store.dropDeadLetter(letter.id)).toBe(true);
      expect(await store.dropDeadLetter(letter.id)).toBe(false);
      expect(await store.dropDeadLetter('nope')).toBe(false);
      expect(await store.deadLetters()).toEqual([]);
      expect(await store.run('r1')).toMatchObject({ status: 'failed', error: ERROR });
    });
  });

  describe('JSON', () => {
    const fixture = useStore(open);

    it('keeps inputs, outputs, errors and letters exactly as they went in', async () => {
      const { store } = fixture;
      const large = 'ab€🚀'.repeat(200_000);
      const value: Json = {
        nested: { list: [1, 'two', null, true, false, { deep: [[], {}] }], '': 'empty key' },
        unicode: 'ünïcødé 漢字 🚀 "quotes" \\ \n\t \u2028 \u{1F600}',
        numbers: [0, -1.5e-7, 2 ** 53 - 1, 1e300],
        large,
      };
      for (const input of [value, null, 'plain', 7, [value]] as Json[]) {
        const id = `in-${JSON.stringify(input).length}`;
        expect((await store.createRun({ id, workflow: 'order', input })).run.input).toEqual(input);
        expect((await store.run(id))!.input).toEqual(input);
      }
      await heldRun(store, 'w1', 'r1');
      expect(await store.recordStep('w1', step('r1', 0, { output: value }))).toBe(true);
      expect((await store.steps('r1'))[0]!.output).toEqual(value);
      expect(await store.finishRun('w1', 'r1', { status: 'completed', output: value })).toBe(true);
      expect((await store.run('r1'))!.output).toEqual(value);

      await heldRun(store, 'w1', 'r2');
      const error = { name: 'Ërror', message: large, stack: `Ërror: ${large}\n    at 🚀` };
      const deadLetter = {
        runId: 'r2',
        workflow: 'order',
        step: 'chärge 🚀',
        stepIndex: 0,
        input: value,
        error,
        attempts: 1,
      };
      expect(await store.finishRun('w1', 'r2', { status: 'failed', error, deadLetter })).toBe(true);
      expect((await store.run('r2'))!.error).toEqual(error);
      expect(await store.deadLetters()).toEqual([
        { ...deadLetter, id: expect.any(String), failedAt: expect.any(Number) },
      ]);
    });
  });
}
