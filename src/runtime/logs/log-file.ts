/**
 * One process's log file, rotated by size: `<name>.log` is written, `<name>.log.1` is the
 * newest rotated file and `<name>.log.<max_files - 1>` the oldest.
 *
 * Our own writer rather than rotating-file-stream: that library checks the size
 * after each write and rotates once the limit is reached, so a file overshoots `max_size` by
 * up to one write (64 KiB or more under load), its classical naming (`rotate: N`) ignores
 * `maxFiles`, and it awaits a FileHandle write per chunk. Here a file is rotated *before* the
 * write that would take it past `max_size`, at a line boundary, and the queue in front of
 * the file is what tells the supervisor to pause a child that writes faster than the disk.
 */
import { close, fstat, mkdir, open, write, writev } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import type { LogRotation } from '../../core/process/spec.js';
import { cutLongLine } from './log-format.js';
import { shiftRotated, tidyRotated } from './log-rotation.js';
import { type Page, releasePage, takePage } from './page-pool.js';

const closeAsync = promisify(close);
const fstatAsync = promisify(fstat);
const mkdirAsync = promisify(mkdir);
const openAsync = promisify(open);

/** Bytes waiting for the disk before `write()` asks the caller to wait for `onceDrain`. */
const HIGH_WATER_MARK = 512 * 1024;

/** After a failed write (disk full…), how long until the queued data is tried again. */
const RETRY_MS = 1_000;

/** Appends whole lines to a log file, rotating it by size; see the module comment. */
export class LogFile {
  /** Filled pages, oldest first; the last one may still be filling. */
  private pages: Page[] = [];
  /** The page new text goes to, until the writer takes it. */
  private filling: Page | undefined;
  /** Bytes not yet on disk. */
  private queued = 0;
  private fd: number | undefined;
  private size = 0;
  /** Rotated files that exist, `.1` to `.rotated`; unknown until the file is first opened. */
  private rotated: number | undefined;
  private pumping: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private wantsDrain = false;
  private drainListeners: Array<() => void> = [];
  private failure: Error | undefined;

  constructor(
    readonly path: string,
    private rotation: LogRotation,
    private readonly highWaterMark = HIGH_WATER_MARK,
  ) {}

  /** New limits, applied from the next write on. */
  setRotation(rotation: LogRotation): void {
    this.rotation = rotation;
  }

  /** The last write error, if writing is currently failing. */
  get error(): Error | undefined {
    return this.failure;
  }

  /**
   * Queues complete lines (each ending in `\n`), given whole or as parts that follow one
   * another (see `formatBlock`); `latin1` says the text is plain ASCII, so it is copied
   * rather than UTF-8 encoded. Returns false once more than the high-water mark waits to be
   * written: the caller should stop reading and wait for `onceDrain`.
   */
  write(text: string | readonly string[], latin1 = false): boolean {
    const parts = typeof text === 'string' ? [text] : text;
    const encoding = latin1 ? 'latin1' : 'utf8';
    let bytes = 0;
    for (const part of parts) bytes += latin1 ? part.length : Buffer.byteLength(part, 'utf8');
    let page = this.filling;
    if (!page || page.buffer.length - page.end < bytes) {
      page = { buffer: takePage(bytes), start: 0, end: 0 };
      this.pages.push(page);
      this.filling = page;
    }
    // The parts of one write stay in one page: a page always ends at a line's end.
    for (const part of parts) page.end += page.buffer.write(part, page.end, encoding);
    this.queued += bytes;
    this.pump();
    if (this.queued < this.highWaterMark) return true;
    this.wantsDrain = true;
    return false;
  }

  /** Calls `listener` once the queue has shrunk to half the high-water mark. */
  onceDrain(listener: () => void): void {
    if (!this.wantsDrain) {
      queueMicrotask(listener);
      return;
    }
    this.drainListeners.push(listener);
  }

  /** Resolves once everything written so far is in the file, or writing it failed. */
  async flushed(): Promise<void> {
    while (this.pumping) await this.pumping;
  }

