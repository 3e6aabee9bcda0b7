/**
 * watch(): a snapshot of every process first, then every event after it, with no gap and no
 * repeat.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Snapshot, SupervisorEvent } from '../../../src/index.js';
import {
  cleanup,
  createSupervisor,
  describeEvents,
  fixture,
  isEvent,
  recordEvents,
  waitForSettled,
} from '../helpers.js';

afterEach(cleanup);

type Watched = Snapshot | SupervisorEvent;

describe('watch()', () => {
  it('delivers a snapshot first, then the live events', async () => {
    const supervisor = createSupervisor();
    supervisor.add({ name: 'svc', command: fixture('sleeper.mjs'), readiness: { log: '^ready$' } });
    const [running] = await supervisor.up();
    const seen: Watched[] = [];
    const everything = recordEvents(supervisor);

    const dispose = supervisor.watch((item) => seen.push(item));
    expect(seen).toHaveLength(1);
    const [snapshot] = seen;
    expect(snapshot).toMatchObject({
      type: 'snapshot',
      processes: [{ name: 'svc', status: 'running', pid: running!.pid }],
    });

    await supervisor.restart('svc');
    dispose();
    await supervisor.stop('svc');

    // Every event raised between watch() and dispose() reached the watcher, in order.
    const live = seen.slice(1) as SupervisorEvent[];
    expect(live.length).toBeGreaterThan(0);
    expect(live).toEqual(everything.slice(0, live.length));
    expect(describeEvents(live, ['process:exit', 'process:started', 'process:ready'])).toEqual([
      'process:exit svc',
      'process:started svc',
      'process:ready svc',
    ]);
    // Nothing after dispose().
    expect(everything.length).toBeGreaterThan(live.length);
  });

  it('joins mid-flight with no gap: the snapshot plus the events replay to the final state', async () => {
    const supervisor = createSupervisor();
    supervisor.add({
      name: 'crashy',
      command: fixture('exit-with.mjs', 1),
      restart: { policy: 'always', max_restarts: 3, delay: '10ms', min_uptime: '1s' },
    });
    const seen: Watched[] = [];
    // Join from inside an event listener, in the middle of a burst of transitions.
    supervisor.on('process:backoff', (event) => {
      if (event.attempt === 1 && seen.length === 0) supervisor.watch((item) => seen.push(item));
    });

    await supervisor.up();
    const [final] = await waitForSettled(supervisor);
    expect(final!.status).toBe('failed');

    const [snapshot, ...live] = seen as [Snapshot, ...SupervisorEvent[]];
    expect(snapshot.type).toBe('snapshot');
    // Replaying the live events over the snapshot reproduces every status change.
    let status: string = snapshot.processes[0]!.status;
    for (const event of live) status = STATUS_AFTER[event.type] ?? status;
    expect(status).toBe('failed');
    expect(snapshot.processes[0]!.status).toBe('backoff');
    expect(live.filter(isEvent('process:restarted'))).toHaveLength(3);
  });
});

/** The status a process has after each kind of event (events that change none are absent). */
const STATUS_AFTER: Partial<Record<SupervisorEvent['type'], string>> = {
  'process:pending': 'pending',
  'process:starting': 'starting',
  'process:ready': 'running',
  'process:backoff': 'backoff',
  'process:failed': 'failed',
  'process:stopped': 'stopped',
  'process:completed': 'completed',
};
