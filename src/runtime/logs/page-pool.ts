/**
 * Text is encoded into pages as soon as it is written (so the strings die young and cost
 * the garbage collector nothing), and pages are written to the file in order. Pages are
 * shared by every log file through a small pool: memory follows the data in flight, not the
 * number of processes, and a busy child costs no allocation per write.
 */

const PAGE_BYTES = 128 * 1024;
const POOLED_PAGES = 16;
const pagePool: Buffer[] = [];

/** Encoded text on its way to a file. */
export interface Page {
  buffer: Buffer;
  /** Written to the file up to here. */
  start: number;
  /** Filled up to here. */
  end: number;
}

/** A buffer of at least `bytes`: a pooled page, or one of its own for a larger write. */
export function takePage(bytes: number): Buffer {
  if (bytes > PAGE_BYTES) return Buffer.allocUnsafe(bytes);
  return pagePool.pop() ?? Buffer.allocUnsafeSlow(PAGE_BYTES);
}

/** Gives a page's buffer back to the pool once its text is in the file. */
export function releasePage(buffer: Buffer): void {
  if (buffer.length === PAGE_BYTES && pagePool.length < POOLED_PAGES) pagePool.push(buffer);
}
