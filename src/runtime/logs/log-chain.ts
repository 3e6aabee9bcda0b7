/**
 * A process's chain of log files as `LogFile` leaves them: `<name>.log` (written to now),
 * then `<name>.log.1`, `<name>.log.2`… (rotated, newer first), opened for reading.
 */
import { readdirSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import { logFileName } from './log-format.js';

/** Bytes read at a time, backwards or forwards. */
export const BLOCK_BYTES = 64 * 1024;

export interface OpenLogFile {
  readonly handle: FileHandle;
  readonly ino: number;
  /** Size when opened: what a reader reads, so a growing file gives a consistent answer. */
  readonly size: number;
}

/**
 * Opens the current file, then `.1`, `.2`…: newest first. A rotation while opening could
 * show the same file under two names; it is kept once.
 */
export async function openNewestFirst(dir: string, name: string): Promise<OpenLogFile[]> {
  const files: OpenLogFile[] = [];
  const seen = new Set<number>();
  for (const path of logPathsNewestFirst(dir, name)) {
    const file = await openLogFile(path);
    if (!file) continue;
    if (seen.has(file.ino)) {
      await file.handle.close();
      continue;
    }
    seen.add(file.ino);
    files.push(file);
  }
  return files;
}

/** The file at `path` opened for reading, or undefined when there is none. */
export async function openLogFile(path: string): Promise<OpenLogFile | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch {
    return undefined;
  }
  const { ino, size } = await handle.stat();
  return { handle, ino, size };
}

/** `<name>.log`, `<name>.log.1`, `<name>.log.2`… as they exist now. */
export function logPathsNewestFirst(dir: string, name: string): string[] {
  const own = logFileName(name);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const rotated = entries
    .filter((entry) => isRotatedOf(entry, own))
    .map((entry) => Number(entry.slice(own.length + 1)))
    .sort((a, b) => a - b);
  return [join(dir, own), ...rotated.map((index) => join(dir, `${own}.${index}`))];
}

/** True when `entry` is a rotated file of the file named `own` (`own.1`, `own.2`…). */
export function isRotatedOf(entry: string, own: string): boolean {
  return entry.startsWith(`${own}.`) && /^[1-9]\d*$/.test(entry.slice(own.length + 1));
}

/** Fills `buffer` from `position` of the file; throws if the file ends before. */
export async function readFully(
  handle: FileHandle,
  buffer: Buffer,
  position: number,
): Promise<void> {
  for (let done = 0; done < buffer.length; ) {
    const { bytesRead } = await handle.read(buffer, done, buffer.length - done, position + done);
    if (bytesRead === 0) throw new Error('log file shrank while being read');
    done += bytesRead;
  }
}
