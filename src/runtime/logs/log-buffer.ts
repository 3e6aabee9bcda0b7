/**
 * Output capture: splitting a child's byte stream into lines, a chunk at a time, and keeping
 * the most recent lines of each process in a bounded ring.
 */
import { isAscii } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import type { LogLine, OutputStream } from '../../core/view.js';

/**
 * Longest line kept in one piece; a longer one is cut into several lines of this size so a
 * child that never writes a newline cannot grow memory without bound.
 */
export const MAX_LINE_CHARS = 16 * 1024;

/**
 * Complete lines read together from one stream, kept as two strings rather than one line per
 * string: the first line (which began in an earlier read) and the rest, a slice of the
 * decoded read that is never copied on its own. Most readers want the lines whole (a log
 * file); they are split only when someone asks for them.
 */
export class LineBlock {
  private split: readonly string[] | undefined;
  private counted: number | undefined;
  private joined: string | undefined;

  constructor(
    /** The first line, without its newline. */
    readonly head: string,
    /** The lines after it joined by `\n`, without a newline after the last; none: one line. */
    readonly rest: string | undefined,
    /** Nothing but ASCII: one byte per character, so no UTF-8 encoding is needed. */
    readonly ascii: boolean,
  ) {}

  /** The lines joined by `\n`, without a newline after the last. */
  get text(): string {
    this.joined ??= this.rest === undefined ? this.head : `${this.head}\n${this.rest}`;
    return this.joined;
  }

  /** The lines, in order. */
  get lines(): readonly string[] {
    this.split ??= this.rest === undefined ? [this.head] : [this.head, ...this.rest.split('\n')];
    return this.split;
  }

  /** How many lines. */
  get count(): number {
    this.counted ??=
      this.split?.length ?? 1 + (this.rest === undefined ? 0 : countLines(this.rest));
    return this.counted;
  }

  /** Tells the block its line count, when a caller learned it for free (see `formatBlock`). */
  knowCount(count: number): void {
    this.counted ??= count;
  }

  static of(lines: readonly string[]): LineBlock {
    const rest = lines.length > 1 ? lines.slice(1).join('\n') : undefined;
    const block = new LineBlock(lines[0] ?? '', rest, false);
    block.split = lines;
    return block;
  }

  /** The lines of `text` (joined by `\n`) as a block. */
  static fromText(text: string, ascii: boolean): LineBlock {
    const newline = text.indexOf('\n');
    if (newline < 0) return new LineBlock(text, undefined, ascii);
    return new LineBlock(text.slice(0, newline), text.slice(newline + 1), ascii);
  }
}

/**
 * Cuts a stream of chunks into blocks of lines; `end()` flushes a last line that had no
 * newline. Works a chunk at a time with native string operations, not a line at a time: a
 * chatty child sends hundreds of lines per pipe read. ASCII chunks (the common case) skip
 * UTF-8 decoding; otherwise invalid UTF-8 becomes U+FFFD. A trailing `\r` is dropped and a
 * line longer than `MAX_LINE_CHARS` is cut into pieces.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  /** The decoder may hold the first bytes of a character split across chunks. */
  private decoderPending = false;
  private partial = '';
  private partialAscii = true;

  /** The lines completed by `chunk`, or undefined when it completed none. */
  write(chunk: Buffer): LineBlock | undefined {
    let decoded: string;
    let ascii: boolean;
    if (!this.decoderPending && isAscii(chunk)) {
      decoded = chunk.toString('latin1');
      ascii = true;
    } else {
      decoded = this.decoder.write(chunk);
      ascii = false;
      // After an ASCII byte the decoder holds nothing; otherwise it may.
      this.decoderPending = chunk.length > 0 && chunk[chunk.length - 1]! >= 0x80;
    }
    const last = decoded.lastIndexOf('\n');
    if (last < 0) {
      this.partial += decoded;
      this.partialAscii &&= ascii;
      return this.partial.length >= MAX_LINE_CHARS ? this.cutPartial(undefined) : undefined;
    }
    const first = decoded.indexOf('\n');
    // The partial line joins only the first line: the rest stays a slice of this read.
    const head = this.partial + decoded.slice(0, first);
    const rest = first < last ? decoded.slice(first + 1, last) : undefined;
    const block = tidyBlock(head, rest, ascii && this.partialAscii);
    this.partial = detached(decoded, last + 1, ascii ? chunk : undefined);
    this.partialAscii = ascii || this.partial.length === 0;
    return this.partial.length >= MAX_LINE_CHARS ? this.cutPartial(block) : block;
  }

  /** The last line, when the stream ended without a newline after it. */
  end(): LineBlock | undefined {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    return rest.length > 0 ? tidyBlock(rest, undefined, false) : undefined;
  }

  /** A partial line that reached the limit goes out in pieces; the remainder waits. */
  private cutPartial(block: LineBlock | undefined): LineBlock {
    const lines = block ? [...block.lines] : [];
    while (this.partial.length >= MAX_LINE_CHARS) {
      const cut = pieceEnd(this.partial, 0);
      lines.push(this.partial.slice(0, cut));
      this.partial = this.partial.slice(cut);
    }
    return LineBlock.of(lines);
  }
}

