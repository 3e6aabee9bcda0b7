/**
 * `settings.tasks` as a project carries it: defaults applied, each key bounded and a bad
 * value refused at its path.
 */
import { describe, expect, it } from 'vitest';
import { projectFromRaw } from '../../src/config/load.js';

const load = (settings: object) =>
  projectFromRaw('/srv/app/overseer.yaml', {
    value: { version: 1, settings, processes: { api: { command: 'x' } } },
    locate: (issues) => issues.map((issue) => ({ ...issue, line: undefined, column: undefined })),
  });

describe('settings.tasks', () => {
  it('defaults to 1000 remembered and 10 000 waiting', () => {
    expect(load({}).settings.tasks).toEqual({ history: 1000, maxQueued: 10_000 });
  });

  it('reads history and max_queued, each on its own', () => {
    expect(load({ tasks: { history: 0, max_queued: 5 } }).settings.tasks).toEqual({
      history: 0,
      maxQueued: 5,
    });
    expect(load({ tasks: { max_queued: 2 } }).settings.tasks).toEqual({
      history: 1000,
      maxQueued: 2,
    });
  });

  it.each([
    [{ history: -1 }, /settings\.tasks\.history: expected a number ≥ 0/],
    [{ max_queued: 0 }, /settings\.tasks\.max_queued: expected a number ≥ 1/],
    [{ max_queued: 2.5 }, /settings\.tasks\.max_queued: expected a whole number/],
    [{ history: 'lots' }, /settings\.tasks\.history/],
    [{ keep: 3 }, /settings\.tasks\.keep/],
  ])('refuses %j naming its path', (tasks, message) => {
    expect(() => load({ tasks })).toThrow(message);
  });
});
