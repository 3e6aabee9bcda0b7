/**
 * A schedule's last fire time outlives its daemon: each fire time taken is in the store at
 * once, and the next daemon on the state dir arms no fire at or before it (so a clock set
 * back, or a quick restart, runs no fire time twice).
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/project-store.js';
import { cleanupAll, fixture, openDaemon, tempDir, waitForEvent } from './helpers.js';

afterEach(cleanupAll);

const CONFIG = {
  processes: {
    tick: {
      command: fixture('exit-with.mjs', 0),
      schedule: { cron: '* * * * * *', timezone: 'UTC' },
      restart: { min_uptime: 0 },
    },
  },
};

describe('the last fire time of a schedule', () => {
  it('is stored as it is taken, and the next daemon arms its first fire after it', async () => {
    const dir = tempDir();
    const first = await openDaemon(CONFIG, dir);
    const fired = waitForEvent(first.daemon.supervisor, (event) => event.type === 'process:fired');
    await first.daemon.up();
    const { fireAt } = (await fired) as { fireAt: number };
    await first.daemon.shutdown();

    const file = join(first.stateDir, 'state.db');
    const store = openSqliteStore(file);
    expect(store.schedules.lastFires()).toEqual(new Map([['tick', fireAt]]));
    // As if this fire time had been taken by a daemon whose clock ran ahead of ours.
    const ahead = Math.ceil(Date.now() / 1_000) * 1_000 + 5_000;
    store.schedules.recordFire('tick', ahead);
    store.close();

    const second = await openDaemon(CONFIG, dir);
    await second.daemon.up();
    const [info] = second.daemon.supervisor.list();
    expect(info).toMatchObject({
      status: 'scheduled',
      nextRunAt: new Date(ahead + 1_000).toISOString(),
    });
  });
});
