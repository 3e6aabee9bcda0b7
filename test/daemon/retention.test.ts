/**
 * `settings.retention` in the served daemon: the store keeps that much history per process,
 * and a changed bound applies to what is already there as soon as the config is applied.
 */

import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupAll, isEvent, openDaemon, waitForEvent, writeConfig } from './helpers.js';

afterEach(cleanupAll);

/** Exits at once, eleven times, then stays `failed`: eleven runs and their events, then quiet. */
const flapper = {
  command: ['/bin/false'],
  restart: { policy: 'always', max_restarts: 10, window: '1h', delay: 0, min_uptime: 0 },
};

function stored(stateDir: string, process: string) {
  const db = new Database(join(stateDir, 'state.db'), { readonly: true, fileMustExist: true });
  try {
    const count = (sql: string) => (db.prepare(sql).get(process) as { n: number }).n;
    const newest = db
      .prepare('SELECT type FROM events WHERE process = ? ORDER BY id DESC LIMIT 1')
      .get(process) as { type: string };
    return {
      runs: count('SELECT count(*) AS n FROM runs WHERE process = ?'),
      events: count('SELECT count(*) AS n FROM events WHERE process = ?'),
      newestEvent: newest.type,
    };
  } finally {
    db.close();
  }
}

describe('settings.retention', () => {
  it('narrowed by an applied config, drops the oldest runs and events of each process at once', async () => {
    const config = { processes: { flap: flapper } };
    const opened = await openDaemon(config);
    const failed = waitForEvent(opened.daemon.supervisor, isEvent('process:failed', 'flap'));
    await opened.daemon.up();
    await failed;
    // The events of a tick are written at its end: this turn comes after that write.
    await new Promise(setImmediate);
    const before = stored(opened.stateDir, 'flap');
    expect(before.runs).toBe(11);
    expect(before.events).toBeGreaterThan(30);

    writeConfig(opened.dir, { ...config, settings: { retention: { runs: 2, events: 3 } } });
    const applied = await opened.daemon.apply();

    expect(applied).toEqual({ started: [], restarted: [], removed: [] });
    // The newest are what is kept: the last event of `flap` is that it failed.
    expect(stored(opened.stateDir, 'flap')).toEqual({
      runs: 2,
      events: 3,
      newestEvent: 'process:failed',
    });
  });

  it('narrowed while no daemon ran, applies as the next daemon opens, before anything is written', async () => {
    const config = { processes: { flap: flapper } };
    const first = await openDaemon(config);
    const failed = waitForEvent(first.daemon.supervisor, isEvent('process:failed', 'flap'));
    await first.daemon.up();
    await failed;
    await first.daemon.shutdown();
    expect(stored(first.stateDir, 'flap').runs).toBe(11);

    const next = await openDaemon(
      { ...config, settings: { retention: { runs: 2, events: 3 } } },
      first.dir,
    );

    expect(stored(next.stateDir, 'flap')).toMatchObject({ runs: 2, events: 3 });
  });
});
