/**
 * Text written to a stream in chunks of about 64 KiB, at the pace the stream takes it: a
 * command that prints millions of lines makes a few hundred writes, not millions, and
 * never holds more than a chunk of them.
 */
import { once } from 'node:events';

/** Characters gathered before they are written. */
const CHUNK_CHARS = 64 * 1024;

export class PacedOutput {
  private parts: string[] = [];
  private size = 0;
  private gone = false;

  constructor(private readonly stream: NodeJS.WritableStream) {}

  /** True once the stream has closed or failed (a reader that went away): stop printing. */
  get closed(): boolean {
    return this.gone;
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

  /** Writes what was gathered; resolves once the stream has taken it. */
  async flush(): Promise<void> {
    if (this.size === 0 || this.gone) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (this.stream.write(chunk)) return;
    const ended = new AbortController();
    try {
      await Promise.race([
        once(this.stream, 'drain', { signal: ended.signal }),
        once(this.stream, 'close', { signal: ended.signal }).then(() => this.markGone()),
        once(this.stream, 'error', { signal: ended.signal }).then(() => this.markGone()),
      ]);
    } finally {
      ended.abort();
    }
  }

  private markGone(): void {
    this.gone = true;
  }
}
