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
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import pino from 'pino';
import type { LineSink } from './sinks.js';

type FileStream = ReturnType<typeof pino.destination>;

export class RotatingFile implements LineSink {
  readonly #path: string;
  readonly #maxBytes: number;
  readonly #keep: number;
  #current: FileStream;
  #written: number;
  /** Files retired by a rotation and still writing their last lines. */
  readonly #retiring = new Set<Promise<void>>();

  constructor(path: string, maxBytes: number, keep: number) {
    this.#path = path;
    this.#maxBytes = maxBytes;
    this.#keep = keep;
    mkdirSync(dirname(path), { recursive: true });
    this.#written = existsSync(path) ? statSync(path).size : 0;
    this.#current = openFileStream(path);
  }

  write(line: string): boolean {
    const bytes = Buffer.byteLength(line);
    // A line longer than a whole file still goes in, alone in a fresh file.
    if (this.#written > 0 && this.#written + bytes > this.#maxBytes) this.#rotate();
    this.#written += bytes;
    return this.#current.write(line);
  }

  async flush(): Promise<void> {
    await Promise.all([flushStream(this.#current), ...this.#retiring]);
  }

  #rotate(): void {
    const retired = this.#current;
    const ended = new Promise<void>((resolve) => {
      retired.once('close', () => resolve());
      retired.once('error', () => resolve());
    });
    this.#retiring.add(ended);
    void ended.then(() => this.#retiring.delete(ended));
    retired.end();
    shiftRotated(this.#path, this.#keep);
    this.#current = openFileStream(this.#path);
    this.#written = 0;
  }
}

/**
 * `path` opened for appending, written asynchronously. The descriptor is opened here, at
 * once, so the file exists before the next rotation may rename it; pino's destination
 * registers it to be flushed when the process exits.
 */
export function openFileStream(path: string): FileStream {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'a');
  try {
    return pino.destination({ fd, sync: false });
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** Resolves once what `stream` holds is written. */
export function flushStream(stream: FileStream): Promise<void> {
  return new Promise((resolve, reject) => {
    if ((stream as { destroyed?: boolean }).destroyed) return resolve();
    stream.flush((error) => (error ? reject(error) : resolve()));
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
