/**
 * Restarts: the restart policy with its budget against a real crash loop, and restart() on
 * request.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  cleanup,
  createSupervisor,
  describeEvents,
  fixture,
  isEvent,
  isGone,
  recordEvents,
  waitForSettled,
} from '../helpers.js';

afterEach(cleanup);

describe('restart policy', () => {
  it('fails a crash loop after exactly max_restarts restarts', async () => {
    const supervisor = createSupervisor();
    supervisor.add({
      name: 'crashy',
      command: fixture('exit-with.mjs', 1),
      restart: { policy: 'always', max_restarts: 3, delay: '10ms', min_uptime: '1s' },
    });
    const events = recordEvents(supervisor);

    await supervisor.up();
    const [info] = await waitForSettled(supervisor);

    expect(info!.status).toBe('failed');
    expect(info!.restarts).toBe(3);
    expect(info!.exitCode).toBe(1);
    expect(info!.reason).toMatch(/restart budget spent/);
    expect(info!.reason).toContain('exited with code 1');
    expect(events.filter(isEvent('process:restarted'))).toHaveLength(3);
    expect(events.filter(isEvent('process:started'))).toHaveLength(4);
    expect(events.filter(isEvent('process:exit'))).toHaveLength(4);
    expect(events.filter(isEvent('process:backoff')).map((event) => event.attempt)).toEqual([
      1, 2, 3,
    ]);
    expect(describeEvents(events, ['process:failed'])).toEqual(['process:failed crashy']);
    expect(supervisor.get('crashy').runs.map((run) => run.exitCode)).toEqual([1, 1, 1, 1]);
  });

  it('completes a service that exits 0 under policy on-failure, without restarting it', async () => {
    const supervisor = createSupervisor();
    supervisor.add({
      name: 'once',
      command: fixture('exit-with.mjs', 0),
      // A long min_uptime keeps it `starting` until it exits, so up() returns the outcome.
      restart: { policy: 'on-failure', delay: '10ms', min_uptime: '10s' },
    });

    const [info] = await supervisor.up();

    expect(info).toMatchObject({ status: 'completed', exitCode: 0, restarts: 0 });
  });
});

describe('restart()', () => {
  it('gives a running process a new pid and ends the old one', async () => {
    const supervisor = createSupervisor();
    supervisor.add({
      name: 'svc',
      command: fixture('sleeper.mjs'),
      readiness: { log: '^ready$' },
    });
    const [before] = await supervisor.up();
    const events = recordEvents(supervisor);

    const [after] = await supervisor.restart('svc');

    expect(after).toMatchObject({ status: 'running', health: 'healthy', restarts: 1 });
    expect(after!.pid).not.toBeNull();
    expect(after!.pid).not.toBe(before!.pid);
    expect(isGone(before!.pid!)).toBe(true);
    // Health changes are left out: when they are announced is core's business, not this test's.
    const lifecycle = events.filter((event) => event.type !== 'process:health');
    expect(describeEvents(lifecycle)).toEqual([
      'process:exit svc',
      'process:pending svc',
      'process:starting svc',
      'process:started svc',
      'process:restarted svc',
      'process:ready svc',
    ]);
    expect(supervisor.get('svc').runs.map((run) => run.pid)).toEqual([before!.pid, after!.pid]);
  });

  it('starts a stopped process again', async () => {
    const supervisor = createSupervisor();
    supervisor.add({ name: 'svc', command: fixture('sleeper.mjs'), readiness: { log: '^ready$' } });
    await supervisor.up();
    await supervisor.stop('svc');

    const [info] = await supervisor.restart('svc');

    expect(info!.status).toBe('running');
    expect(info!.pid).not.toBeNull();
  });
});
