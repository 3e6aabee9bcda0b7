/**
 * A log file rotated by size: `app.log` is written; when the next line would take it past
 * `size`, it becomes `app.log.1`, `app.log.1` becomes `app.log.2`… up to `keep` rotated
 * files, the oldest removed, and a new `app.log` is opened.
 *
 * Our own rather than pino-roll: pino-roll counts the bytes a write reported and rolls on
 * the next 'drain', so the lines buffered meanwhile still land in the full file, and it
 * numbers the live file itself (`app.1.log`, `app.2.log`…) with date-fns underneath. Here
 * the bytes are counted as lines are taken, the file switches before the line that would
 * overflow it, and the live file keeps one name, as overseer's own process logs do. Each
 * file has its own sonic-boom: the retired one finishes its buffered writes into the file
 * it had open (renamed under it, the descriptor follows), so no line crosses files.
 */
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import pino from 'pino';
import type { LineSink } from './sinks.js';

type FileStream = ReturnType<typeof pino.destination>;

export class RotatingFile implements LineSink {
  readonly #path: string;
  readonly #maxBytes: number;
  readonly #keep: number;
  #current: CountedFile;
  /** The bytes in the file written now, when rotating. */
  #size: number;
  /** Files retired by a rotation and still writing their last lines. */
  readonly #retiring = new Set<Promise<void>>();

  /** `maxBytes` infinite: a file never rotated. */
  constructor(path: string, maxBytes: number, keep: number) {
    this.#path = path;
    this.#maxBytes = maxBytes;
    this.#keep = keep;
    mkdirSync(dirname(path), { recursive: true });
    this.#current = new CountedFile(path);
    this.#size = this.#current.openedSize;
  }

  write(line: string): boolean {
    // Measured only when it matters: a line's byte length costs a look at every character.
    if (this.#maxBytes !== Number.POSITIVE_INFINITY) {
      const bytes = Buffer.byteLength(line);
      // A line longer than a whole file still goes in, alone in a fresh file.
      if (this.#size > 0 && this.#size + bytes > this.#maxBytes) this.#rotate();
      this.#size += bytes;
    }
    return this.#current.write(line);
  }

  async flush(): Promise<void> {
    await Promise.all([this.#current.flush(), ...this.#retiring]);
  }

  #rotate(): void {
    const ended = this.#current.end();
    this.#retiring.add(ended);
    void ended.then(() => this.#retiring.delete(ended));
    shiftRotated(this.#path, this.#keep);
    this.#current = new CountedFile(this.#path);
    this.#size = this.#current.openedSize;
  }
}

/** What is gathered before it goes to the file's stream in one write. */
const BATCH_LENGTH = 64 * 1024;

/**
 * One file written asynchronously through a sonic-boom, in batches. Lines are gathered
 * and handed over 64 Ki characters at a time, or at the end of the current task: sonic-boom measures
 * the byte length of its last buffer on every write, which costs a line its size in
 * buffered text (a flood of lines ran at a few hundred thousand a second that way).
 *
 * It counts the bytes it was given and those written: sonic-boom's own flush returns at
 * once when it does not buffer (`minLength` 0, which keeps every batch going out as soon
 * as it can), so this is how a flush knows when the file has everything.
 */
class CountedFile {
  readonly #stream: FileStream;
  /** What the file held when opened. */
  readonly openedSize: number;
  /** Bytes handed to the stream, and bytes it wrote. */
  #given = 0;
  #written = 0;
  #closed = false;
  #batch = '';

  constructor(path: string) {
    // Opened here, at once, so the file exists before the next rotation may rename it.
    const fd = openSync(path, 'a');
    try {
      this.openedSize = fstatSync(fd).size;
      // pino's destination flushes what it holds when the process exits.
      this.#stream = pino.destination({ fd, sync: false });
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    this.#stream.on('write', (bytes: number) => {
      this.#written += bytes;
    });
    this.#stream.once('close', () => {
      this.#closed = true;
    });
  }

  write(line: string): boolean {
    if (this.#batch === '') {
      holdBatch(this);
      queueMicrotask(() => this.handOver());
    }
    this.#batch += line;
    if (this.#batch.length >= BATCH_LENGTH) this.handOver();
    return true;
  }

  /** Gives the gathered lines to the stream. */
  handOver(): void {
    if (this.#batch === '') return;
    const batch = this.#batch;
    this.#batch = '';
    batched.delete(this);
    if (this.#closed) return;
    this.#given += Buffer.byteLength(batch);
    this.#stream.write(batch);
  }

  /** On the way out of the process, when no write can wait for a callback. */
  writeOutSync(): void {
    this.handOver();
    if (!this.#closed) this.#stream.flushSync();
  }

  /** Resolves once every byte given is written (or the file is closed, or failed). */
  flush(): Promise<void> {
    this.handOver();
    if (this.#written >= this.#given || this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        if (this.#written < this.#given && !this.#closed) return;
        this.#stream.off('write', done);
        this.#stream.off('error', failed);
        this.#stream.off('close', done);
        resolve();
      };
      // A failed write is the stream's to report; the flush ends rather than hang.
      const failed = () => {
        this.#closed = true;
        done();
      };
      // After the counting listener, which was added first.
      this.#stream.on('write', done);
      this.#stream.once('error', failed);
      this.#stream.once('close', done);
    });
  }

  /** Writes what is left, then closes; resolves once closed. */
  end(): Promise<void> {
    this.handOver();
    if (this.#closed) return Promise.resolve();
    const closed = new Promise<void>((resolve) => {
      this.#stream.once('close', () => resolve());
      this.#stream.once('error', () => resolve());
    });
    this.#stream.end();
    return closed;
  }
}

/** Files holding a batch not yet handed over: few, and only until the end of the task. */
const batched = new Set<CountedFile>();
let exitWatched = false;

function holdBatch(file: CountedFile): void {
  batched.add(file);
  if (exitWatched) return;
  exitWatched = true;
  process.once('exit', () => {
    for (const held of [...batched]) {
      try {
        held.writeOutSync();
      } catch {
        // Exiting: nothing is left to tell it to.
      }
    }
  });
}

/** `.log` becomes `.log.1`, `.1` becomes `.2`…; beyond `keep` rotated files, the oldest goes. */
function shiftRotated(path: string, keep: number): void {
  rmSync(keep === 0 ? path : `${path}.${keep}`, { force: true });
  for (let index = keep - 1; index >= 1; index--) {
    if (existsSync(`${path}.${index}`)) renameSync(`${path}.${index}`, `${path}.${index + 1}`);
  }
  if (keep > 0) renameSync(path, `${path}.1`);
}
