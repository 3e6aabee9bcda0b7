/** The kernel's pid counter as read from /proc: a process spawned between two reads is new. */
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { mayBeNew, newPidsSince } from '../../../src/core/limits/new-pids.js';
import { PidCounterReader } from '../../../src/runtime/sampling/pid-counter.js';

const readers: PidCounterReader[] = [];
afterEach(() => {
  for (const reader of readers.splice(0)) reader.close();
});

describe('PidCounterReader', () => {
  it('counts a process forked between two reads, and places its pid among the new', () => {
    const reader = new PidCounterReader();
    readers.push(reader);
    const before = reader.read();
    expect(before).not.toBeNull();
    const { pid } = spawnSync('true');
    const after = reader.read()!;
    expect(after.forks).toBeGreaterThan(before!.forks);
    expect(after.tasks).toBeGreaterThan(0);
    expect(mayBeNew(newPidsSince(before, after, reader.pidMax), pid)).toBe(true);
  });
});
