/**
 * The one reader of `/proc/PID/stat`: the fields the supervisor and the benchmarks use, read
 * from the bytes of a line whose command name holds spaces and parentheses.
 */
import { describe, expect, it } from 'vitest';
import { parseStatBytes, readProcEntry, readStat } from '../../../src/runtime/process/proc.js';

// pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime
// stime cutime cstime priority nice threads itrealvalue starttime vsize rss …
const LINE =
  '4242 (a (b) c) S 1 4242 4242 0 -1 4194560 100 0 0 0 7 3 20 5 20 0 2 0 123456 1000000 250 18446744073709551615\n';

function parse(line: string) {
  const bytes = Buffer.from(line);
  return parseStatBytes(bytes, bytes.length);
}

describe('parseStatBytes', () => {
  it('reads the fields after the command name, however odd the name', () => {
    expect(parse(LINE)).toEqual({
      state: 'S'.charCodeAt(0),
      ppid: 1,
      pgid: 4242,
      ticks: 35,
      ownTicks: 10,
      threads: 2,
      startTicks: 123456,
      rssPages: 250,
    });
  });

  it('counts the reaped children in ticks, not in ownTicks', () => {
    const parent = parse(LINE.replace(' 7 3 20 5 ', ' 7 3 0 0 '));
    expect(parent?.ticks).toBe(10);
    expect(parent?.ownTicks).toBe(10);
  });

  it('rejects a line with no command name', () => {
    expect(parse('garbage')).toBeUndefined();
  });
});

describe('readStat', () => {
  it('reads a live process, and says the same as its entry', () => {
    const stat = readStat(process.pid, undefined);
    expect(stat?.startTicks).toBe(readProcEntry(process.pid)?.startTime);
    expect(stat?.threads).toBeGreaterThan(0);
  });

  it('is undefined for a pid that does not exist', () => {
    expect(readStat(2 ** 22 + 1)).toBeUndefined();
  });
});
