/**
 * The newest lines of one or several processes' log files, streamed oldest first in
 * bounded memory however many are asked for. Each process's files are read backwards, a
 * block at a time, only to find where its share of the last N lines starts (with several
 * processes the shares come out of a merge by time, newest first); then the files are read
 * forwards from there and merged by time as the lines are consumed. Memory holds a block
 * or two per process, never the lines asked for.
 */
import type { FileHandle } from 'node:fs/promises';
import type { LogLine, LogQuery, ProcessLogLine } from '../../core/view.js';
import { type OpenLogFile, openNewestFirst, readFully } from './log-chain.js';
import { isLogLine, parseLogLine } from './log-format.js';

/**
 * Bytes read at a time going back: the first read is small (a tail of 100 lines needs a
 * few KiB), each next one twice as large up to the most, so that finding the start of a
 * tail of millions of lines costs a few hundred reads. Only positions are kept of them.
 */
const FIRST_BLOCK_BYTES = 64 * 1024;
const MAX_BLOCK_BYTES = 1024 * 1024;

/**
 * Bytes read at a time going forwards, where every line becomes an object handed out: a
 * block's worth of them is what a reader holds (a few thousand lines).
 */
const FORWARD_BLOCK_BYTES = 256 * 1024;

/** Lines handed out at a time by `LogTail.batches()` when several processes are merged. */
const MERGED_BATCH = 1024;

/** The newest file of a process as the tail read it: a follower goes on from `end`. */
export interface NewestLogFile {
  readonly handle: FileHandle;
  readonly ino: number;
  /** Just past the last complete line when the tail was read. */
  readonly end: number;
}

/** Where a line starts: which file (0 the newest) and the byte offset in it. */
interface Place {
  readonly file: number;
  readonly offset: number;
}

/** A line found going backwards: where it starts, and its time when it was needed. */
interface PlacedLine extends Place {
  readonly at: number;
}

/** True when `line` passes the query's filters. */
export function matches(line: LogLine, query: LogQuery): boolean {
  if (query.since !== undefined && line.at < query.since) return false;
  if (query.grep === undefined) return true;
  // A global or sticky pattern (`g`, `y`) carries `lastIndex` from one test to the next,
  // and would skip a matching line after a match: each line is tested from its start.
  query.grep.lastIndex = 0;
  return query.grep.test(line.text);
}

/**
 * The last `query.lines` lines (default 100; `Infinity` for all) that pass the query, of
 * every process named, merged by time: a tie keeps the order of `names`, and one
 * process's lines keep their order. Open it, read `batches()`, then `close()`.
 */
export class LogTail {
  /** Newest files a follower took over: theirs to close. */
  private readonly handedOver = new Set<FileHandle>();

  private constructor(
    private readonly names: readonly string[],
    private readonly files: ReadonlyArray<readonly OpenLogFile[]>,
    private readonly starts: ReadonlyArray<Place | undefined>,
    private readonly ends: readonly number[],
    private readonly query: LogQuery,
  ) {}

  /** Opens the files of `names` and finds where the tail starts in each. */
  static async open(dir: string, names: readonly string[], query: LogQuery = {}): Promise<LogTail> {
    const files: OpenLogFile[][] = [];
    try {
      for (const name of names) files.push(await openNewestFirst(dir, name));
      // Alone and unfiltered, a process's lines are only counted: neither decoded nor parsed.
      const countOnly = names.length === 1 && query.since === undefined && !query.grep;
      const readers = files.map((chain) => new BackwardReader(chain, query, countOnly));
      const starts = await findStarts(readers, query.lines ?? 100);
      return new LogTail(
        names,
        files,
        starts,
        readers.map((reader) => reader.end),
        query,
      );
    } catch (error) {
      await Promise.all(files.flat().map((file) => file.handle.close()));
      throw error;
    }
  }

