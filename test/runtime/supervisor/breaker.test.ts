/**
 * The restart breaker in the running supervisor (docs/lifecycle.md): what happens to a
 * retry that is due when its process is no longer there to be tried.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SupervisorEvent } from '../../../src/core/events.js';
import {
  cleanup,
  createSupervisor,
  fixture,
  isEvent,
  recordEvents,
  waitForEvent,
  waitForSettled,
} from '../helpers.js';

afterEach(cleanup);

/** Fails at its first exit, then is tried again after `cooldown`. */
const failingWithCooldown = (name: string, cooldown: string) => ({
  name,
  command: fixture('exit-with.mjs', 1),
  restart: { max_restarts: 0, min_uptime: '1s', cooldown },
});

describe('regression: a removed process tried again by its breaker', () => {
  it('is not: removing it calls its retry off', async () => {
    const supervisor = createSupervisor();
    // `witness` is tried after `doomed` would be: its try says doomed's moment has passed.
    supervisor.add(failingWithCooldown('doomed', '100ms'));
    supervisor.add(failingWithCooldown('witness', '400ms'));
    await supervisor.up();
    const failed = await waitForSettled(supervisor);
    expect(failed.map((info) => info.retryAt !== null)).toEqual([true, true]);

    const witnessTried = waitForEvent(supervisor, isEvent('process:pending', 'witness'));
    supervisor.remove('doomed');
    const events: SupervisorEvent[] = recordEvents(supervisor);
    await witnessTried;

    expect(events.filter((event) => 'name' in event && event.name === 'doomed')).toEqual([]);
  });
});

describe('regression: scaling down leaves ghost instances', () => {
  it('is not: a removed instance is not tried again by its breaker', async () => {
    const supervisor = createSupervisor();
    supervisor.add({ ...failingWithCooldown('bad', '100ms'), instances: 3 });
    // `witness` is tried after the removed instances would be: its try says their moment has passed.
    supervisor.add(failingWithCooldown('witness', '400ms'));
    await supervisor.up();
    const failed = await waitForSettled(supervisor);
    expect(failed.every((info) => info.retryAt !== null)).toBe(true);

    const witnessTried = waitForEvent(supervisor, isEvent('process:pending', 'witness'));
    await supervisor.scale('bad', 1);
    const events: SupervisorEvent[] = recordEvents(supervisor);
    await witnessTried;

    const ghosts = events.filter(
      (event) => 'name' in event && (event.name === 'bad-1' || event.name === 'bad-2'),
    );
    expect(ghosts).toEqual([]);
  });
});

describe('regression: scaling up a process whose breaker is open', () => {
  it('starts the added instances, as the breaker tries the others again', async () => {
    const supervisor = createSupervisor();
    supervisor.add({ ...failingWithCooldown('bad', '5s'), instances: 2 });
    await supervisor.up();
    await waitForSettled(supervisor);

    const rows = await supervisor.scale('bad', 3);

    expect(rows.find((row) => row.name === 'bad-2')).toMatchObject({ status: 'failed' });
  });
});
