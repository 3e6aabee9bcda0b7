/**
 * How much of each category the supervisor's log writes: `settings.log`, then
 * `OVERSEER_LOG_LEVEL` and `OVERSEER_DEBUG` over it; an unknown level or category refused,
 * naming it and the allowed ones.
 */
import { describe, expect, it } from 'vitest';
import { OverseerError } from '../../src/core/errors.js';
import {
  categoryLevels,
  DEFAULT_LOG_SETTINGS,
  LOG_CATEGORIES,
  type LogSettings,
} from '../../src/core/logging.js';

const every = (level: string) => Object.fromEntries(LOG_CATEGORIES.map((c) => [c, level]));

describe('categoryLevels', () => {
  it('is info everywhere by default', () => {
    expect(categoryLevels(DEFAULT_LOG_SETTINGS)).toEqual(every('info'));
  });

  it('writes the listed categories from the level, the others from warn: no failure is hidden', () => {
    const settings: LogSettings = { level: 'debug', categories: ['probe', 'schedule'] };
    expect(categoryLevels(settings)).toMatchObject({
      probe: 'debug',
      schedule: 'debug',
      process: 'warn',
      api: 'warn',
    });
    // A level above warn stays where it is for every category.
    expect(categoryLevels({ level: 'error', categories: ['api'] }).process).toBe('error');
  });

  it('takes OVERSEER_LOG_LEVEL over settings.log.level, in any case', () => {
    const levels = categoryLevels(
      { level: 'debug', categories: 'all' },
      { OVERSEER_LOG_LEVEL: ' WARN ' },
    );
    expect(levels).toEqual(every('warn'));
  });

  it('turns debug on for the categories OVERSEER_DEBUG names, listed or not, and all with *', () => {
    const some = categoryLevels(
      { level: 'info', categories: ['process'] },
      { OVERSEER_DEBUG: 'probe, schedule' },
    );
    expect(some).toMatchObject({ probe: 'debug', schedule: 'debug', process: 'info', api: 'warn' });
    expect(categoryLevels(DEFAULT_LOG_SETTINGS, { OVERSEER_DEBUG: '*' })).toEqual(every('debug'));
  });

  it('never makes a category quieter than asked: trace stays trace under OVERSEER_DEBUG', () => {
    const levels = categoryLevels(DEFAULT_LOG_SETTINGS, {
      OVERSEER_LOG_LEVEL: 'trace',
      OVERSEER_DEBUG: '*',
    });
    expect(levels.api).toBe('trace');
  });

  it('refuses a level it does not know, naming the variable and the levels', () => {
    expect(() => categoryLevels(DEFAULT_LOG_SETTINGS, { OVERSEER_LOG_LEVEL: 'loud' })).toThrow(
      'OVERSEER_LOG_LEVEL: "loud" is not a level: expected one of trace, debug, info, warn, error',
    );
  });

  it('refuses categories it does not know, naming each and the categories', () => {
    let thrown: unknown;
    try {
      categoryLevels(DEFAULT_LOG_SETTINGS, { OVERSEER_DEBUG: 'probe,prob,sched' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(OverseerError);
    expect((thrown as OverseerError).code).toBe('BAD_REQUEST');
    expect((thrown as OverseerError).message).toBe(
      `OVERSEER_DEBUG: "prob", "sched" are not categories: expected ${LOG_CATEGORIES.join(', ')} or *`,
    );
  });

  it('reads an empty variable as unset', () => {
    expect(
      categoryLevels(DEFAULT_LOG_SETTINGS, { OVERSEER_LOG_LEVEL: '', OVERSEER_DEBUG: '' }),
    ).toEqual(every('info'));
  });
});