  /**
   * Writes what is queued, then closes the file (a later `write` opens it again). When the
   * disk keeps refusing, gives up after one more try and drops what is still queued.
   */
  async close(): Promise<void> {
    await this.flushed();
    if (this.queued > 0 && this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      this.pump();
      await this.flushed();
      if (this.failure) this.dropQueue();
    }
    if (this.pumping || this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    await closeAsync(fd).catch(() => {});
  }

  private pump(): void {
    if (this.pumping || this.retryTimer || this.queued === 0) return;
    this.pumping = this.writePages().finally(() => {
      this.pumping = undefined;
    });
  }

  private async writePages(): Promise<void> {
    try {
      await this.openIfClosed();
      while (this.pages.length > 0) {
        // Several pages that all fit in the current file go out in one system call.
        if (this.pages.length > 1 && this.queued <= this.rotation.maxSize - this.size) {
          await this.writeAllPages();
          continue;
        }
        const page = this.pages[0]!;
        // Text written from now on goes to a new page.
        if (page === this.filling) this.filling = undefined;
        await this.writePage(page);
        this.pages.shift();
        releasePage(page.buffer);
      }
      this.failure = undefined;
    } catch (error) {
      this.failure = error as Error;
      // The file may be gone or broken: open it afresh on the next try.
      if (this.fd !== undefined) await closeAsync(this.fd).catch(() => {});
      this.fd = undefined;
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        this.pump();
      }, RETRY_MS);
      this.retryTimer.unref();
      // A write that keeps failing must not hold a paused child forever.
      this.signalDrain();
    }
  }

  /** Writes a page, rotating at line boundaries so that no file grows past `maxSize`. */
  private async writePage(page: Page): Promise<void> {
    while (page.end > page.start) {
      const { maxSize } = this.rotation;
      const room = maxSize - this.size;
      const length = page.end - page.start;
      if (length <= room) {
        await this.writeOut(page, length);
        continue;
      }
      // The longest run of whole lines that still fits.
      const fit = room > 0 ? page.buffer.lastIndexOf(10, page.start + room - 1) + 1 : 0;
      if (fit > page.start) {
        await this.writeOut(page, fit - page.start);
        await this.rotate();
      } else if (this.size > 0) {
        await this.rotate();
      } else {
        // A single line longer than a whole file: it goes out in pieces that each fit.
        const rest = page.buffer.subarray(page.start, page.end);
        const cut = cutLongLine(rest, maxSize);
        this.queued += cut.length - rest.length;
        releasePage(page.buffer);
        page.buffer = cut;
        page.start = 0;
        page.end = cut.length;
      }
    }
  }

  /** Writes every queued page (they fit in the current file), with one `writev`. */
  private async writeAllPages(): Promise<void> {
    const pages = this.pages;
    this.pages = [];
    this.filling = undefined;
    let index = 0;
    while (index < pages.length) {
      const buffers = pages.slice(index).map((page) => page.buffer.subarray(page.start, page.end));
      let written: number;
      try {
        written = await writevAsync(this.fd!, buffers);
      } catch (error) {
        // Kept, in order, for the retry.
        this.pages = [...pages.slice(index), ...this.pages];
        throw error;
      }
      this.queued -= written;
      this.size += written;
      // A short write: go on from where it stopped.
      for (; index < pages.length && written > 0; ) {
        const page = pages[index]!;
        const taken = Math.min(written, page.end - page.start);
        page.start += taken;
        written -= taken;
        if (page.start === page.end) {
          releasePage(page.buffer);
          index += 1;
        }
      }
    }
    if (this.wantsDrain && this.queued <= this.highWaterMark / 2) this.signalDrain();
  }

  /** Writes the next `length` bytes of a page. */
  private async writeOut(page: Page, length: number): Promise<void> {
    for (let left = length; left > 0; ) {
      const written = await writeAsync(this.fd!, page.buffer, page.start, left);
      page.start += written;
      this.queued -= written;
      this.size += written;
      left -= written;
    }
    if (this.wantsDrain && this.queued <= this.highWaterMark / 2) this.signalDrain();
  }

  private signalDrain(): void {
    this.wantsDrain = false;
    const listeners = this.drainListeners;
    this.drainListeners = [];
    for (const listener of listeners) listener();
  }

  private async openIfClosed(): Promise<void> {
    if (this.fd !== undefined) return;
    await mkdirAsync(dirname(this.path), { recursive: true });
    if (this.rotated === undefined) {
      this.rotated = await tidyRotated(this.path, this.rotation.maxFiles);
    }
    this.fd = await openAsync(this.path, 'a');
    this.size = (await fstatAsync(this.fd)).size;
  }

  /** Closes the file, shifts the rotated ones (see `shiftRotated`), and starts a new one. */
  private async rotate(): Promise<void> {
    const fd = this.fd!;
    this.fd = undefined;
    await closeAsync(fd);
    this.rotated = await shiftRotated(this.path, this.rotated ?? 0, this.rotation.maxFiles);
    this.fd = await openAsync(this.path, 'a');
    this.size = 0;
  }

  private dropQueue(): void {
    for (const page of this.pages) releasePage(page.buffer);
    this.pages = [];
    this.filling = undefined;
    this.queued = 0;
    this.signalDrain();
  }
}

function writevAsync(fd: number, buffers: Buffer[]): Promise<number> {
  return new Promise((resolve, reject) => {
    writev(fd, buffers, null, (error, written) => {
      if (error) reject(error);
      else resolve(written);
    });
  });
}

function writeAsync(fd: number, buffer: Buffer, offset: number, length: number): Promise<number> {
  return new Promise((resolve, reject) => {
    write(fd, buffer, offset, length, null, (error, written) => {
      if (error) reject(error);
      else resolve(written);
    });
  });
}
