import { describe, expect, it } from 'vitest';
import { MAX_INSTANCES, planScale, type ScaleMember } from '../../../src/core/stack/scale-plan.js';

const web = (count: number, settled = false): ScaleMember[] =>
  Array.from({ length: count }, (_, instance) => ({ name: `web-${instance}`, instance, settled }));
const free = () => false;

describe('planScale', () => {
  it('adds the next numbers, touching no instance that exists', () => {
    expect(planScale('web', web(2), 4, free)).toEqual({
      ok: true,
      add: [
        { name: 'web-2', instance: 2 },
        { name: 'web-3', instance: 3 },
      ],
      remove: [],
      startAdded: true,
    });
  });

  it('removes the highest-numbered instances, highest first', () => {
    expect(planScale('web', web(4), 2, free)).toEqual({
      ok: true,
      add: [],
      remove: ['web-3', 'web-2'],
      startAdded: true,
    });
  });

  it('fills a gap in the numbers first', () => {
    const gapped = [web(3)[0]!, web(3)[2]!];
    expect(planScale('web', gapped, 3, free)).toMatchObject({
      add: [{ name: 'web-1', instance: 1 }],
    });
  });

  it('does nothing for the count it already has', () => {
    expect(planScale('web', web(3), 3, free)).toMatchObject({ ok: true, add: [], remove: [] });
  });

  it('starts added instances only when the process runs: a stopped process gains stopped ones', () => {
    expect(planScale('web', web(1, true), 2, free)).toMatchObject({ startAdded: false });
  });

  it.each([0, -1, 1.5, MAX_INSTANCES + 1, Number.NaN])(
    'refuses %s instances, naming the bounds',
    (count) => {
      const plan = planScale('web', web(2), count, free);
      expect(plan).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
      expect(plan.ok === false && plan.message).toMatch(
        /^instances: expected a whole number from 1 to 1000/,
      );
    },
  );

  it('points to stop for none', () => {
    const plan = planScale('web', web(2), 0, free);
    expect(plan.ok === false && plan.message).toContain('`overseer stop web`');
  });

  it('refuses a process declared without instances: scaling it would rename it', () => {
    const solo = [{ name: 'web', instance: 0, settled: false }];
    expect(planScale('web', solo, 2, free)).toEqual({
      ok: false,
      code: 'BAD_REQUEST',
      message:
        'web was declared without `instances:` (its one process is named web, not web-0): set `instances:` in the config to scale it',
    });
  });

  it('refuses a new name another process already has', () => {
    const plan = planScale('web', web(2), 3, (name) => name === 'web-2');
    expect(plan).toEqual({
      ok: false,
      code: 'BAD_REQUEST',
      message: 'cannot add web-2: another process is named so',
    });
  });
});
