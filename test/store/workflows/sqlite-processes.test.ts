/**
 * Worker processes on one machine sharing one workflow store file: they open it new at
 * once (its schema made once), then claim from it all together, and no run goes to two.
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteWorkflowStore } from '../../../src/store/sqlite/workflow-store.js';
import { removeStoreFiles, storeFile } from '../sqlite/store-files.js';

const CLAIMER = fileURLToPath(new URL('../../fixtures/workflow-claimer.ts', import.meta.url));
const RUNS = 300;

type Claimer = ChildProcessByStdio<Writable, Readable, null>;
const claimers: Claimer[] = [];

afterEach(() => {
  for (const child of claimers.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  removeStoreFiles();
});

/** Starts a claimer of `file` as `worker`; resolves once it has the file open. */
async function startClaimer(file: string, worker: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', CLAIMER, file, worker], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  claimers.push(child);
  const lines = outputLines(child);
  expect(await lines.next()).toEqual({ done: false, value: 'ready' });
  return { child, lines };
}

async function* outputLines(child: Claimer): AsyncGenerator<string> {
  let buffered = '';
  for await (const chunk of child.stdout) {
    buffered += String(chunk);
    for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
      yield buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
    }
  }
}

describe('SqliteWorkflowStore shared by processes', () => {
  it('gives each run to exactly one of several processes claiming at once', async () => {
    const file = storeFile();
    const workers = ['w1', 'w2', 'w3'];
    const started = await Promise.all(workers.map((worker) => startClaimer(file, worker)));

    const store = openSqliteWorkflowStore(file);
    try {
      for (let n = 0; n < RUNS; n += 1) {
        await store.createRun({ id: `r${n}`, workflow: 'order', input: n });
      }
      for (const { child } of started) child.stdin.end('go\n');
      const claimed = await Promise.all(
        started.map(async ({ lines }) => JSON.parse((await lines.next()).value) as string[]),
      );

      const all = claimed.flat();
      expect(all).toHaveLength(RUNS);
      expect(new Set(all).size).toBe(RUNS);
      // Two at least took part, so the claims did contend for the file.
      expect(claimed.filter((ids) => ids.length > 0).length).toBeGreaterThanOrEqual(2);
      for (const [n, ids] of claimed.entries()) {
        for (const id of ids) expect((await store.run(id))!.owner).toBe(workers[n]);
      }
    } finally {
      await store.close();
    }
  });
});
