/**
 * A state dir outlives the overseer that made it: a store file written by an earlier schema
 * opens, is migrated forward, and answers with everything it held; one written by a newer
 * schema is refused, by name.
 */
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../src/store/sqlite/migrations.js';
import { openSqliteStore } from '../../../src/store/sqlite/project-store.js';
import { removeStoreFiles, storeFile } from './store-files.js';

afterEach(removeStoreFiles);

/** A store file made from a dump of one written by an earlier schema. */
function fileFromDump(dump: string): string {
  const file = storeFile();
  const db = new Database(file);
  db.exec(readFileSync(new URL(`../../fixtures/store/${dump}`, import.meta.url), 'utf8'));
  db.close();
  return file;
}

function schemaVersion(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
}

describe('a store file of an earlier schema', () => {
  it('opens at version 2 and answers with all it holds', () => {
    const store = openSqliteStore(fileFromDump('state-v2.sql'));
    const { history, desired } = store;
    try {
      expect(history.unfinishedRuns()).toEqual([
        {
          id: 2,
          process: 'api',
          pid: 4200,
          pidStartTime: 42000,
          bootId: 'boot-1',
          startedAt: 2_100,
          treeMark: '7-100-2',
          cgroup: '/sys/fs/cgroup/overseer-7-100/run-2',
          strays: [{ pid: 4300, startTime: 43000 }],
          endedAt: null,
          exitCode: null,
          signal: null,
          reason: null,
          killedAfterTimeout: false,
        },
        expect.objectContaining({ id: 3, process: 'worker-0', pid: 4400, strays: [] }),
      ]);
      expect(history.recentRuns('api', 10)[0]).toMatchObject({
        id: 1,
        pid: 4100,
        endedAt: 2_000,
        signal: 'SIGTERM',
        reason: 'restart requested',
        treeMark: null,
        cgroup: null,
      });
      expect(history.recentEvents(10).map((item) => item.event)).toEqual([
        { type: 'process:started', name: 'api', at: 1_000, pid: 4100 },
        { type: 'process:restarted', name: 'api', at: 2_050, pid: 4200 },
      ]);
      expect(history.restartCounts()).toEqual(new Map([['api', 1]]));
      expect(desired.desiredStates()).toEqual(new Map([['worker-0', 'stopped']]));
      // And it goes on recording where it stopped.
      const next = {
        process: 'api',
        pid: 4500,
        pidStartTime: 45000,
        bootId: 'boot-1',
        startedAt: 3_000,
      };
      expect(history.startRun(next)).toBe(4);
    } finally {
      store.close();
    }
  });

  it('is migrated forward from version 1, its records intact', () => {
    const file = fileFromDump('state-v1.sql');
    const store = openSqliteStore(file);
    const { history, desired } = store;
    try {
      expect(history.recentRuns('api', 10)).toEqual([
        expect.objectContaining({ id: 1, pid: 3100, exitCode: 1, reason: 'exited with code 1' }),
        expect.objectContaining({ id: 2, pid: 3200, endedAt: null, treeMark: null, strays: [] }),
      ]);
      expect(history.recentEvents(10).map((item) => item.event.at)).toEqual([500]);
      expect(history.restartCounts()).toEqual(new Map([['api', 2]]));
      expect(desired.desiredStates()).toEqual(new Map([['api', 'stopped']]));
      history.addStrays(2, [{ pid: 3300, startTime: 33000 }]);
      expect(history.unfinishedRuns()[0]?.strays).toEqual([{ pid: 3300, startTime: 33000 }]);
    } finally {
      store.close();
    }
    expect(schemaVersion(file)).toBe(MIGRATIONS.length);
  });
});

describe('a store file of a newer schema', () => {
  it('is refused, naming it', () => {
    const file = storeFile();
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();
    expect(() => openSqliteStore(file)).toThrow(/schema version 99, newer than this overseer/);
  });
});
