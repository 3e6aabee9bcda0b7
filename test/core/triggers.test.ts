/**
 * The next fire time of a cron schedule, on a clock given by hand: in a time zone, across
 * the spring-forward and fall-back days of Europe/Paris and America/New_York, and what a
 * fire does while the previous run still goes.
 */
import { describe, expect, it } from 'vitest';
import { cronIssue, decideFire, nextFire } from '../../src/core/triggers.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The first `count` fire times after `from`, each asked after the one before. */
function fires(cron: string, timezone: string | undefined, from: string, count: number) {
  const times: Array<string | null> = [];
  let after = at(from);
  for (let i = 0; i < count; i += 1) {
    const next = nextFire({ cron, timezone }, after);
    times.push(iso(next));
    if (next === null) break;
    after = next;
  }
  return times;
}

describe('nextFire', () => {
  it('is strictly after the instant asked about, to the second with 6 fields', () => {
    expect(fires('* * * * * *', 'UTC', '2026-06-01T12:00:00.000Z', 2)).toEqual([
      '2026-06-01T12:00:01.000Z',
      '2026-06-01T12:00:02.000Z',
    ]);
    expect(fires('*/5 * * * *', 'UTC', '2026-06-01T12:04:59.999Z', 2)).toEqual([
      '2026-06-01T12:05:00.000Z',
      '2026-06-01T12:10:00.000Z',
    ]);
  });

  it('reads the fields in the time zone given', () => {
    // 03:00 in Paris is 01:00 UTC in summer, 02:00 in winter.
    expect(fires('0 3 * * *', 'Europe/Paris', '2026-07-01T00:00:00Z', 1)).toEqual([
      '2026-07-01T01:00:00.000Z',
    ]);
    expect(fires('0 3 * * *', 'Europe/Paris', '2026-12-01T00:00:00Z', 1)).toEqual([
      '2026-12-01T02:00:00.000Z',
    ]);
  });

  describe('Europe/Paris, spring forward (2026-03-29: 02:00 CET becomes 03:00 CEST)', () => {
    it('runs a fixed-time job whose time does not exist at the first time after the gap, once', () => {
      expect(fires('30 2 * * *', 'Europe/Paris', '2026-03-28T12:00:00Z', 2)).toEqual([
        '2026-03-29T01:00:00.000Z', // 03:00 CEST
        '2026-03-30T00:30:00.000Z', // 02:30 CEST
      ]);
    });

    it('skips the times of an interval job that do not exist', () => {
      expect(fires('*/30 * * * *', 'Europe/Paris', '2026-03-29T00:15:00Z', 3)).toEqual([
        '2026-03-29T00:30:00.000Z', // 01:30 CET
        '2026-03-29T01:00:00.000Z', // 03:00 CEST: 02:00 and 02:30 never came
        '2026-03-29T01:30:00.000Z',
      ]);
    });
  });

  describe('Europe/Paris, fall back (2026-10-25: 03:00 CEST becomes 02:00 CET)', () => {
    it('runs a fixed-time job in the repeated hour once, at its first occurrence', () => {
      expect(fires('30 2 * * *', 'Europe/Paris', '2026-10-24T12:00:00Z', 2)).toEqual([
        '2026-10-25T00:30:00.000Z', // 02:30 CEST
        '2026-10-26T01:30:00.000Z', // 02:30 CET, the next day
      ]);
    });

    it('runs an interval job on both occurrences of the repeated hour', () => {
      expect(fires('*/30 * * * *', 'Europe/Paris', '2026-10-24T23:45:00Z', 5)).toEqual([
        '2026-10-25T00:00:00.000Z', // 02:00 CEST
        '2026-10-25T00:30:00.000Z', // 02:30 CEST
        '2026-10-25T01:00:00.000Z', // 02:00 CET
        '2026-10-25T01:30:00.000Z', // 02:30 CET
        '2026-10-25T02:00:00.000Z', // 03:00 CET
      ]);
    });
  });

  describe('America/New_York', () => {
    it('spring forward (2026-03-08): 02:30 does not exist, the job runs at 03:00 EDT', () => {
      expect(fires('30 2 * * *', 'America/New_York', '2026-03-07T12:00:00Z', 2)).toEqual([
        '2026-03-08T07:00:00.000Z', // 03:00 EDT
        '2026-03-09T06:30:00.000Z', // 02:30 EDT
      ]);
    });

    it('fall back (2026-11-01): 01:30 comes twice, a fixed-time job runs at the first', () => {
      expect(fires('30 1 * * *', 'America/New_York', '2026-10-31T12:00:00Z', 2)).toEqual([
        '2026-11-01T05:30:00.000Z', // 01:30 EDT
        '2026-11-02T06:30:00.000Z', // 01:30 EST, the next day
      ]);
    });

    it('fall back: an hourly interval job runs in both 01:00 hours', () => {
      expect(fires('0 * * * *', 'America/New_York', '2026-11-01T04:30:00Z', 3)).toEqual([
        '2026-11-01T05:00:00.000Z', // 01:00 EDT
        '2026-11-01T06:00:00.000Z', // 01:00 EST
        '2026-11-01T07:00:00.000Z', // 02:00 EST
      ]);
    });
  });
});

describe('cronIssue', () => {
  it('takes 5 and 6 fields, and names what is wrong with others', () => {
    expect(cronIssue('*/5 * * * *')).toBeUndefined();
    expect(cronIssue('*/1 * * * * *')).toBeUndefined();
    expect(cronIssue('* * * *')).toMatch(/expected 5 fields .* got 4/);
    expect(cronIssue('61 * * * *')).toMatch(/^expected a cron expression/);
  });

  it('refuses a schedule that never fires, rather than a process scheduled for ever', () => {
    expect(cronIssue('0 0 30 2 *')).toBe('this schedule never fires');
  });
});

describe('decideFire', () => {
  it('runs when nothing runs, whatever the overlap', () => {
    for (const overlap of ['skip', 'queue', 'replace'] as const) {
      expect(decideFire(overlap, false, false)).toBe('run');
    }
  });

  it('with a run under way: skips, queues one run (no more), or replaces it', () => {
    expect(decideFire('skip', true, false)).toBe('skip');
    expect(decideFire('queue', true, false)).toBe('queue');
    expect(decideFire('queue', true, true)).toBe('skip');
    expect(decideFire('replace', true, false)).toBe('replace');
  });
});
