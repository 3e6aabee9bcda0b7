/**
 * `maxProcesses`: at most that many children at once; the rest wait in `pending` and are
 * served by priority (critical, high, normal, low), then in declaration order.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Priority } from '../../../src/index.js';
import {
  cleanup,
  createSupervisor,
  fixture,
  isEvent,
  recordEvents,
  waitFor,
  waitForEvent,
  waitForSettled,
} from '../helpers.js';

afterEach(cleanup);

describe('maxProcesses', () => {
  // Regression: up() fed the starts one at a time, so the first declared process (low-a)
  // took the free slot before the others were even waiting.
  it('starts waiting processes by priority, then in declaration order', async () => {
    const supervisor = createSupervisor({ maxProcesses: 1 });
    const declared: Array<[string, Priority]> = [
      ['low-a', 'low'],
      ['normal-a', 'normal'],
      ['high-a', 'high'],
      ['low-b', 'low'],
      ['critical-a', 'critical'],
      ['normal-b', 'normal'],
      ['high-b', 'high'],
    ];
    for (const [name, priority] of declared) {
      supervisor.add({ name, priority, kind: 'job', command: fixture('exit-with.mjs', 0) });
    }
    const events = recordEvents(supervisor);
    let running = 0;
    let mostAtOnce = 0;
    supervisor.on('process:starting', () => {
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
    });
    supervisor.on('process:completed', () => {
      running -= 1;
    });

    await supervisor.up();
    const infos = await waitForSettled(supervisor);

    expect(infos.every((info) => info.status === 'completed')).toBe(true);
    expect(events.filter(isEvent('process:started')).map((event) => event.name)).toEqual([
      'critical-a',
      'high-a',
      'high-b',
      'normal-a',
      'normal-b',
      'low-a',
      'low-b',
    ]);
    expect(mostAtOnce).toBe(1);
  });

  it('keeps the rest pending while the slots are taken', async () => {
    const supervisor = createSupervisor({ maxProcesses: 2 });
    for (const name of ['a', 'b', 'c']) {
      supervisor.add({ name, command: fixture('sleeper.mjs'), readiness: { log: '^ready$' } });
    }
    const upped = supervisor.up();
    await waitFor(() => ['a', 'b'].every((name) => supervisor.get(name).status === 'running'));
    expect(supervisor.get('c').status).toBe('pending');

    const readyC = waitForEvent(supervisor, isEvent('process:ready', 'c'));
    await supervisor.stop('a');
    await readyC;

    expect(supervisor.list().map((info) => [info.name, info.status])).toEqual([
      ['a', 'stopped'],
      ['b', 'running'],
      ['c', 'running'],
    ]);
    await upped;
  });
});
