/**
 * `shutdown({ force: true })`: every process tree SIGKILLed at once, for a host that has been
 * told twice to end, even in the middle of a graceful shutdown that would take its time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, createSupervisor, fixture, isGone, waitFor } from '../helpers.js';

afterEach(cleanup);

describe('shutdown({ force: true })', () => {
  it('cuts a graceful shutdown short: every tree SIGKILLed at once, whatever its stop.timeout', async () => {
    const supervisor = createSupervisor();
    const stubborn = { command: fixture('ignore-sigterm.mjs'), readiness: { log: '^ready$' } };
    supervisor.add({ name: 'db', ...stubborn, stop: { timeout: '1m' } });
    supervisor.add({ name: 'api', ...stubborn, stop: { timeout: '1m' }, depends_on: ['db'] });
    const pids = (await supervisor.up()).map((info) => info.pid!);
    const graceful = supervisor.shutdown();
    // api has its SIGTERM and ignores it; db, a layer below, has not been asked yet.
    await waitFor(() => supervisor.logs('api').some((line) => line.text === 'SIGTERM ignored'));

    const started = performance.now();
    const forced = supervisor.shutdown({ force: true });
    await forced;

    expect(performance.now() - started).toBeLessThan(2_000);
    expect(forced).toBe(graceful);
    expect(pids.filter((pid) => !isGone(pid))).toEqual([]);
    for (const name of ['api', 'db']) {
      expect(supervisor.get(name)).toMatchObject({ status: 'stopped', pid: null });
      expect(supervisor.get(name).runs.at(-1)).toMatchObject({ signal: 'SIGKILL' });
    }
  });

  it('starts the shutdown when none was under way: nothing restarts', async () => {
    const supervisor = createSupervisor();
    supervisor.add({ name: 'svc', command: fixture('sleeper.mjs'), readiness: { log: '^ready$' } });
    const [info] = await supervisor.up();

    await supervisor.shutdown({ force: true });

    expect(isGone(info!.pid!)).toBe(true);
    expect(supervisor.get('svc')).toMatchObject({ status: 'stopped', restarts: 0 });
    expect(() => supervisor.add({ name: 'late', command: fixture('sleeper.mjs') })).toThrow(
      /shut down/,
    );
  });
});
