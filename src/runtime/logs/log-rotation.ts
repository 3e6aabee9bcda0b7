/**
 * The rotated files of a log file on disk: `<name>.log.1` is the newest and
 * `<name>.log.<max_files - 1>` the oldest. Files move by renaming, so a reader holding an
 * old file open keeps reading it.
 */
import { readdir, rename, unlink } from 'node:fs';
import { basename, dirname } from 'node:path';
import { promisify } from 'node:util';

const readdirAsync = promisify(readdir);
const renameAsync = promisify(rename);
const unlinkAsync = promisify(unlink);

/**
 * Counts the rotated files of `path` a previous run left, removing those beyond `maxFiles`
 * (the limit may have been lowered since).
 */
export async function tidyRotated(path: string, maxFiles: number): Promise<number> {
  const prefix = `${basename(path)}.`;
  let highest = 0;
  for (const entry of await readdirAsync(dirname(path))) {
    if (!entry.startsWith(prefix)) continue;
    const suffix = entry.slice(prefix.length);
    if (!/^[1-9]\d*$/.test(suffix)) continue;
    const index = Number(suffix);
    if (index >= maxFiles) await unlinkQuietly(`${path}.${index}`);
    else highest = Math.max(highest, index);
  }
  return highest;
}

/**
 * `.log` (closed) becomes `.log.1`, `.log.1` becomes `.log.2`…, the oldest goes first, so
 * there are never more than `maxFiles` files; with `maxFiles` 1, `.log` is removed. Takes
 * the count of rotated files there are and returns the count there are now.
 */
export async function shiftRotated(
  path: string,
  rotated: number,
  maxFiles: number,
): Promise<number> {
  if (maxFiles <= 1) {
    await unlinkQuietly(path);
    return rotated;
  }
  for (; rotated >= maxFiles - 1; rotated--) await unlinkQuietly(`${path}.${rotated}`);
  for (let index = rotated; index >= 1; index--) {
    await renameAsync(`${path}.${index}`, `${path}.${index + 1}`).catch(ignoreMissing);
  }
  await renameAsync(path, `${path}.1`);
  return rotated + 1;
}

/** Removes a log file and every rotated file of it; what is already gone is no error. */
export async function removeLogFiles(path: string): Promise<void> {
  await unlinkQuietly(path);
  const prefix = `${basename(path)}.`;
  const entries = await readdirAsync(dirname(path)).catch((): string[] => []);
  for (const entry of entries) {
    if (entry.startsWith(prefix) && /^[1-9]\d*$/.test(entry.slice(prefix.length))) {
      await unlinkQuietly(`${path}.${entry.slice(prefix.length)}`);
    }
  }
}

async function unlinkQuietly(path: string): Promise<void> {
  await unlinkAsync(path).catch(ignoreMissing);
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}
