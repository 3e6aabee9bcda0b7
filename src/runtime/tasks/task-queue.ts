/**
 * Tasks waiting for a slot, best first: by priority, then in submission order. A task that
 * waits to try again goes back to the place its submission gave it.
 */
import { PRIORITY_RANK } from '../../core/process/spec.js';
import type { LiveTask } from './live-task.js';

export class TaskQueue {
  private readonly waiting: LiveTask[] = [];

  get size(): number {
    return this.waiting.length;
  }

  /** Adds `task` after every task served before it: O(log n) to find, a move to insert. */
  add(task: LiveTask): void {
    let low = 0;
    let high = this.waiting.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (servedBefore(this.waiting[middle] as LiveTask, task)) low = middle + 1;
      else high = middle;
    }
    this.waiting.splice(low, 0, task);
  }

  /** The first `count`, best first. */
  head(count: number): LiveTask[] {
    return this.waiting.slice(0, count);
  }

  /** Takes `task` out; false when it was not waiting. */
  remove(task: LiveTask): boolean {
    const at = this.waiting.indexOf(task);
    if (at < 0) return false;
    this.waiting.splice(at, 1);
    return true;
  }

  all(): readonly LiveTask[] {
    return this.waiting;
  }
}

function servedBefore(a: LiveTask, b: LiveTask): boolean {
  const rank = PRIORITY_RANK[a.spec.process.priority] - PRIORITY_RANK[b.spec.process.priority];
  return rank > 0 || (rank === 0 && a.seq < b.seq);
}
