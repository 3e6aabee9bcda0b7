/**
 * The clock of every schedule: each fire time armed is fed once, when the wall clock has
 * reached it, nearest first; one re-armed or dropped meanwhile is not fed; a wait longer
 * than the cap is cut into shorter ones.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CronClock } from '../../../src/runtime/triggers/cron.js';

const clocks: Array<CronClock<string>> = [];
afterEach(() => {
  for (const clock of clocks.splice(0)) clock.close();
});

/** A clock recording what it feeds, with the wall time it fed each. */
function recordingClock(
  maxWaitMs?: number,
  wait?: ConstructorParameters<typeof CronClock<string>>[2],
) {
  const fed: Array<{ key: string; at: number; now: number }> = [];
  let wake: () => void = () => {};
  const clock = new CronClock<string>(
    (key, at) => {
      fed.push({ key, at, now: Date.now() });
      wake();
    },
    maxWaitMs,
    wait,
  );
  clocks.push(clock);
  const fedCount = (count: number) =>
    new Promise<void>((resolve) => {
      wake = () => fed.length >= count && resolve();
      wake();
    });
  return { clock, fed, fedCount };
}

describe('CronClock', () => {
  it('feeds each fire time once the wall clock reaches it, nearest first', async () => {
    const { clock, fed, fedCount } = recordingClock();
    const now = Date.now();
    clock.arm('later', now + 80);
    clock.arm('sooner', now + 30);
    await fedCount(2);
    expect(fed.map(({ key, at }) => [key, at])).toEqual([
      ['sooner', now + 30],
      ['later', now + 80],
    ]);
    for (const { at, now: fedAt } of fed) expect(fedAt).toBeGreaterThanOrEqual(at);
    expect(clock.armed('sooner')).toBeUndefined();
  });

  it('regression: a late timer that finds several fires due feeds the earliest first, not the first armed', async () => {
    const { clock, fed, fedCount } = recordingClock();
    const now = Date.now();
    clock.arm('later', now + 10);
    clock.arm('sooner', now + 5);
    // Hold the event loop past both: the one timer wakes late and finds them both due.
    while (Date.now() < now + 30) {}
    await fedCount(2);
    expect(fed.map(({ key }) => key)).toEqual(['sooner', 'later']);
  });

  it('feeds nothing for a key dropped or re-armed later before its time', async () => {
    const { clock, fed, fedCount } = recordingClock();
    const now = Date.now();
    clock.arm('dropped', now + 20);
    clock.arm('moved', now + 20);
    clock.arm('marker', now + 60);
    clock.disarm('dropped');
    clock.arm('moved', now + 40);
    await fedCount(2);
    expect(fed.map(({ key, at }) => [key, at])).toEqual([
      ['moved', now + 40],
      ['marker', now + 60],
    ]);
  });

  it('cuts a long wait into waits of at most the cap, and never feeds early', async () => {
    const waits: number[] = [];
    const { clock, fed, fedCount } = recordingClock(15, (tick, ms) => {
      waits.push(ms);
      return setTimeout(tick, ms);
    });
    const at = Date.now() + 70;
    clock.arm('far', at);
    await fedCount(1);
    expect(fed[0]!.now).toBeGreaterThanOrEqual(at);
    expect(waits.length).toBeGreaterThan(1);
    expect(Math.max(...waits)).toBeLessThanOrEqual(15);
  });
});
