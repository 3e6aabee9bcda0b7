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
