/**
 * The contract of a `TaskStore`, for every implementation to run: the SQLite file and its
 * in-memory twin must answer alike.
 */
import { describe, expect, it } from 'vitest';
import type { TaskStatus, TaskView } from '../../src/core/tasks/task.js';
import type { TaskStore } from '../../src/store/task-store.js';

/** Opens an empty store of tasks; the caller closes it after each test. */
export type OpenTaskStore = () => TaskStore;

function view(id: string, status: TaskStatus, queuedAt: number): TaskView {
  return {
    id,
    name: 'task',
    labels: { team: 'ci' },
    status,
    priority: 'normal',
    command: ['node', '-e', '1'],
    queuedAt: new Date(queuedAt).toISOString(),
    startedAt: null,
    pid: null,
    attempts: 0,
    reason: null,
    result: null,
  };
}

/** Runs the `TaskStore` contract against the stores `open` gives. */
export function taskStoreContract(open: OpenTaskStore): void {
  describe('TaskStore', () => {
    it('keeps each task as last saved, and tells the ended from the unfinished', () => {
      const store = open();
      store.saveTask(view('a', 'queued', 1_000));
      store.saveTask(view('b', 'running', 2_000));
      store.saveTask(view('c', 'queued', 3_000));
      store.saveTask({ ...view('a', 'succeeded', 1_000), attempts: 1 });
      expect(store.task('a')).toMatchObject({ status: 'succeeded', attempts: 1 });
      expect(store.task('nope')).toBeUndefined();
      expect(store.unfinishedTasks().map((task) => task.id)).toEqual(['b', 'c']);
      expect(store.endedTasks(10).map((task) => task.id)).toEqual(['a']);
    });

    it('lists ended tasks newest first, and prunes all but the newest', () => {
      const store = open();
      for (const [index, id] of ['a', 'b', 'c', 'd'].entries()) {
        store.saveTask(view(id, index === 1 ? 'failed' : 'succeeded', 1_000 * (index + 1)));
      }
      store.saveTask(view('e', 'running', 500));
      expect(store.endedTasks(3).map((task) => task.id)).toEqual(['d', 'c', 'b']);
      expect(store.pruneEnded(2).sort()).toEqual(['a', 'b']);
      expect(store.endedTasks(10).map((task) => task.id)).toEqual(['d', 'c']);
      expect(store.pruneEnded(2)).toEqual([]);
      // Unfinished tasks are never pruned: a successor must find them.
      expect(store.unfinishedTasks().map((task) => task.id)).toEqual(['e']);
    });
  });
}
