/**
 * The contract of a `HistoryStore`, for every implementation to run: the SQLite file and its
 * in-memory twin must answer alike.
 */
import { describe, expect, it } from 'vitest';
import type { SupervisorEvent } from '../../src/core/events.js';
import type { HistoryRetention, HistoryStore, RunStart } from '../../src/store/history-store.js';

/** Opens an empty history with these bounds; the caller closes it after each test. */
export type OpenHistoryStore = (retention?: HistoryRetention) => HistoryStore;

export function run(process: string, pid: number, startedAt = 1_000): RunStart {
  return { process, pid, pidStartTime: pid * 10, bootId: 'boot-1', startedAt };
}

export function exitEvent(name: string, at: number): SupervisorEvent {
  return {
    type: 'process:exit',
    name,
    at,
    code: 1,
    signal: null,
    runMs: 5,
    killedAfterTimeout: false,
    reason: 'exited with code 1',
  };
}

/** Runs the `HistoryStore` contract against the stores `open` gives. */
export function historyStoreContract(open: OpenHistoryStore): void {
  describe('HistoryStore', () => {
    it('records a run at its start and completes it at its end', () => {
      const store = open();
      const id = store.startRun(run('api', 41));
      expect(store.unfinishedRuns()).toEqual([
        {
          id,
          ...run('api', 41),
          treeMark: null,
          cgroup: null,
          strays: [],
          endedAt: null,
          exitCode: null,
          signal: null,
          reason: null,
          killedAfterTimeout: false,
        },
      ]);
      store.endRun(id, {
        endedAt: 2_000,
        exitCode: null,
        signal: 'SIGKILL',
        reason: 'stop requested',
        killedAfterTimeout: true,
      });
      expect(store.unfinishedRuns()).toEqual([]);
      expect(store.recentRuns('api', 10)).toEqual([
        {
          id,
          ...run('api', 41),
          treeMark: null,
          cgroup: null,
          strays: [],
          endedAt: 2_000,
          exitCode: null,
          signal: 'SIGKILL',
          reason: 'stop requested',
          killedAfterTimeout: true,
        },
      ]);
    });

    it("keeps a run's mark, cgroup and strays while it is unfinished, for a successor", () => {
      const store = open();
      const id = store.startRun({
        ...run('api', 41),
        treeMark: '7-100-1',
        cgroup: '/sys/fs/cgroup/overseer-7-100/run-1',
      });
      store.addStrays(id, [{ pid: 50, startTime: 500 }]);
      // Known ones once; a pid reused by another process is another stray.
      store.addStrays(id, [
        { pid: 50, startTime: 500 },
        { pid: 51, startTime: 510 },
        { pid: 50, startTime: 900 },
      ]);
      const [unfinished] = store.unfinishedRuns();
      expect(unfinished).toMatchObject({
        treeMark: '7-100-1',
        cgroup: '/sys/fs/cgroup/overseer-7-100/run-1',
      });
      expect(
        [...unfinished!.strays].sort((a, b) => a.pid - b.pid || a.startTime - b.startTime),
      ).toEqual([
        { pid: 50, startTime: 500 },
        { pid: 50, startTime: 900 },
        { pid: 51, startTime: 510 },
      ]);
      store.endRun(id, {
        endedAt: 2,
        exitCode: 0,
        signal: null,
        reason: 'x',
        killedAfterTimeout: false,
      });
      // Ended: nothing of it is left to end, and later strays are not kept.
      store.addStrays(id, [{ pid: 52, startTime: 520 }]);
      expect(store.recentRuns('api', 1)[0]?.strays).toEqual([]);
    });

    it('ends a run once: a second end does not rewrite it', () => {
      const store = open();
      const id = store.startRun(run('api', 41));
      const end = { endedAt: 2, exitCode: 0, signal: null, killedAfterTimeout: false };
      store.endRun(id, { ...end, reason: 'first' });
      store.endRun(id, { ...end, reason: 'second' });
      expect(store.recentRuns('api', 1)[0]?.reason).toBe('first');
    });

    it('forgets a run entirely, strays and all, ended or not', () => {
      const store = open();
      const kept = store.startRun(run('task:a', 41));
      const forgotten = store.startRun(run('task:b', 42));
      store.addStrays(forgotten, [{ pid: 52, startTime: 520 }]);
      store.forgetRun(forgotten);
      expect(store.unfinishedRuns().map((r) => r.id)).toEqual([kept]);
      expect(store.recentRuns('task:b', 10)).toEqual([]);
    });

    it('answers the last runs of one process, oldest first', () => {
      const store = open();
      for (let pid = 1; pid <= 5; pid += 1) store.startRun(run(pid % 2 ? 'api' : 'worker', pid));
      expect(store.recentRuns('api', 2).map((r) => r.pid)).toEqual([3, 5]);
      expect(store.recentRuns('worker', 10).map((r) => r.pid)).toEqual([2, 4]);
      expect(store.recentRuns('nobody', 10)).toEqual([]);
    });

    it('keeps at most its bound of ended runs per process, and every unfinished one', () => {
      const store = open({ maxRunsPerProcess: 10 });
      const unfinished = store.startRun(run('api', 1));
      const end = { exitCode: 0, signal: null, reason: 'done', killedAfterTimeout: false };
      for (let pid = 2; pid < 600; pid += 1) {
        store.endRun(store.startRun(run('api', pid)), { ...end, endedAt: pid });
      }
      expect(store.unfinishedRuns().map((r) => r.id)).toEqual([unfinished]);
      const kept = store.recentRuns('api', 10_000);
      // SQLite trims in batches, so it may hold a few hundred more between trims.
      expect(kept.length).toBeLessThan(10 + 256 + 2);
      expect(kept.at(-1)?.pid).toBe(599);
    });

    it('keeps events in order, the newest within its bound', () => {
      const store = open({ maxEventsPerProcess: 300 });
      for (let at = 1; at <= 1_000; at += 1) store.appendEvents([exitEvent('api', at)]);
      const kept = store.recentEvents(5_000);
      expect(kept.length).toBeGreaterThanOrEqual(300);
      // SQLite trims in batches, so it may hold a few hundred more between trims; never fewer.
      expect(kept.length).toBeLessThan(600);
      expect(kept.at(-1)?.event).toEqual(exitEvent('api', 1_000));
      const ats = kept.map((item) => item.event.at);
      expect(ats).toEqual([...ats].sort((a, b) => a - b));
      expect(store.recentEvents(2).map((item) => item.event.at)).toEqual([999, 1_000]);
    });

    it('keeps a batch of events in order, trimmed to its bound like single ones', () => {
      const store = open({ maxEventsPerProcess: 300 });
      store.appendEvents([]);
      store.appendEvents(Array.from({ length: 1_000 }, (_, index) => exitEvent('api', index + 1)));
      const ats = store.recentEvents(5_000).map((item) => item.event.at);
      expect(ats.length).toBeGreaterThanOrEqual(300);
      expect(ats.length).toBeLessThan(600);
      expect(ats).toEqual(
        Array.from({ length: ats.length }, (_, index) => 1_001 - ats.length + index),
      );
    });

    it('keeps its bound of events per process: a chatty process does not push out the others', () => {
      const store = open({ maxEventsPerProcess: 300 });
      store.appendEvents([exitEvent('quiet', 1)]);
      store.appendEvents([{ type: 'supervisor:started', at: 2, pid: 7 }]);
      for (let at = 3; at <= 2_000; at += 1) store.appendEvents([exitEvent('chatty', at)]);
      expect(store.recentEvents(10, 'quiet').map((item) => item.event.at)).toEqual([1]);
      const chatty = store.recentEvents(5_000, 'chatty');
      expect(chatty.length).toBeGreaterThanOrEqual(300);
      // SQLite trims in batches, so it may hold a few hundred more between trims.
      expect(chatty.length).toBeLessThan(300 + 256 + 1);
      expect(chatty.at(-1)?.event.at).toBe(2_000);
      const all = store.recentEvents(10_000);
      expect(all[0]?.event).toEqual(exitEvent('quiet', 1));
      expect(all[1]?.event).toEqual({ type: 'supervisor:started', at: 2, pid: 7 });
    });

    it('answers the last events of one process, oldest first', () => {
      const store = open();
      store.appendEvents([exitEvent('api', 1), exitEvent('worker', 2), exitEvent('api', 3)]);
      expect(store.recentEvents(1, 'api').map((item) => item.event.at)).toEqual([3]);
      expect(store.recentEvents(10, 'api').map((item) => item.event.at)).toEqual([1, 3]);
      expect(store.recentEvents(10, 'nobody')).toEqual([]);
    });

    it('applies narrower bounds at once, to every process, keeping the newest', () => {
      const store = open();
      const end = { exitCode: 0, signal: null, reason: 'done', killedAfterTimeout: false };
      const unfinished = store.startRun(run('api', 1));
      for (let pid = 2; pid <= 50; pid += 1) {
        for (const name of ['api', 'worker']) {
          store.endRun(store.startRun(run(name, pid)), { ...end, endedAt: pid });
          store.appendEvents([exitEvent(name, pid)]);
        }
      }
      store.appendEvents([{ type: 'supervisor:started', at: 51, pid: 7 }]);
      store.appendEvents([{ type: 'supervisor:started', at: 52, pid: 8 }]);

      store.setRetention({ maxRunsPerProcess: 3, maxEventsPerProcess: 1 });

      expect(store.recentRuns('api', 100).map((r) => r.pid)).toEqual([1, 48, 49, 50]);
      expect(store.recentRuns('worker', 100).map((r) => r.pid)).toEqual([48, 49, 50]);
      expect(store.unfinishedRuns().map((r) => r.id)).toEqual([unfinished]);
      expect(store.recentEvents(100).map((item) => item.event.at)).toEqual([50, 50, 52]);
    });

    it('keeps no ended run and no event under bounds of 0, and every unfinished run', () => {
      const store = open();
      const end = { exitCode: 0, signal: null, reason: 'done', killedAfterTimeout: false };
      store.endRun(store.startRun(run('api', 1)), { ...end, endedAt: 2 });
      const unfinished = store.startRun(run('api', 2));
      store.appendEvents([exitEvent('api', 1)]);
      store.setRetention({ maxRunsPerProcess: 0, maxEventsPerProcess: 0 });
      expect(store.recentRuns('api', 10).map((r) => r.id)).toEqual([unfinished]);
      expect(store.recentEvents(10)).toEqual([]);
    });

    it('counts restarts per process', () => {
      const store = open();
      expect(store.restartCounts()).toEqual(new Map());
      store.countRestart('worker-0');
      store.countRestart('api');
      store.countRestart('worker-0');
      expect(store.restartCounts()).toEqual(
        new Map([
          ['api', 1],
          ['worker-0', 2],
        ]),
      );
    });
  });
}
