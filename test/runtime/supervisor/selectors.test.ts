/**
 * The library's `start|stop|restart|up|list` take selectors (a process, an instance, or
 * `all`) through the one resolver; an unknown one changes nothing; a restart left waiting
 * on a dependency stopped on request resolves, saying so, rather than hanging.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ProcessInfo, Supervisor } from '../../../src/index.js';
import { cleanup, createSupervisor, fixture } from '../helpers.js';

afterEach(cleanup);

/** web (two instances) and worker, each ready on its "ready" line. */
function twoProcesses(): Supervisor {
  const supervisor = createSupervisor();
  supervisor.add({
    name: 'web',
    command: fixture('sleeper.mjs'),
    instances: 2,
    readiness: { log: '^ready$' },
  });
  supervisor.add({
    name: 'worker',
    command: fixture('sleeper.mjs'),
    readiness: { log: '^ready$' },
  });
  return supervisor;
}

const pids = (rows: readonly ProcessInfo[]) => rows.map((info) => [info.name, info.pid]);

describe('selectors in the library', () => {
  it('up, restart and stop take an instance, a process or all; list narrows by them', async () => {
    const supervisor = twoProcesses();
    expect((await supervisor.up(['web-1'])).map((info) => info.name)).toEqual(['web-1']);
    expect(supervisor.list().map((info) => info.status)).toEqual(['stopped', 'running', 'stopped']);

    // all starts what is not running, and leaves web-1 as it is.
    const web1 = supervisor.get('web-1').pid;
    const started = await supervisor.start('all');
    expect(started.map((info) => [info.name, info.status])).toEqual([
      ['web-0', 'running'],
      ['worker', 'running'],
    ]);
    expect(supervisor.get('web-1').pid).toBe(web1);
    const all = await supervisor.restart('all');
    expect(all.map((info) => [info.name, info.status])).toEqual([
      ['web-0', 'running'],
      ['web-1', 'running'],
      ['worker', 'running'],
    ]);
    expect(supervisor.list({ names: ['worker', 'web-1'] }).map((info) => info.name)).toEqual([
      'web-1',
      'worker',
    ]);
    expect(supervisor.instanceNames('all')).toEqual(['web-0', 'web-1', 'worker']);

    await supervisor.stop('web');
    expect(supervisor.list({ names: ['web'] }).map((info) => info.status)).toEqual([
      'stopped',
      'stopped',
    ]);
  });

  it('all means every process a request applies to, and is not refused for the rest; one named alone must accept it', async () => {
    const supervisor = twoProcesses();
    supervisor.add({ name: 'once', command: fixture('exit-with.mjs', 0), kind: 'job' });
    await supervisor.up(['web', 'once']);
    expect(supervisor.list().map((info) => info.status)).toEqual([
      'running',
      'running',
      'stopped',
      'completed',
    ]);

    await expect(supervisor.stop('worker')).rejects.toThrow('worker is not running (stopped)');
    const stopped = await supervisor.stop('all');
    expect(stopped.map((info) => [info.name, info.status])).toEqual([
      ['web-0', 'stopped'],
      ['web-1', 'stopped'],
    ]);
    // Nothing left to stop: done, as `docker compose stop` is, rather than an error.
    expect(await supervisor.stop('all')).toEqual([]);
  });

  it('an unknown name changes nothing, and names every unknown one', async () => {
    const supervisor = twoProcesses();
    await supervisor.up();
    const before = pids(supervisor.list());

    await expect(supervisor.restart('nope')).rejects.toMatchObject({
      code: 'UNKNOWN_PROCESS',
      message: 'no process named nope',
    });
    await expect(supervisor.up(['worker', 'nope'])).rejects.toThrow('no process named nope');
    expect(() => supervisor.list({ names: ['web', 'nada', 'nope'] })).toThrow(
      'no processes named nada, nope',
    );
    expect(pids(supervisor.list())).toEqual(before);
  });

  it('refuses a process named all: the name selects every process', () => {
    const supervisor = createSupervisor();
    expect(() => supervisor.add({ name: 'all', command: fixture('sleeper.mjs') })).toThrow(
      'all is reserved: it selects every process',
    );
  });

  it('a restart waiting on a dependency stopped on request resolves pending, saying why', async () => {
    const supervisor = createSupervisor();
    supervisor.add({ name: 'db', command: fixture('sleeper.mjs'), readiness: { log: '^ready$' } });
    supervisor.add({
      name: 'worker',
      command: fixture('sleeper.mjs'),
      depends_on: { db: 'healthy' },
    });
    await supervisor.up();
    await supervisor.stop('db');

    const [worker] = await supervisor.restart('worker');

    expect(worker).toMatchObject({
      status: 'pending',
      reason: 'waiting for db to be healthy (db is stopped)',
    });
    // What it waited for comes: it starts by itself, and up() has only to wait for it.
    await supervisor.start('db');
    const rows = await supervisor.up(['worker']);
    expect(rows.map((info) => [info.name, info.status])).toEqual([
      ['db', 'running'],
      ['worker', 'running'],
    ]);
  });
});
