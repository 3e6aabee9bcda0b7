/**
 * The two storage counters of `/proc/PID/io`, read straight from its bytes: the sampler
 * reads the file of every member at every pass.
 */

/** `/proc/PID/io` is seven short lines. */
export const IO_BYTES = 256;

/** What one read of `/proc/PID/io` gave; reused from read to read. */
export interface IoReading {
  readBytes: number;
  writeBytes: number;
}

const READ_BYTES = Buffer.from('read_bytes: ');
const WRITE_BYTES = Buffer.from('write_bytes: ');

/**
 * `read_bytes` (what the process caused to be fetched from storage) and `write_bytes` (what
 * it caused to be sent to storage) into `into`; false when either line is missing.
 */
export function parseIoBytes(bytes: Uint8Array, length: number, into: IoReading): boolean {
  let found = 0;
  let index = 0;
  while (index < length) {
    const lineStart = index;
    while (index < length && bytes[index] !== 0x0a) index += 1;
    const lineEnd = index;
    index += 1;
    const key = startsWith(bytes, lineStart, lineEnd, READ_BYTES)
      ? 'readBytes'
      : startsWith(bytes, lineStart, lineEnd, WRITE_BYTES)
        ? 'writeBytes'
        : undefined;
    if (!key) continue;
    const prefix = key === 'readBytes' ? READ_BYTES.length : WRITE_BYTES.length;
    let value = 0;
    for (let at = lineStart + prefix; at < lineEnd; at += 1) {
      const byte = bytes[at]!;
      if (byte < 0x30 || byte > 0x39) return false;
      value = value * 10 + (byte - 0x30);
    }
    into[key] = value;
    found += 1;
  }
  return found === 2;
}

function startsWith(bytes: Uint8Array, start: number, end: number, prefix: Buffer): boolean {
  if (end - start <= prefix.length) return false;
  for (let offset = 0; offset < prefix.length; offset += 1) {
    if (bytes[start + offset] !== prefix[offset]) return false;
  }
  return true;
}
