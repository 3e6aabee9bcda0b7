/**
 * The I/O tally of a run's tree, fed sequences of passes as the sampler would: counters that
 * only grow, members that exit keep what they did, and a reaper's inherited counts are not
 * counted twice.
 */
import { describe, expect, it } from 'vitest';
import { IoTally } from '../../../src/core/limits/io-tally.js';

type Reading = readonly [pid: number, readBytes: number, writeBytes: number];

/** One pass: the members gone since, with their reaper, and the readable members' counts. */
function pass(
  tally: IoTally,
  readings: readonly Reading[],
  gone: ReadonlyArray<readonly [pid: number, reaper: number]> = [],
) {
  // As the sampler goes: those gone are let go before a newcomer may take a pid again.
  for (const [pid, reaper] of gone) tally.left(pid, reaper);
  for (const [pid, read, write] of readings) tally.member(pid, read, write);
  tally.endPass();
  return tally.totals;
}

describe('IoTally', () => {
  it('is unknown (null), not 0, while no member could be read', () => {
    const tally = new IoTally();
    expect(pass(tally, [])).toBeNull();
    expect(pass(tally, [])).toBeNull();
  });

  it('sums the members, a newcomer with all it did', () => {
    const tally = new IoTally();
    expect(pass(tally, [[1, 100, 10]])).toEqual({ readBytes: 100, writeBytes: 10 });
    expect(pass(tally, [[1, 150, 10]])).toEqual({ readBytes: 150, writeBytes: 10 });
    expect(
      pass(tally, [
        [1, 160, 20],
        [2, 40, 5],
      ]),
    ).toEqual({ readBytes: 200, writeBytes: 25 });
  });

  it('keeps what a child did once it exits and its reaper is outside the tree', () => {
    const tally = new IoTally();
    pass(tally, [
      [1, 100, 0],
      [2, 500, 300],
    ]);
    // The child was re-parented to init, which is not a member: nothing shows up again.
    expect(pass(tally, [[1, 100, 0]], [[2, 1000]])).toEqual({ readBytes: 600, writeBytes: 300 });
    expect(pass(tally, [[1, 120, 0]])).toEqual({ readBytes: 620, writeBytes: 300 });
  });

  it('does not count a reaped child twice: its counts moved into its parent’s', () => {
    const tally = new IoTally();
    pass(tally, [
      [1, 100, 0],
      [2, 500, 300],
    ]);
    // Between the passes the child read 50 more, then exited; the parent reaped it, so the
    // parent's counts now hold the child's final 550 and 300 besides its own 100.
    expect(pass(tally, [[1, 650, 300]], [[2, 1]])).toEqual({ readBytes: 650, writeBytes: 300 });
  });

  it('regression: never goes down, and a child reaped after its reaper was read is not counted twice', () => {
    const tally = new IoTally();
    pass(tally, [
      [1, 100, 50],
      [2, 500, 300],
    ]);
    // The reaper's read came before it reaped the child: its share shows up next pass.
    expect(pass(tally, [[1, 100, 50]], [[2, 1]])).toEqual({ readBytes: 600, writeBytes: 350 });
    // Next pass the reaper's counts hold the child's 500 and 300: already counted.
    expect(pass(tally, [[1, 600, 350]])).toEqual({ readBytes: 600, writeBytes: 350 });
    expect(pass(tally, [[1, 610, 360]])).toEqual({ readBytes: 610, writeBytes: 360 });
  });

  it('counts a pid used again by a new member afresh', () => {
    const tally = new IoTally();
    pass(tally, [
      [1, 10, 0],
      [2, 30, 0],
    ]);
    expect(
      pass(
        tally,
        [
          [1, 10, 0],
          [2, 5, 0],
        ],
        [[2, 1000]],
      ),
    ).toEqual({ readBytes: 45, writeBytes: 0 });
  });
});
