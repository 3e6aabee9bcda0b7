/**
 * Stopping: the stop signal to the whole group, then SIGKILL once `stop.timeout` has passed,
 * and the run record says which of the two ended the process.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  cleanup,
  createSupervisor,
  fixture,
  isEvent,
  isGone,
  recordEvents,
  waitForEvent,
} from '../helpers.js';

afterEach(cleanup);

describe('stop', () => {
  it('kills a process that ignores SIGTERM once stop.timeout has passed', async () => {
    const supervisor = createSupervisor();
    supervisor.add({
      name: 'stubborn',
      command: fixture('ignore-sigterm.mjs'),
      // Running only once its SIGTERM handler is installed, so the signal is surely ignored.
      readiness: { log: '^ready$' },
      stop: { timeout: '1s' },
    });
    const [running] = await supervisor.up();
    expect(running!.status).toBe('running');
    const events = recordEvents(supervisor);

    const started = performance.now();
    const [stopped] = await supervisor.stop('stubborn');
    const elapsed = performance.now() - started;

    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(3_000);
    expect(stopped).toMatchObject({ status: 'stopped', pid: null });
    expect(supervisor.get('stubborn').runs.at(-1)).toMatchObject({
      pid: running!.pid,
      killedAfterTimeout: true,
      signal: 'SIGKILL',
      exitCode: null,
    });
    expect(events.find(isEvent('process:exit'))).toMatchObject({
      killedAfterTimeout: true,
      signal: 'SIGKILL',
    });
    expect(supervisor.logs('stubborn').map((line) => line.text)).toContain('SIGTERM ignored');
    expect(isGone(running!.pid!)).toBe(true);
  });

  it('records a graceful exit when the process honours SIGTERM', async () => {
    const supervisor = createSupervisor();
    supervisor.add({
      name: 'polite',
      command: fixture('sleeper.mjs'),
      readiness: { log: '^ready$' },
      stop: { timeout: '10s' },
    });
    const [running] = await supervisor.up();

    const [stopped] = await supervisor.stop('polite');

    expect(stopped).toMatchObject({ status: 'stopped', exitCode: 0 });
    expect(supervisor.get('polite').runs.at(-1)).toMatchObject({
      pid: running!.pid,
      killedAfterTimeout: false,
      signal: null,
      exitCode: 0,
    });
    expect(isGone(running!.pid!)).toBe(true);
  });

  it('sends the configured stop signal', async () => {
    const supervisor = createSupervisor();
    supervisor.add({
      name: 'interrupted',
      // sleeper.mjs handles only SIGTERM, so SIGINT ends it by signal.
      command: fixture('sleeper.mjs'),
      readiness: { log: '^ready$' },
      stop: { signal: 'sigint', timeout: '10s' },
    });
    await supervisor.up();

    await supervisor.stop('interrupted');

    expect(supervisor.get('interrupted').runs.at(-1)).toMatchObject({
      signal: 'SIGINT',
      killedAfterTimeout: false,
    });
  });

  it('stops a process that is still starting', async () => {
    const supervisor = createSupervisor();
    supervisor.add({
      name: 'slow',
      command: fixture('sleeper.mjs'),
      // A readiness probe that never passes keeps it in `starting`.
      readiness: { log: 'never printed' },
    });
    const started = waitForEvent(supervisor, isEvent('process:started', 'slow'));
    void supervisor.up();
    const { pid } = await started;
    expect(supervisor.get('slow').status).toBe('starting');

    const [stopped] = await supervisor.stop('slow');

    expect(stopped!.status).toBe('stopped');
    expect(isGone(pid)).toBe(true);
  });
});
