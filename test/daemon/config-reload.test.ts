/**
 * Live reload inside the daemon: an edited `env_file` is a change of the processes that
 * read it, for `apply` and for the watch alike.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cleanupAll,
  isEvent,
  openDaemon,
  recordEvents,
  sleeper,
  tempDir,
  waitForEvent,
} from './helpers.js';

afterEach(cleanupAll);

describe('an env_file', () => {
  it('edited, changes the processes that read it, and only those', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.env'), 'COLOUR=red\n');
    const opened = await openDaemon(
      { processes: { reads: { ...sleeper(), env_file: '.env' }, other: sleeper() } },
      dir,
    );
    await opened.daemon.up();
    writeFileSync(join(dir, '.env'), 'COLOUR=blue\n');

    const result = await opened.daemon.apply();

    expect(result).toEqual({ started: [], restarted: ['reads'], removed: [] });
  });

  it('watched with settings.reload: an edit restarts its readers with the new value', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.env'), 'COLOUR=red\n');
    const opened = await openDaemon(
      { settings: { reload: true }, processes: { reads: { ...sleeper(), env_file: '.env' } } },
      dir,
    );
    await opened.daemon.up();
    const events = recordEvents(opened.daemon.supervisor);
    // Already watched (settings.reload); this waits until the watch is in place.
    await opened.daemon.watchConfig();
    const applied = waitForEvent(opened.daemon.supervisor, isEvent('config:applied'));
    const restarted = waitForEvent(opened.daemon.supervisor, isEvent('process:ready', 'reads'));

    writeFileSync(join(dir, '.env'), 'COLOUR=blue\n');

    expect(await applied).toMatchObject({ added: [], changed: ['reads'], removed: [] });
    await restarted;
    expect(opened.daemon.supervisor.get('reads').spec.envFile).toBe('.env');
    expect(events.filter(isEvent('config:applied'))).toHaveLength(1);
  });
});
