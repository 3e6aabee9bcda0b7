/**
 * The embedded store, held to the contract of every store it implements, and to what only a
 * file promises: it keeps everything across a close, and a kill mid-write never corrupts it.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProjectStore, ProjectStoreOptions } from '../../../src/store/project-store.js';
import { openSqliteStore } from '../../../src/store/sqlite/project-store.js';
import { exitEvent, run } from '../history-store.contract.js';
import { projectStoreContract } from '../project-store.contract.js';
import { removeStoreFiles, storeFile } from './store-files.js';

const stores: ProjectStore[] = [];

afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  removeStoreFiles();
});

function open(file = storeFile(), options?: ProjectStoreOptions): ProjectStore {
  const store = openSqliteStore(file, options);
  stores.push(store);
  return store;
}

describe('openSqliteStore', () => {
  projectStoreContract((options) => open(storeFile(), options));

  it('keeps everything across a close and a reopen', () => {
    const file = storeFile();
    const first = openSqliteStore(file);
    const id = first.history.startRun(run('api', 7));
    first.history.countRestart('api');
    first.desired.setDesiredState('worker-0', 'stopped');
    first.history.appendEvents([exitEvent('api', 3)]);
    first.close();
    const second = open(file);
    expect(second.history.unfinishedRuns().map((r) => r.id)).toEqual([id]);
    expect(second.history.restartCounts().get('api')).toBe(1);
    expect(second.desired.desiredStates()).toEqual(new Map([['worker-0', 'stopped']]));
    expect(second.history.recentEvents(10).map((item) => item.event)).toEqual([
      exitEvent('api', 3),
    ]);
  });
});

describe('openSqliteStore under SIGKILL', () => {
  it('opens intact after its writer is killed mid-write, again and again', async () => {
    const writer = fileURLToPath(new URL('../../fixtures/store-writer.ts', import.meta.url));
    const file = storeFile();
    for (let round = 0; round < 4; round += 1) {
      const child = spawn(process.execPath, ['--import', 'tsx', writer, file], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      // Let it write for a varying while, so the kill lands at different points.
      await new Promise((resolve) => setTimeout(resolve, 20 + round * 37));
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      const db = new Database(file);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
      const store = openSqliteStore(file);
      // At most the run being written when the kill came is unfinished.
      expect(store.history.unfinishedRuns().length).toBeLessThanOrEqual(round + 1);
      expect(store.history.restartCounts().size).toBeGreaterThan(0);
      store.close();
    }
  });
});