/**
 * The text of `decoded` from `start` on as a string of its own. A slice would keep the
 * whole read alive (V8 slices point into their parent) until the next read completes the
 * line: a 64 KiB string surviving every young-generation collection, which makes V8 grow
 * its young generation to the maximum under a chatty child, megabytes the daemon keeps
 * after the flood. `bytes` (the read, when ASCII: one byte per character) is decoded again
 * from there, which copies only the tail.
 */
function detached(decoded: string, start: number, bytes: Buffer | undefined): string {
  if (start >= decoded.length) return '';
  if (bytes) return bytes.toString('latin1', start);
  return Buffer.from(decoded.slice(start), 'utf8').toString('utf8');
}

/**
 * A block as lines should be: no `\r` before a newline, no line over `MAX_LINE_CHARS`. Both
 * are checked without visiting every line: `includes` is native, and the longest gap
 * between newlines is found by jumping `MAX_LINE_CHARS` at a time.
 */
function tidyBlock(head: string, rest: string | undefined, ascii: boolean): LineBlock {
  const clean =
    !head.includes('\r') &&
    head.length <= MAX_LINE_CHARS &&
    (rest === undefined || (!rest.includes('\r') && !hasLongLine(rest)));
  if (clean) return new LineBlock(head, rest, ascii);
  let text = rest === undefined ? head : `${head}\n${rest}`;
  if (text.includes('\r')) {
    text = text.replaceAll('\r\n', '\n');
    if (text.endsWith('\r')) text = text.slice(0, -1);
  }
  if (!hasLongLine(text)) return LineBlock.fromText(text, ascii);
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    let start = 0;
    while (line.length - start > MAX_LINE_CHARS) {
      const end = pieceEnd(line, start);
      lines.push(line.slice(start, end));
      start = end;
    }
    lines.push(start === 0 ? line : line.slice(start));
  }
  return LineBlock.of(lines);
}

/** True when some line of `text` is longer than `MAX_LINE_CHARS`. */
function hasLongLine(text: string): boolean {
  let start = 0;
  while (text.length - start > MAX_LINE_CHARS) {
    // The last newline within reach of this line's start; none means the line is too long.
    const newline = text.lastIndexOf('\n', start + MAX_LINE_CHARS);
    if (newline < start) return true;
    start = newline + 1;
  }
  return false;
}

/** Where a piece of at most `MAX_LINE_CHARS` from `start` ends: never inside a surrogate pair. */
function pieceEnd(text: string, start: number): number {
  const end = start + MAX_LINE_CHARS;
  const code = text.charCodeAt(end - 1);
  return code >= 0xd800 && code <= 0xdbff ? end - 1 : end;
}

