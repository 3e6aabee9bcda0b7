/** `/proc/PID/io` read from its bytes: the two storage counters, and nothing when they are not there. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type IoReading, parseIoBytes } from '../../../src/runtime/sampling/proc-io.js';

const parse = (text: string) => {
  const into: IoReading = { readBytes: -1, writeBytes: -1 };
  const bytes = Buffer.from(text);
  return parseIoBytes(bytes, bytes.length, into) ? into : undefined;
};

describe('parseIoBytes', () => {
  it('reads read_bytes and write_bytes, not cancelled_write_bytes', () => {
    expect(
      parse(
        'rchar: 6976\nwchar: 12\nsyscr: 10\nsyscw: 1\nread_bytes: 405504\nwrite_bytes: 8404992\ncancelled_write_bytes: 4096\n',
      ),
    ).toEqual({ readBytes: 405_504, writeBytes: 8_404_992 });
  });

  it('refuses a file without both counters, or with a value that is no number', () => {
    expect(parse('rchar: 1\nread_bytes: 2\n')).toBeUndefined();
    expect(parse('read_bytes: 2\nwrite_bytes: x\n')).toBeUndefined();
    expect(parse('')).toBeUndefined();
  });

  it('reads this process’s own file as the kernel writes it', () => {
    const bytes = readFileSync('/proc/self/io');
    const into: IoReading = { readBytes: -1, writeBytes: -1 };
    expect(parseIoBytes(bytes, bytes.length, into)).toBe(true);
    expect(into.readBytes).toBeGreaterThanOrEqual(0);
    expect(into.writeBytes).toBeGreaterThanOrEqual(0);
  });
});
