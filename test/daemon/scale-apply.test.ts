/**
 * Scale in a daemon: it lasts until the config is applied again (then a scaled process
 * runs its config's count again, and the instances the config keeps are not touched), and
 * an instance scaled away is forgotten with its wish.
 */
import { afterEach, expect, it } from 'vitest';
import type { Wish } from '../../src/core/stack/desired-state.js';
import { servedApi } from '../../src/daemon/served-api.js';
import { cleanupAll, openDaemon, sleeper } from './helpers.js';

afterEach(cleanupAll);

it('applying an unchanged config brings a scaled process back to its count, touching no other instance', async () => {
  const { daemon } = await openDaemon({ processes: { web: { ...sleeper(), instances: 2 } } });
  await daemon.up();
  const pids = daemon.supervisor.list().map((row) => row.pid);
  const wishes: Array<[readonly string[], Wish]> = [];
  const api = servedApi(daemon.supervisor, (names, wish) => wishes.push([names, wish]));

  await api.scale('web', 3);
  expect(daemon.supervisor.list().map((row) => row.name)).toEqual(['web-0', 'web-1', 'web-2']);
  await api.stop('web-2');
  await api.scale('web', 2);
  // web-2 was stopped on request, then scaled away: a web-2 added later starts as new.
  expect(wishes).toEqual([
    [['web-2'], 'stopped'],
    [['web-2'], 'running'],
  ]);

  await api.scale('web', 3);
  const applied = await daemon.apply();

  expect(applied).toEqual({ started: [], restarted: [], removed: [] });
  expect(daemon.supervisor.list().map((row) => [row.name, row.pid])).toEqual([
    ['web-0', pids[0]],
    ['web-1', pids[1]],
  ]);
});
