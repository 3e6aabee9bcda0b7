/**
 * The newest lines of one or several processes' log files, streamed oldest first in
 * bounded memory however many are asked for. Each process's files are read backwards, a
 * block at a time, only to find where its share of the last N lines starts (with several
 * processes the shares come out of a merge by time, newest first); then the files are read
 * forwards from there and merged by time as the lines are consumed. Memory holds a block
 * or two per process, never the lines asked for.
 */
import type { FileHandle } from 'node:fs/promises';
import type { LogQuery, ProcessLogLine } from '../../core/view.js';
import { BackwardReader, findStarts, type Place } from './backward-reader.js';
import { ForwardReader } from './forward-reader.js';
import { type OpenLogFile, openNewestFirst } from './log-chain.js';
import { type LineFormat, PROCESS_LINES } from './log-format.js';

/** Lines handed out at a time by `LogTail.batches()` when several processes are merged. */
const MERGED_BATCH = 1024;

/** The newest file of a process as the tail read it: a follower goes on from `end`. */
export interface NewestLogFile {
  readonly handle: FileHandle;
  readonly ino: number;
  /** Just past the last complete line when the tail was read. */
  readonly end: number;
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
    private readonly format: LineFormat,
  ) {}

  /**
   * Opens the files of `names` and finds where the tail starts in each; their lines are
   * read as `format` says (a process's log files by default).
   */
  static async open(
    dir: string,
    names: readonly string[],
    query: LogQuery = {},
    format: LineFormat = PROCESS_LINES,
  ): Promise<LogTail> {
    const files: OpenLogFile[][] = [];
    try {
      for (const name of names) files.push(await openNewestFirst(dir, name));
      // Alone and unfiltered, a process's lines are only counted: neither decoded nor parsed.
      const countOnly =
        names.length === 1 && query.since === undefined && query.until === undefined && !query.grep;
      const readers = files.map((chain) => new BackwardReader(chain, query, countOnly, format));
      const starts = await findStarts(readers, query.lines ?? 100);
      return new LogTail(
        names,
        files,
        starts,
        readers.map((reader) => reader.end),
        query,
        format,
      );
    } catch (error) {
      await Promise.all(files.flat().map((file) => file.handle.close()));
      throw error;
    }
  }

  /** The tail's lines, oldest first, a batch at a time; each batch may be kept. */
  async *batches(): AsyncGenerator<ProcessLogLine[]> {
    const readers = this.names.map(
      (name, index) =>
        new ForwardReader(name, this.files[index]!, this.starts[index], this.query, this.format),
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
