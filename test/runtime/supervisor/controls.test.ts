/**
 * How reload and scale end when the supervisor shuts down under them: they resolve or
 * refuse, never wait for an admission that will not come.
 */
import { afterEach, expect, it } from 'vitest';
import { cleanup, createSupervisor, fixture, isEvent, tempDir, waitForEvent } from '../helpers.js';

afterEach(cleanup);

it('a reload under way when the supervisor shuts down ends with ok: false, the rest untouched', async () => {
  const dir = tempDir();
  const supervisor = createSupervisor();
  // Each replacement listens 300 ms after it starts: the shutdown comes meanwhile.
  supervisor.add({
    name: 'web',
    command: fixture('control-server.mjs', dir, 300),
    instances: 2,
    readiness: { log: '^listening on' },
  });
  await supervisor.up();
  const replacing = waitForEvent(supervisor, isEvent('process:started', 'web-0'));

  const reload = supervisor.reload('web');
  await replacing;
  await supervisor.shutdown();

  expect(await reload).toMatchObject({
    ok: false,
    instances: [
      { name: 'web-0', outcome: 'failed', reason: 'it was stopped during the reload' },
      { name: 'web-1', outcome: 'untouched' },
    ],
  });
});

// Regression: reload() and scale() threw SHUT_DOWN synchronously instead of rejecting.
it('reload() and scale() after the shutdown began reject with SHUT_DOWN, never throw', async () => {
  const supervisor = createSupervisor();
  supervisor.add({ name: 'web', command: fixture('sleeper.mjs'), instances: 1 });
  const stopping = supervisor.shutdown();

  await expect(supervisor.scale('web', 2)).rejects.toMatchObject({ code: 'SHUT_DOWN' });
  await expect(supervisor.reload('web')).rejects.toMatchObject({ code: 'SHUT_DOWN' });
  await stopping;
});
