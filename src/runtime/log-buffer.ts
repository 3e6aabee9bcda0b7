/**
 * Output capture: splitting a child's byte stream into lines, and keeping the most recent
 * lines of each process in a bounded ring.
 */
import { StringDecoder } from 'node:string_decoder';
import type { LogLine } from '../core/view.js';

/**
 * Longest line kept in one piece; a longer one is cut into several lines of this size so a
 * child that never writes a newline cannot grow memory without bound.
 */
export const MAX_LINE_CHARS = 16 * 1024;

/** Cuts a stream of chunks into lines; `end()` flushes a last line that had no newline. */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  constructor(private readonly onLine: (text: string) => void) {}

  write(chunk: Buffer): void {
    const text = this.partial + this.decoder.write(chunk);
    let start = 0;
    for (let newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', start)) {
      this.emitLine(text.slice(start, newline));
      start = newline + 1;
    }
    this.partial = text.slice(start);
    while (this.partial.length >= MAX_LINE_CHARS) {
      this.onLine(this.partial.slice(0, MAX_LINE_CHARS));
      this.partial = this.partial.slice(MAX_LINE_CHARS);
    }
  }

  end(): void {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    if (rest.length > 0) this.emitLine(rest);
  }

  private emitLine(line: string): void {
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    for (let offset = 0; offset < text.length; offset += MAX_LINE_CHARS) {
      this.onLine(text.slice(offset, offset + MAX_LINE_CHARS));
    }
    if (text.length === 0) this.onLine('');
  }
}

/** The last `capacity` lines, oldest first. */
export class LogBuffer {
  private readonly lines: LogLine[] = [];
  private next = 0;

  constructor(readonly capacity: number) {}

  push(line: LogLine): void {
    if (this.lines.length < this.capacity) {
      this.lines.push(line);
      return;
    }
    this.lines[this.next] = line;
    this.next = (this.next + 1) % this.capacity;
  }

  /** The last `count` lines (all when omitted), oldest first. */
  tail(count = this.capacity): LogLine[] {
    const ordered = this.lines.slice(this.next).concat(this.lines.slice(0, this.next));
    return count >= ordered.length ? ordered : ordered.slice(ordered.length - count);
  }
}
