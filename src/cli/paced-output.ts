/**
 * Text written to a stream in chunks of about 64 KiB, at the pace the stream takes it: a
 * command that prints millions of lines makes a few hundred writes, not millions, and
 * never holds more than a chunk of them. A stream that fails or closes (a reader that went
 * away: `overseer logs | head`) ends the printing quietly.
 */
import type { Writable } from 'node:stream';

/** Characters gathered before they are written. */
const CHUNK_CHARS = 64 * 1024;

export class PacedOutput {
  /** Resolves once the stream has closed or failed: stop printing. */
  readonly closed: Promise<void>;
  private parts: string[] = [];
  private size = 0;
  private gone = false;
  private markGone: () => void = () => {};

  constructor(private readonly stream: Writable) {
    this.closed = new Promise((resolve) => {
      this.markGone = () => {
        this.gone = true;
        resolve();
      };
    });
    // The reader went away (EPIPE and the like): nothing more can be printed, and that is
    // no failure of the command.
    stream.on('error', this.markGone);
    stream.once('close', this.markGone);
  }

  /** True once the stream has closed or failed. */
  get isClosed(): boolean {
    return this.gone || this.stream.destroyed;
  }

  /**
   * Adds `text`. Returns a promise when a chunk was written and the stream is behind: await
   * it before adding more. Undefined otherwise, so a caller pays nothing per line.
   */
  write(text: string): Promise<void> | undefined {
    this.parts.push(text);
    this.size += text.length;
    return this.size >= CHUNK_CHARS ? this.flush() : undefined;
  }

  /** Writes `text` and anything gathered before it now: for lines that come one by one. */
  writeNow(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    void this.flush();
  }

  /** Writes what was gathered; resolves once the stream has taken it (or is gone). */
  async flush(): Promise<void> {
    if (this.size === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (this.isClosed || this.stream.write(chunk)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.stream.off('drain', done);
        resolve();
      };
      this.stream.on('drain', done);
      void this.closed.then(done);
    });
  }
}
