/**
 * The workflow store contract, part three: what a worker writes to a run it holds (steps,
 * failed attempts, sleeps, ends), each refused once its lease is lost, nothing written.
 */
import { describe, expect, it } from 'vitest';
import type { StepRecord } from '../../../src/core/workflows/records.js';
import {
  heldRun,
  type OpenWorkflowStore,
  SHORT_MS,
  takeOver,
  useStore,
} from './contract-support.js';

export function step(runId: string, index: number, fields: Partial<StepRecord> = {}): StepRecord {
  return {
    runId,
    index,
    name: `step-${index}`,
    kind: 'step',
    output: { index },
    attempts: 1,
    startedAt: 1_000 + index,
    finishedAt: 2_000 + index,
    ...fields,
  };
}

const ERROR = { name: 'TypeError', message: 'card declined', stack: 'TypeError: card declined' };

export function fencedWritesContract(open: OpenWorkflowStore): void {
  describe('fenced writes', () => {
    const fixture = useStore(open);

    it('records the steps of a held run and answers them by index', async () => {
      const { store } = fixture;
      await heldRun(store, 'w1', 'r1');
      const { output: _, ...noOutput } = step('r1', 0);
      const sleep = step('r1', 2, { kind: 'sleep', name: 'wait', wakeAt: 9_000 });
      delete (sleep as { output?: unknown }).output;
      const nothing = step('r1', 1, { output: null });
      const found = step('r1', 3, { output: { items: [1, 'two', { three: [3] }] }, attempts: 4 });
      for (const record of [noOutput, sleep, found, nothing]) {
        expect(await store.recordStep('w1', record)).toBe(true);
      }
      const steps = await store.steps('r1');
      expect(steps).toEqual([noOutput, nothing, sleep, found]);
      expect(steps[0]).not.toHaveProperty('output');
      expect(steps[0]).not.toHaveProperty('wakeAt');
      expect(steps[1]!.output).toBeNull();
      expect(steps[2]).not.toHaveProperty('output');
    });

    it('refuses a step at an index already recorded, keeping the first', async () => {
      const { store } = fixture;
      await heldRun(store, 'w1', 'r1');
      expect(await store.recordStep('w1', step('r1', 0))).toBe(true);
      expect(await store.recordStep('w1', step('r1', 0, { name: 'other', output: 'x' }))).toBe(
        false,
      );
      expect(await store.steps('r1')).toEqual([step('r1', 0)]);
    });

    it('refuses every write once the lease is lost, writing nothing', async () => {
      const { store } = fixture;
      const held = await heldRun(store, 'w1', 'r1', SHORT_MS);
      await takeOver(fixture, held, 'w2');
      const before = await store.run('r1');
      expect(await store.recordStep('w1', step('r1', 0))).toBe(false);
      expect(await store.countStepFailure('w1', 'r1', 'charge')).toBe(false);
      expect(await store.sleepRun('w1', 'r1', 5_000)).toBe(false);
      expect(await store.finishRun('w1', 'r1', { status: 'completed', output: 1 })).toBe(false);
      const letter = { runId: 'r1', workflow: 'order', step: 'charge', stepIndex: 0 };
      const deadLetter = { ...letter, input: null, error: ERROR, attempts: 3 };
      expect(
        await store.finishRun('w1', 'r1', { status: 'failed', error: ERROR, deadLetter }),
      ).toBe(false);
      expect(await store.steps('r1')).toEqual([]);
      expect(await store.run('r1')).toEqual(before);
      expect(await store.deadLetters()).toEqual([]);
    });

    it('refuses writes to a run whose lease ended though none took it, and to one never held', async () => {
      const { store } = fixture;
      const lapsed = await heldRun(store, 'w1', 'lapsed', SHORT_MS);
      await heldRun(store, 'w2', 'theirs');
      await fixture.reach(lapsed.leaseUntil!);
      expect(await store.recordStep('w1', step('lapsed', 0))).toBe(false);
      expect(await store.recordStep('w1', step('theirs', 0))).toBe(false);
      expect(await store.recordStep('w1', step('nope', 0))).toBe(false);
      expect(await store.countStepFailure('w1', 'nope', 'charge')).toBe(false);
      expect(await store.sleepRun('w1', 'nope', 5_000)).toBe(false);
      expect(await store.finishRun('w1', 'nope', { status: 'completed' })).toBe(false);
      expect(await store.steps('lapsed')).toEqual([]);
      expect(await store.steps('theirs')).toEqual([]);
    });

    it('counts failed attempts per step name, over the run', async () => {
      const { store } = fixture;
      await heldRun(store, 'w1', 'r1');
      const odd = 'mail.send "quoted" [0]';
      for (const name of ['charge', odd, 'charge']) {
        expect(await store.countStepFailure('w1', 'r1', name)).toBe(true);
      }
      expect(await store.countStepFailure('w2', 'r1', 'charge')).toBe(false);
      expect((await store.run('r1'))!.stepFailures).toEqual({ charge: 2, [odd]: 1 });
      await store.release('w1', ['r1']);
      await store.claim('w2', { limit: 1, leaseMs: 60_000 });
      expect(await store.countStepFailure('w2', 'r1', 'charge')).toBe(true);
      expect((await store.run('r1'))!.stepFailures).toEqual({ charge: 3, [odd]: 1 });
    });

    it('counts failures of steps named like the properties every object has', async () => {
      const { store } = fixture;
      await heldRun(store, 'w1', 'r1');
      for (const name of ['constructor', '__proto__', '__proto__', 'toString']) {
        expect(await store.countStepFailure('w1', 'r1', name)).toBe(true);
      }
      const { stepFailures } = (await store.run('r1'))!;
      expect(JSON.parse(JSON.stringify(stepFailures))).toEqual(
        JSON.parse('{"constructor": 1, "__proto__": 2, "toString": 1}'),
      );
    });

    it('puts a held run to sleep, letting go of it', async () => {
      const { store } = fixture;
      await heldRun(store, 'w1', 'r1');
      const wakeAt = (await store.now()) + 60_000;
      expect(await store.sleepRun('w1', 'r1', wakeAt)).toBe(true);
      const asleep = await store.run('r1');
      expect(asleep).toMatchObject({ status: 'sleeping', wakeAt });
      expect(asleep).not.toHaveProperty('owner');
      expect(asleep).not.toHaveProperty('leaseUntil');
      expect(await store.sleepRun('w1', 'r1', wakeAt + 1)).toBe(false);
      expect(await store.recordStep('w1', step('r1', 0))).toBe(false);
    });

    it('completes a held run with its output, or none for undefined', async () => {
      const { store } = fixture;
      for (const id of ['valued', 'nulled', 'bare']) await heldRun(store, 'w1', id);
      const output = { total: 3, lines: ['a', 'b'] };
      expect(await store.finishRun('w1', 'valued', { status: 'completed', output })).toBe(true);
      expect(await store.finishRun('w1', 'nulled', { status: 'completed', output: null })).toBe(
        true,
      );
      expect(await store.finishRun('w1', 'bare', { status: 'completed' })).toBe(true);
      const valued = await store.run('valued');
      expect(valued).toMatchObject({ status: 'completed', output });
      expect(valued).not.toHaveProperty('owner');
      expect(valued).not.toHaveProperty('leaseUntil');
      expect(valued).not.toHaveProperty('error');
      expect((await store.run('nulled'))!.output).toBeNull();
      expect(await store.run('bare')).not.toHaveProperty('output');
      expect(await store.finishRun('w1', 'valued', { status: 'completed' })).toBe(false);
    });

    it('fails a held run, filing its dead letter in the same write', async () => {
      const { store } = fixture;
      await heldRun(store, 'w1', 'plain');
      await heldRun(store, 'w1', 'lettered');
      expect(await store.finishRun('w1', 'plain', { status: 'failed', error: ERROR })).toBe(true);
      expect(await store.deadLetters()).toEqual([]);
      const deadLetter = {
        runId: 'lettered',
        workflow: 'order',
        step: 'charge',
        stepIndex: 2,
        input: { id: 'lettered' },
        error: ERROR,
        attempts: 3,
      };
      const before = await store.now();
      const end = { status: 'failed', error: ERROR, deadLetter } as const;
      expect(await store.finishRun('w1', 'lettered', end)).toBe(true);
      const after = await store.now();
      const failed = await store.run('lettered');
      expect(failed).toMatchObject({ status: 'failed', error: ERROR });
      expect(failed).not.toHaveProperty('owner');
      expect(failed).not.toHaveProperty('output');
      const [letter, ...more] = await store.deadLetters();
      expect(more).toEqual([]);
      expect(letter).toEqual({ ...deadLetter, id: expect.any(String), failedAt: letter!.failedAt });
      expect(letter!.failedAt).toBeGreaterThanOrEqual(before);
      expect(letter!.failedAt).toBeLessThanOrEqual(after);
      expect(await store.deadLetter(letter!.id)).toEqual(letter);
    });
  });
}