function countLines(text: string): number {
  let count = 1;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

/** Lines read together (one chunk of one stream, stamped once), stored as bytes. */
interface Entry {
  readonly at: number;
  readonly stream: OutputStream;
  /** Where its bytes start, counted over everything ever stored. */
  readonly offset: number;
  readonly length: number;
  readonly count: number;
  readonly ascii: boolean;
}

/** The smallest byte store a buffer with lines in it holds. */
const MIN_STORE_BYTES = 4 * 1024;

/**
 * The last `capacity` lines, oldest first. Lines are kept as the bytes of the blocks they
 * arrived in, in one buffer outside the JavaScript heap, and become `LogLine` objects only
 * when asked for. Keeping them as strings would keep a child's most recent output alive
 * across garbage collections, which makes V8 grow its young generation to the maximum
 * (tens of MB) under a chatty child; bytes in a reused buffer cost nothing per line.
 */
export class LogBuffer {
  private store: Buffer = Buffer.alloc(0);
  /** The offset of `store[0]`. */
  private base = 0;
  /** The offset just past the last byte stored. */
  private top = 0;
  private entries: Entry[] = [];
  /** Index of the oldest entry still kept. */
  private head = 0;
  /** Lines in the kept entries; the oldest may hold some beyond `capacity`. */
  private count = 0;

  constructor(readonly capacity: number) {}

  push(line: LogLine): void {
    this.pushBlock(line.at, line.stream, LineBlock.of([line.text]));
  }

  /** Adds the lines of one read, all stamped `at`. */
  pushBlock(at: number, stream: OutputStream, block: LineBlock): void {
    if (this.capacity <= 0) return;
    const { head, rest, ascii } = block;
    const encoding = ascii ? 'latin1' : 'utf8';
    const headBytes = ascii ? head.length : Buffer.byteLength(head, 'utf8');
    const restBytes =
      rest === undefined ? 0 : 1 + (ascii ? rest.length : Buffer.byteLength(rest, 'utf8'));
    const length = headBytes + restBytes;
    this.entries.push({ at, stream, offset: this.top, length, count: block.count, ascii });
    this.count += block.count;
    while (this.count - this.entries[this.head]!.count >= this.capacity) {
      this.count -= this.entries[this.head]!.count;
      this.head += 1;
    }
    // Drop the entries left behind once they are most of the array.
    if (this.head > 32 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    this.makeRoom(length);
    // Written in parts, so the block's strings are never joined into one.
    let at0 = this.top - this.base;
    at0 += this.store.write(head, at0, headBytes, encoding);
    if (rest !== undefined) {
      this.store[at0] = 10;
      this.store.write(rest, at0 + 1, restBytes - 1, encoding);
    }
    this.top += length;
  }

  /** The last `count` lines (all when omitted), oldest first. */
  tail(count = this.capacity): LogLine[] {
    let wanted = Math.min(count, this.capacity, this.count);
    const newestFirst: LogLine[] = [];
    for (let index = this.entries.length - 1; index >= this.head && wanted > 0; index--) {
      const { at, stream, offset, length, ascii } = this.entries[index]!;
      const start = offset - this.base;
      const text = this.store.toString(ascii ? 'latin1' : 'utf8', start, start + length);
      const lines = text.split('\n');
      for (let line = lines.length - 1; line >= 0 && wanted > 0; line--, wanted--) {
        newestFirst.push({ at, stream, text: lines[line]! });
      }
    }
    return newestFirst.reverse();
  }

  /**
   * Room for `length` more bytes after the kept ones: the kept bytes move to the front, into
   * a new buffer when the current one is far from four times what is kept (so a move
   * happens only every few blocks, and the buffer follows the output's size both ways).
   */
  private makeRoom(length: number): void {
    if (this.top - this.base + length <= this.store.length) return;
    const keptFrom = this.entries[this.head]?.offset ?? this.top;
    const kept = this.top - keptFrom;
    const need = kept + length;
    const from = keptFrom - this.base;
    // Between twice and eight times what is needed: reused as it is.
    if (this.store.length >= need * 2 && this.store.length <= Math.max(need * 8, MIN_STORE_BYTES)) {
      this.store.copyWithin(0, from, from + kept);
    } else {
      let size = MIN_STORE_BYTES;
      while (size < need * 4) size *= 2;
      const store = Buffer.allocUnsafeSlow(size);
      this.store.copy(store, 0, from, from + kept);
      this.store = store;
    }
    this.base = keptFrom;
  }
}
