/**
 * `schedule:` of a process entry: a cron string or its long form, read into a
 * `ScheduleSpec` with defaults, a process on a schedule a job unless it says otherwise, and
 * every bad value refused with its path.
 */
import { describe, expect, it } from 'vitest';
import { specsFromDefinition } from '../../src/config/normalize.js';
import { OverseerError, type SpecIssue } from '../../src/core/errors.js';

const base = { name: 'report', command: 'node report.js' };
const specOf = (extra: object) => specsFromDefinition({ ...base, ...extra })[0]!;

function issuesOf(schedule: unknown): readonly SpecIssue[] {
  try {
    specsFromDefinition({ ...base, schedule } as never);
  } catch (error) {
    expect(error).toBeInstanceOf(OverseerError);
    return (error as OverseerError).issues;
  }
  throw new Error('expected the schedule to be refused');
}

describe('schedule', () => {
  it('reads a cron string, with the defaults: overlap skip, no run at start, local time', () => {
    expect(specOf({ schedule: ' */5 * * * * ' }).schedule).toEqual({
      cron: '*/5 * * * *',
      timezone: undefined,
      overlap: 'skip',
      runOnStart: false,
    });
  });

  it('reads the long form, 6 fields with seconds first', () => {
    const schedule = {
      cron: '0 0 3 * * *',
      timezone: 'Europe/Paris',
      overlap: 'replace',
      run_on_start: true,
    };
    expect(specOf({ schedule }).schedule).toEqual({
      cron: '0 0 3 * * *',
      timezone: 'Europe/Paris',
      overlap: 'replace',
      runOnStart: true,
    });
  });

  it('makes the process a job (restart policy never) unless it says kind: service', () => {
    expect(specOf({ schedule: '* * * * *' })).toMatchObject({
      kind: 'job',
      restart: { policy: 'never' },
    });
    expect(specOf({ schedule: '* * * * *', kind: 'service' })).toMatchObject({
      kind: 'service',
      restart: { policy: 'always' },
    });
    expect(specOf({ schedule: '* * * * *', restart: { policy: 'on-failure' } })).toMatchObject({
      kind: 'job',
      restart: { policy: 'on-failure' },
    });
  });

  it.each([
    ['* * * *', 'schedule', /expected 5 fields .* got 4/],
    ['61 * * * *', 'schedule', /expected a cron expression/],
    ['0 0 30 2 *', 'schedule', /never fires/],
    [{ cron: '* * * * *', timezone: 'Mars/Olympus' }, 'schedule.timezone', /IANA time zone/],
    [{ cron: '* * * * *', overlap: 'twice' }, 'schedule.overlap', /skip|queue|replace/],
    [{ cron: '* * * * *', run_on_start: 'yes' }, 'schedule.run_on_start', /true or false/],
    [{ cron: '* * * * *', every: '5m' }, 'schedule.every', /unknown key/],
  ])('refuses %o at %s', (schedule, path, message) => {
    const issues = issuesOf(schedule);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.some((issue) => issue.path === path && message.test(issue.message))).toBe(true);
  });
});
