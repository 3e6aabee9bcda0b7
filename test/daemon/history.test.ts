/**
 * The store kept in step with the supervisor: events gathered over a tick and written in one
 * batch, nothing left unwritten when recording stops.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventOf } from '../../src/core/events.js';
import { recordHistory } from '../../src/daemon/history.js';
import { SupervisorEngine as Supervisor } from '../../src/runtime/supervisor/engine.js';
import { MemoryHistoryStore } from '../../src/store/memory/history-store.js';

const supervisors: Supervisor[] = [];
afterEach(async () => {
  for (const supervisor of supervisors.splice(0)) await supervisor.shutdown();
});

function started(at: number): EventOf<'supervisor:started'> {
  return { type: 'supervisor:started', at, pid: process.pid };
}

function setUp() {
  const supervisor = new Supervisor();
  supervisors.push(supervisor);
  const store = new MemoryHistoryStore();
  const append = vi.spyOn(store, 'appendEvents');
  const errors: unknown[] = [];
  const recorder = recordHistory(supervisor, store, (error) => errors.push(error));
  return { supervisor, store, append, errors, recorder };
}

describe('recordHistory', () => {
  it('writes the events of one tick together, in order, once the tick is over', async () => {
    const { supervisor, store, append } = setUp();
    for (const at of [1, 2, 3]) supervisor.announce(started(at));
    expect(append).not.toHaveBeenCalled();
    await new Promise((resolve) => setImmediate(resolve));
    expect(append).toHaveBeenCalledTimes(1);
    expect(store.recentEvents(10).map((item) => item.event.at)).toEqual([1, 2, 3]);
    supervisor.announce(started(4));
    await new Promise((resolve) => setImmediate(resolve));
    expect(append).toHaveBeenCalledTimes(2);
  });

  it('writes what is waiting when stopped, and nothing after', async () => {
    const { supervisor, store, recorder } = setUp();
    supervisor.announce(started(1));
    recorder.stop();
    expect(store.recentEvents(10).map((item) => item.event.at)).toEqual([1]);
    supervisor.announce(started(2));
    await new Promise((resolve) => setImmediate(resolve));
    expect(store.recentEvents(10)).toHaveLength(1);
  });

  it('reports a failed write and keeps recording', async () => {
    const { supervisor, store, append, errors } = setUp();
    append.mockImplementationOnce(() => {
      throw new Error('disk full');
    });
    supervisor.announce(started(1));
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toEqual([new Error('disk full')]);
    supervisor.announce(started(2));
    await new Promise((resolve) => setImmediate(resolve));
    expect(store.recentEvents(10).map((item) => item.event.at)).toEqual([2]);
  });
});
