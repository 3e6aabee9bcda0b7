/**
 * The keys of the restart breaker (`restart.cooldown`, `max_cooldown`), the long form of
 * `depends_on` and `start_timeout` (docs/configuration.md): read into the spec, and each bad
 * value refused with its path.
 */
import { describe, expect, it } from 'vitest';
import { specsFromDefinition } from '../../src/config/normalize.js';
import { OverseerError, type SpecIssue } from '../../src/core/errors.js';

const base = { name: 'api', command: 'node server.js' };
const one = (extra: object) => specsFromDefinition({ ...base, ...extra })[0]!;

function issuesOf(extra: object): readonly SpecIssue[] {
  try {
    specsFromDefinition({ ...base, ...extra });
  } catch (error) {
    expect(error).toBeInstanceOf(OverseerError);
    return (error as OverseerError).issues;
  }
  throw new Error('expected the definition to be refused');
}

describe('restart.cooldown and max_cooldown', () => {
  it('are off unless given', () => {
    const { restart } = one({});
    expect(restart.cooldownMs).toBeUndefined();
    expect(restart.maxCooldownMs).toBeUndefined();
  });

  it('read as ms; max_cooldown defaults to the longer of 1h and cooldown', () => {
    expect(one({ restart: { cooldown: '5m', max_cooldown: '2h' } }).restart).toMatchObject({
      cooldownMs: 300_000,
      maxCooldownMs: 7_200_000,
    });
    expect(one({ restart: { cooldown: '5m' } }).restart.maxCooldownMs).toBe(3_600_000);
    expect(one({ restart: { cooldown: '3h' } }).restart.maxCooldownMs).toBe(10_800_000);
  });

  it.each([
    [{ cooldown: 0 }, 'restart.cooldown', '0 is not a duration above 0 (e.g. 500ms, 10s, 5m)'],
    [
      { cooldown: 'soon' },
      'restart.cooldown',
      '"soon" is not a duration above 0 (e.g. 500ms, 10s, 5m)',
    ],
    [
      { max_cooldown: '1h' },
      'restart.max_cooldown',
      'max_cooldown needs a cooldown: without one, a spent budget is never retried',
    ],
    [
      { cooldown: '5m', max_cooldown: '1m' },
      'restart.max_cooldown',
      'max_cooldown must be at least cooldown',
    ],
  ])('refuses restart %j, naming %s', (restart, path, message) => {
    expect(issuesOf({ restart })).toEqual([{ path, message }]);
  });
});

describe('depends_on, long form', () => {
  it('reads {condition, restart}; the condition defaults to started, restart to false', () => {
    expect(
      one({
        depends_on: {
          cache: { condition: 'healthy', restart: true },
          queue: { restart: true },
          db: 'healthy',
          auth: { condition: 'started' },
        },
      }).dependsOn,
    ).toEqual([
      { name: 'cache', condition: 'healthy', restart: true },
      { name: 'queue', condition: 'started', restart: true },
      { name: 'db', condition: 'healthy', restart: false },
      { name: 'auth', condition: 'started', restart: false },
    ]);
    expect(one({ depends_on: ['db'] }).dependsOn).toEqual([
      { name: 'db', condition: 'started', restart: false },
    ]);
  });

  it.each([
    [{ restart: 'yes' }, 'depends_on.db.restart', 'expected true or false, got "yes"'],
    [
      { condition: 'up', restart: true },
      'depends_on.db.condition',
      'expected one of started, healthy, completed, completed_successfully',
    ],
    [{ restart: true, when: 'always' }, 'depends_on.db.when', 'unknown key'],
  ])('refuses %j, naming %s', (entry, path, message) => {
    expect(issuesOf({ depends_on: { db: entry } })).toEqual([{ path, message }]);
  });
});
