/**
 * Reading one process's log files forwards from where its share of a tail starts, a block
 * at a time, as the lines are consumed.
 */
import type { LogQuery, ProcessLogLine } from '../../core/view.js';
import type { Place } from './backward-reader.js';
import { type OpenLogFile, readFully } from './log-chain.js';
import { matches } from './log-filter.js';
import type { LineFormat } from './log-format.js';

/**
 * Bytes read at a time going forwards, where every line becomes an object handed out: a
 * block's worth of them is what a reader holds (a few thousand lines).
 */
const FORWARD_BLOCK_BYTES = 256 * 1024;

/**
 * One process's lines that pass the query, oldest first, from `start` on: through the
 * rest of that file, then every newer one up to its size when opened (or up to the first
 * line at or after `until`). A file's last line without a newline is left out, as backwards.
 */
export class ForwardReader {
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
    private readonly format: LineFormat,
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
      const line = this.format.parse(data.toString('utf8', start, newline));
      start = newline + 1;
      if (line === undefined) continue;
      if (this.query.until !== undefined && line.at >= this.query.until) {
        // Lines are in time order: none after this one is before `until` either.
        this.file = -1;
        return;
      }
      if (matches(line, this.query)) this.batch.push({ name: this.name, ...line });
    }
    // Copied: `chunk` is the reused read buffer.
    this.carry = Buffer.from(data.subarray(start));
  }
}
