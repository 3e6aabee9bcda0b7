/**
 * `scale` lasts until the config is applied again: then a scaled process runs its config's
 * count again, and the instances the config keeps are not touched.
 */
import { afterEach, expect, it } from 'vitest';
import { cleanupAll, openDaemon, sleeper } from './helpers.js';

afterEach(cleanupAll);

it('applying an unchanged config brings a scaled process back to its count, touching no other instance', async () => {
  const { daemon } = await openDaemon({ processes: { web: { ...sleeper(), instances: 2 } } });
  await daemon.up();
  const pids = daemon.supervisor.list().map((row) => row.pid);

  await daemon.supervisor.scale('web', 3);
  expect(daemon.supervisor.list().map((row) => row.name)).toEqual(['web-0', 'web-1', 'web-2']);

  const applied = await daemon.apply();

  expect(applied).toEqual({ started: [], restarted: [], removed: [] });
  expect(daemon.supervisor.list().map((row) => [row.name, row.pid])).toEqual([
    ['web-0', pids[0]],
    ['web-1', pids[1]],
  ]);
});
