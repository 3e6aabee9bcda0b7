/**
 * `overseer logs -f --api URL` run in-process against a daemon that goes away: the follow
 * ends on the break, and what it put on the process to hear Ctrl-C goes with it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { remoteLogs } from '../../src/cli/remote-logs.js';
import { HttpSupervisorClient } from '../../src/protocol/client.js';
import {
  cleanupAll,
  isEvent,
  openDaemon,
  sleeper,
  waitFor,
  waitForEvent,
} from '../daemon/helpers.js';

afterEach(cleanupAll);

describe('remote logs -f', () => {
  it('regression: a follow ended by a break left its SIGINT and SIGTERM listeners on the process', async () => {
    const { daemon, socketPath } = await openDaemon({ processes: { web: sleeper() } });
    const ready = waitForEvent(daemon.supervisor, isEvent('process:ready', 'web'));
    await daemon.up();
    await ready;
    const client = new HttpSupervisorClient({ socketPath });
    const before = { int: process.listenerCount('SIGINT'), term: process.listenerCount('SIGTERM') };

    const followed = remoteLogs(client, ['web'], { follow: true, lines: '1' }, { lines: 1 });
    await waitFor(
      () => process.listenerCount('SIGINT') > before.int,
      5_000,
      'the follow listening for Ctrl-C',
    );
    await daemon.shutdown();

    expect(await followed).toBe(1);
    expect(process.listenerCount('SIGINT')).toBe(before.int);
    expect(process.listenerCount('SIGTERM')).toBe(before.term);
  });
});