  /** The tail's lines, oldest first, a batch at a time; each batch may be kept. */
  async *batches(): AsyncGenerator<ProcessLogLine[]> {
    const readers = this.names.map(
      (name, index) => new ForwardReader(name, this.files[index]!, this.starts[index], this.query),
    );
    if (readers.length === 1) {
      const [reader] = readers;
      while (await reader!.refill()) yield reader!.drain();
      return;
    }
    let batch: ProcessLogLine[] = [];
    for (;;) {
      let oldest: ForwardReader | undefined;
      for (const reader of readers) {
        if (reader.empty && (reader.finished || !(await reader.refill()))) continue;
        // Strictly older only: on a tie the process named first goes first.
        if (!oldest || reader.peek().at < oldest.peek().at) oldest = reader;
      }
      if (!oldest) break;
      batch.push(oldest.take());
      if (batch.length >= MERGED_BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  /**
   * The newest file of `name` and where its complete lines ended, handed over to a
   * follower once the batches are read: from now on the caller closes it. Undefined when
   * `name` had no file.
   */
  takeNewest(name: string): NewestLogFile | undefined {
    const index = this.names.indexOf(name);
    const newest = this.files[index]?.[0];
    if (!newest) return undefined;
    this.handedOver.add(newest.handle);
    return { handle: newest.handle, ino: newest.ino, end: this.ends[index]! };
  }

  /** Closes every file not handed over. */
  async close(): Promise<void> {
    const files = this.files.flat().filter((file) => !this.handedOver.has(file.handle));
    await Promise.all(files.map((file) => file.handle.close()));
  }
}

/**
 * Walks the processes' lines back from the newest, merged by time, until `count` lines
 * that pass the query are behind: where each process's oldest such line starts is where
 * its share of the tail starts (undefined: it has none). Only positions are kept.
 */
async function findStarts(
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
 * not the log format skipped, and nothing older than `since` (lines are in time order).
 */
class BackwardReader {
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
      if (isLogLine(data, from, to)) this.batch.push({ at: 0, file: this.file, offset });
      return;
    }
    const line = parseLogLine(data.toString('utf8', from, to));
    if (line === undefined) return;
    if (this.query.since !== undefined && line.at < this.query.since) {
      this.finished = true;
      return;
    }
    if (matches(line, this.query)) this.batch.push({ at: line.at, file: this.file, offset });
  }
}

/**
 * One process's lines that pass the query, oldest first, from `start` on: through the
 * rest of that file, then every newer one up to its size when opened. A file's last line
 * without a newline is left out, as backwards.
 */
class ForwardReader {
  private file: number;
  private position: number;
  private carry = Buffer.alloc(0);
  private batch: ProcessLogLine[] = [];
  private next = 0;
  private block = Buffer.alloc(0);

  /** Nothing is left to read. */
  get finished(): boolean {
    return this.file < 0;
  }

  constructor(
    private readonly name: string,
    private readonly files: readonly OpenLogFile[],
    start: Place | undefined,
    private readonly query: LogQuery,
  ) {
    // No start: nothing of this process is in the tail.
    this.file = start?.file ?? -1;
    this.position = start?.offset ?? 0;
  }

  get empty(): boolean {
    return this.next >= this.batch.length;
  }

  peek(): ProcessLogLine {
    return this.batch[this.next]!;
  }

  take(): ProcessLogLine {
    return this.batch[this.next++]!;
  }

  /** The lines in hand not taken yet, all at once. */
  drain(): ProcessLogLine[] {
    const rest = this.next === 0 ? this.batch : this.batch.slice(this.next);
    this.batch = [];
    this.next = 0;
    return rest;
  }

  /** Reads on until some lines are in hand; false at the end. */
  async refill(): Promise<boolean> {
    this.batch = [];
    this.next = 0;
    while (this.batch.length === 0 && this.file >= 0) await this.readBlock();
    return this.batch.length > 0;
  }

  private async readBlock(): Promise<void> {
    const file = this.files[this.file]!;
    const length = Math.min(FORWARD_BLOCK_BYTES, file.size - this.position);
    if (length <= 0) {
      // To the next newer file, from its start; what is carried never got its newline.
      this.file -= 1;
      this.position = 0;
      this.carry = Buffer.alloc(0);
      return;
    }
    // One buffer, reused: as large as the largest read so far (a short tail reads little).
    if (this.block.length < length) this.block = Buffer.allocUnsafe(length);
    const chunk = this.block.subarray(0, length);
    await readFully(file.handle, chunk, this.position);
    this.position += length;
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    let start = 0;
    for (let newline = data.indexOf(10); newline >= 0; newline = data.indexOf(10, start)) {
      const line = parseLogLine(data.toString('utf8', start, newline));
      start = newline + 1;
      if (line && matches(line, this.query)) this.batch.push({ name: this.name, ...line });
    }
    // Copied: `chunk` is the reused read buffer.
    this.carry = Buffer.from(data.subarray(start));
  }
}
