/** Store files for tests, each in a folder of its own that `removeStoreFiles` deletes. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dirs: string[] = [];

/** The path of a store file not yet created, in a new temporary folder. */
export function storeFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'overseer-store-'));
  dirs.push(dir);
  return join(dir, 'state.db');
}

/** Deletes the folders of every store file given so far. */
export function removeStoreFiles(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
