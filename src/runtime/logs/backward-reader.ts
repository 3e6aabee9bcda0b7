/**
 * Reading one process's log files backwards, a block at a time, only to find where its
 * share of the last N lines starts: positions are kept, never the lines.
 */
import type { LogQuery } from '../../core/view.js';
import { type OpenLogFile, readFully } from './log-chain.js';
import { matches } from './log-filter.js';
import type { LineFormat } from './log-format.js';

/**
 * Bytes read at a time going back: the first read is small (a tail of 100 lines needs a
 * few KiB), each next one twice as large up to the most, so that finding the start of a
 * tail of millions of lines costs a few hundred reads. Only positions are kept of them.
 */
const FIRST_BLOCK_BYTES = 64 * 1024;
const MAX_BLOCK_BYTES = 1024 * 1024;

/** Where a line starts: which file (0 the newest) and the byte offset in it. */
export interface Place {
  readonly file: number;
  readonly offset: number;
}

/** A line found going backwards: where it starts, and its time when it was needed. */
export interface PlacedLine extends Place {
  readonly at: number;
}

/**
 * Walks the processes' lines back from the newest, merged by time, until `count` lines
 * that pass the query are behind: where each process's oldest such line starts is where
 * its share of the tail starts (undefined: it has none). Only positions are kept.
 */
export async function findStarts(
  readers: readonly BackwardReader[],
  count: number,
): Promise<Array<Place | undefined>> {
  const starts: Array<Place | undefined> = readers.map(() => undefined);
  // A first block of each, even for no line at all: it tells where the newest file's lines end.
  for (const reader of readers) await reader.refill();
  const [only] = readers;
  if (readers.length === 1 && only) {
    // Nothing to merge: a block's worth of lines at a time.
    let left = count;
    while (left > 0 && (!only.empty || (!only.finished && (await only.refill())))) {
      const skipped = only.skip(left);
      starts[0] = skipped.last;
      left -= skipped.count;
    }
    return starts;
  }
  for (let left = count; left > 0; left--) {
    let newest = -1;
    for (const [index, reader] of readers.entries()) {
      if (reader.empty && (reader.finished || !(await reader.refill()))) continue;
      // At or after: on a tie the process named last is the later one going forwards.
      if (newest < 0 || reader.peek().at >= readers[newest]!.peek().at) {
        newest = index;
      }
    }
    if (newest < 0) break;
    starts[newest] = readers[newest]!.take();
  }
  return starts;
}

/**
 * One process's lines that pass the query, newest first, from its files newest first:
 * each file's last line without a newline (still being written) left out, lines that are
 * not the log format skipped, nothing older than `since` (lines are in time order), and
 * nothing at or after `until` (skipped: older lines are further back).
 */
export class BackwardReader {
  /** Where the complete lines of the newest file end. */
  end = 0;
  private file = 0;
  /** The current file is read back to here; undefined before it is started. */
  private position: number | undefined;
  /** The end of a line whose start is in the part not read yet. */
  private carry = Buffer.alloc(0);
  /** Whether the current file's last newline has been found. */
  private sawNewline = false;
  private blockBytes = FIRST_BLOCK_BYTES;
  private batch: PlacedLine[] = [];
  private next = 0;
  /** Nothing is left to read: every file is read, or a line older than `since` was met. */
  finished = false;

  constructor(
    private readonly files: readonly OpenLogFile[],
    private readonly query: LogQuery,
    /** Lines need no time (nothing to merge with or filter on): only their format is checked. */
    private readonly countOnly: boolean,
    private readonly format: LineFormat,
  ) {}

  get empty(): boolean {
    return this.next >= this.batch.length;
  }

  peek(): PlacedLine {
    return this.batch[this.next]!;
  }

  take(): PlacedLine {
    return this.batch[this.next++]!;
  }

  /** Takes up to `count` lines at once (at least one must be in hand): how many, and the last. */
  skip(count: number): { count: number; last: PlacedLine } {
    const taken = Math.min(count, this.batch.length - this.next);
    this.next += taken;
    return { count: taken, last: this.batch[this.next - 1]! };
  }

  /** Reads back until some lines are in hand; false when there are none left. */
  async refill(): Promise<boolean> {
    this.batch = [];
    this.next = 0;
    while (this.batch.length === 0 && !this.finished) await this.readBlock();
    return this.batch.length > 0;
  }

  private async readBlock(): Promise<void> {
    const file = this.files[this.file];
    if (!file) {
      this.finished = true;
      return;
    }
    const position = this.position ?? file.size;
    const start = Math.max(0, position - this.blockBytes);
    this.blockBytes = Math.min(this.blockBytes * 2, MAX_BLOCK_BYTES);
    const block = Buffer.allocUnsafe(position - start);
    await readFully(file.handle, block, start);
    const data = this.carry.length > 0 ? Buffer.concat([block, this.carry]) : block;
    let lineEnd = data.length;
    if (!this.sawNewline) {
      const newline = data.lastIndexOf(10);
      if (newline >= 0) {
        this.sawNewline = true;
        if (this.file === 0) this.end = start + newline + 1;
      }
      lineEnd = Math.max(newline, 0);
    }
    // (A negative offset would make lastIndexOf search from the end.)
    let newline = lineEnd > 0 ? data.lastIndexOf(10, lineEnd - 1) : -1;
    while (newline >= 0 && !this.finished) {
      this.collect(data, newline + 1, lineEnd, start);
      lineEnd = newline;
      newline = lineEnd > 0 ? data.lastIndexOf(10, lineEnd - 1) : -1;
    }
    // Copied: a small part of a large block should not keep the block alive.
    this.carry = Buffer.from(data.subarray(0, lineEnd));
    this.position = start;
    if (start > 0 || this.finished) return;
    // The start of the file: what is carried is its first line.
    if (this.sawNewline && this.carry.length > 0) this.collect(this.carry, 0, this.carry.length, 0);
    this.file += 1;
    this.position = undefined;
    this.carry = Buffer.alloc(0);
    this.sawNewline = false;
  }

  private collect(data: Buffer, from: number, to: number, dataStart: number): void {
    const offset = dataStart + from;
    if (this.countOnly) {
      if (this.format.isLine(data, from, to)) this.batch.push({ at: 0, file: this.file, offset });
      return;
    }
    const line = this.format.parse(data.toString('utf8', from, to));
    if (line === undefined) return;
    if (this.query.since !== undefined && line.at < this.query.since) {
      this.finished = true;
      return;
    }
    if (matches(line, this.query)) this.batch.push({ at: line.at, file: this.file, offset });
  }
}
