/**
 * Applying a changed config while the stack is busy or watched: an apply is never left half
 * done by a reload, a scale or a start racing it; editing the config restarts no process
 * that merely watches the folder; a recreated dependency restarts its `restart: true`
 * dependents; the processes keep the config's order; a rejection is logged once.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import {
  cleanupAll,
  isEvent,
  openDaemon,
  recordEvents,
  sleeper,
  waitFor,
  waitForEvent,
  writeConfig,
} from './helpers.js';

afterEach(cleanupAll);

it('editing the config restarts no unchanged process that watches its folder', async () => {
  const watchDot = { paths: ['.'], debounce: '50ms' };
  const processes = (v: string) => ({
    web: { ...sleeper({ V: v }), watch: watchDot },
    other: { ...sleeper(), watch: watchDot },
  });
  const opened = await openDaemon({ processes: processes('1') });
  const { supervisor } = opened.daemon;
  await opened.daemon.up();
  await waitFor(
    () => logRecords(opened.stateDir).filter((r) => r.msg === 'watching').length === 2,
    5_000,
    'both watches to be in place',
  );
  const events = recordEvents(supervisor);
  writeConfig(opened.dir, { processes: processes('2') });
  await opened.daemon.apply();
  // A change the watch does see: whatever restarts `other` first names its cause.
  const restarted = waitForEvent(supervisor, isEvent('process:exit', 'other'));
  writeFileSync(join(opened.dir, 'marker'), 'changed');

  expect(await restarted).toMatchObject({ reason: 'watch: marker changed' });
  expect(events.filter(isEvent('process:exit', 'other'))).toHaveLength(1);
});

it('a config rejected is one warning in the supervisor log', async () => {
  const opened = await openDaemon({ processes: { web: sleeper() } });
  writeFileSync(opened.configPath, 'version: 1\nprocesses: [not, a, map]\n');

  await expect(opened.daemon.apply()).rejects.toThrow();
  await opened.daemon.shutdown();

  const warnings = logRecords(opened.stateDir).filter(
    (r) => r.level === 'warn' && r.category === 'config',
  );
  expect(warnings).toHaveLength(1);
});

/** The supervisor log's records so far. */
function logRecords(stateDir: string): Array<{ level: string; category: string; msg: string }> {
  return readFileSync(join(stateDir, 'overseer.log'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}
