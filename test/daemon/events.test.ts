/**
 * `/events` (docs/http-api.md): a snapshot first, then every supervisor event, with
 * no gap between. Read over real connections (fetch over TCP, the client over the socket)
 * and compared with what the supervisor itself emitted.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SupervisorEvent } from '../../src/core/events.js';
import type { Snapshot } from '../../src/core/view.js';
import { listen } from '../../src/daemon/listen.js';
import { createMonitoringRoutes } from '../../src/daemon/routes.js';
import { HttpSupervisorClient } from '../../src/protocol/client.js';
import {
  cleanupAll,
  createSupervisor,
  type EventStream,
  openDaemon,
  openEventStream,
  recordEvents,
  responseEventStream,
  sleeper,
  TOKEN,
  tempDir,
  trackListener,
  waitFor,
} from './helpers.js';

afterEach(cleanupAll);

/** What a restart of a running service emits, health changes left out. */
const RESTART = [
  'process:exit',
  'process:pending',
  'process:starting',
  'process:started',
  'process:restarted',
  'process:ready',
];

function lifecycle(events: readonly { type: string }[]): string[] {
  return events.map((event) => event.type).filter((type) => type !== 'process:health');
}

/** The events recorded up to and including the first that matches. */
function upTo<T extends { type: string }>(events: readonly T[], last: (event: T) => boolean): T[] {
  const end = events.findIndex(last);
  expect(end).toBeGreaterThanOrEqual(0);
  return events.slice(0, end + 1);
}

const isReady = (event: { type: string; name?: string }) =>
  event.type === 'process:ready' && event.name === 'web';

describe('GET /events', () => {
  it('over TCP with fetch: a snapshot, then the restart, in order, exactly as emitted', async () => {
    const { daemon } = await openDaemon({
      settings: { api: { listen: '127.0.0.1:0', token: TOKEN } },
      processes: { web: sleeper() },
    });
    await daemon.up();
    const base = `http://127.0.0.1:${daemon.tcpPort}`;
    const headers = { authorization: `Bearer ${TOKEN}` };
    const oldPid = daemon.supervisor.get('web').pid;
    const stream = responseEventStream(await fetch(`${base}/events`, { headers }));
    const [snapshot] = [await stream.until(() => true, 'the snapshot')];
    const emitted = recordEvents(daemon.supervisor);

    const restart = await fetch(`${base}/processes/web/restart`, { method: 'POST', headers });
    expect(restart.status).toBe(200);
    await stream.until((item) => isReady(item.data), 'web to be ready again');

    expect(snapshot).toMatchObject({
      event: 'snapshot',
      data: { type: 'snapshot', processes: [{ name: 'web', status: 'running', pid: oldPid }] },
    });
    const live = upTo(
      stream.items.slice(1).map((item) => item.data as SupervisorEvent),
      isReady,
    );
    expect(lifecycle(live)).toEqual(RESTART);
    expect(live).toEqual(upTo(emitted, isReady));
    for (const item of stream.items.slice(1)) expect(item.event).toBe(item.data.type);
    const newPid = daemon.supervisor.get('web').pid;
    expect(live.find((event) => event.type === 'process:exit')).toMatchObject({
      name: 'web',
      code: 0,
      signal: null,
      killedAfterTimeout: false,
    });
    expect(live.find((event) => event.type === 'process:started')).toMatchObject({
      pid: newPid,
    });
    expect(newPid).not.toBe(oldPid);
  });

  it("over the socket with the client's watch: the same, and shutdown ends it", async () => {
    const { daemon, socketPath } = await openDaemon({ processes: { web: sleeper() } });
    await daemon.up();
    const client = new HttpSupervisorClient({ socketPath });
    const breaks: Error[] = [];
    client.onBreak((error) => breaks.push(error));
    const items: Array<Snapshot | SupervisorEvent> = [];
    const stop = client.watch((item) => items.push(item));
    await waitFor(() => items.length > 0, 5_000, 'the snapshot');
    const emitted = recordEvents(daemon.supervisor);

    await client.restart('web');
    await waitFor(() => items.some(isReady), 5_000, 'web to be ready again');

    expect(items[0]).toMatchObject({ type: 'snapshot', processes: [{ name: 'web' }] });
    const live = upTo(items.slice(1) as SupervisorEvent[], isReady);
    expect(lifecycle(live)).toEqual(RESTART);
    expect(live).toEqual(upTo(emitted, isReady));

    await client.shutdown();
    await waitFor(
      () => items.some((item) => item.type === 'supervisor:shutdown'),
      5_000,
      'the shutdown event',
    );
    await daemon.closed;
    await waitFor(() => breaks.length > 0, 5_000, 'the stream to end');
    expect(breaks[0]).toMatchObject({
      code: 'UNAVAILABLE',
      message: 'the supervisor closed the stream',
    });
    stop();
  });

  it('leaves no gap: a subscription made at any moment of a restart continues its snapshot', async () => {
    const supervisor = createSupervisor();
    supervisor.add({ name: 'web', ...sleeper() });
    supervisor.add({ name: 'other', ...sleeper() });
    await supervisor.up();
    const app = createMonitoringRoutes(supervisor);
    const socketPath = join(tempDir(), 'api.sock');
    trackListener(await listen(app, { socketPath }));
    const oldPid = supervisor.get('web').pid;
    const emitted = recordEvents(supervisor);
    // After each event of the restart, once the supervisor's step is over: in-process on the
    // next microtask (so exactly there), and over the socket wherever they happen to land.
    const exact: Array<{ after: number; stream: Promise<EventStream> }> = [];
    const loose: Array<Promise<EventStream>> = [];
    const stopSubscribing = supervisor.onAny(() => {
      queueMicrotask(() => {
        const stream = Promise.resolve(app.request('/events')).then(responseEventStream);
        exact.push({ after: emitted.length, stream });
      });
      loose.push(openEventStream({ socketPath }, '/events'));
    });

    await supervisor.restart('web');
    stopSubscribing();
    const newPid = supervisor.get('web').pid;
    // A last event every stream must see, to know it has seen everything before it; sent
    // once every stream is subscribed.
    for (const stream of await Promise.all(loose)) {
      await stream.until((item) => item.event === 'snapshot', 'a snapshot');
    }
    await supervisor.stop('other');
    const isSentinel = (event: { type: string; name?: string }) =>
      event.type === 'process:stopped' && event.name === 'other';
    const all = upTo(emitted, isSentinel);

    const check = async (stream: EventStream) => {
      await stream.until((item) => isSentinel(item.data), 'the last event');
      const [snapshot, ...rest] = stream.items;
      expect(snapshot!.event).toBe('snapshot');
      const live = upTo(
        rest.map((item) => item.data as SupervisorEvent),
        isSentinel,
      );
      // No gap and no repeat: what follows the snapshot is exactly the rest of the log…
      const before = all.slice(0, all.length - live.length);
      expect(live).toEqual(all.slice(before.length));
      // …and the snapshot is the state after everything before it.
      const expectedPid = before.some((event) => event.type === 'process:started')
        ? newPid
        : before.some((event) => event.type === 'process:exit')
          ? null
          : oldPid;
      const web = snapshot!.data.processes.find((row: { name: string }) => row.name === 'web');
      expect(web.pid).toBe(expectedPid);
      return before.length;
    };

    expect(exact.length).toBeGreaterThanOrEqual(RESTART.length);
    for (const { after, stream } of exact) expect(await check(await stream)).toBe(after);
    for (const stream of await Promise.all(loose)) await check(stream);
  });
});
