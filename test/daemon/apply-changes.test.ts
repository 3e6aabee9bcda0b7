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
  fixture,
  isEvent,
  openDaemon,
  recordEvents,
  sleeper,
  waitFor,
  waitForEvent,
  writeConfig,
} from './helpers.js';

afterEach(cleanupAll);

it('an apply during a reload of a scaled process starts what it adds, and brings the scale back once the reload is over', async () => {
  // Ready a little after it starts: the reload holds web while it replaces both instances.
  const web = {
    ...sleeper(),
    instances: 2,
    readiness: { exec: 'sleep 0.2', interval: '50ms', timeout: '3s' },
  };
  const opened = await openDaemon({ processes: { web } });
  const { supervisor } = opened.daemon;
  await opened.daemon.up();
  await supervisor.scale('web', 3);
  const events = recordEvents(supervisor);
  const reloading = supervisor.reload('web');
  writeConfig(opened.dir, { processes: { web, extra: sleeper() } });

  const result = await opened.daemon.apply();

  expect(result).toEqual({ started: ['extra'], restarted: [], removed: [] });
  await reloading;
  expect(events.filter(isEvent('config:applied'))).toHaveLength(1);
  await waitFor(
    () => supervisor.list().every((row) => row.status === 'running'),
    5_000,
    'extra and web to run',
  );
  expect(supervisor.list().map((row) => row.name)).toEqual(['web-0', 'web-1', 'extra']);
});

it('an apply that removes a process a start revived while it stopped another still removes both', async () => {
  const opened = await openDaemon({
    processes: {
      keep: sleeper(),
      quick: sleeper(),
      slow: { command: fixture('slow-stop.mjs', 300) },
    },
  });
  const { supervisor } = opened.daemon;
  await opened.daemon.up();
  // quick is stopped long before slow: started again in between, it runs when removed.
  const revived = waitForEvent(supervisor, isEvent('process:stopped', 'quick')).then(() =>
    supervisor.start('quick'),
  );
  writeConfig(opened.dir, { processes: { keep: sleeper() } });

  const result = await opened.daemon.apply();

  await revived.catch(() => {});
  expect(result).toEqual({ started: [], restarted: [], removed: ['quick', 'slow'] });
  expect(supervisor.list().map((row) => row.name)).toEqual(['keep']);
});

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

it('a dependency recreated by a changed config restarts its restart: true dependents', async () => {
  const config = (v: string) => ({
    processes: {
      db: sleeper({ V: v }),
      api: { ...sleeper(), depends_on: { db: { condition: 'started', restart: true } } },
      cron: { ...sleeper(), depends_on: { db: 'started' } },
    },
  });
  const opened = await openDaemon(config('1'));
  const { supervisor } = opened.daemon;
  await opened.daemon.up();
  const before = Object.fromEntries(supervisor.list().map((row) => [row.name, row.pid]));
  const ended = waitForEvent(supervisor, isEvent('process:exit', 'api'));
  writeConfig(opened.dir, config('2'));

  await opened.daemon.apply();

  await waitFor(
    () => supervisor.get('api').pid !== before.api && supervisor.get('api').status === 'running',
    5_000,
    'api to run again',
  );
  expect(supervisor.get('db').pid).not.toBe(before.db);
  expect(supervisor.get('cron').pid).toBe(before.cron);
  expect(await ended).toMatchObject({ reason: 'config: a dependency changed' });
});

it('an apply keeps the processes in the order of the config', async () => {
  const config = (v: string) => ({
    processes: { first: sleeper({ V: v }), second: sleeper(), third: sleeper() },
  });
  const opened = await openDaemon(config('1'));
  await opened.daemon.up();
  writeConfig(opened.dir, config('2'));

  await opened.daemon.apply();

  const names = opened.daemon.supervisor.list().map((row) => row.name);
  expect(names).toEqual(['first', 'second', 'third']);
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
