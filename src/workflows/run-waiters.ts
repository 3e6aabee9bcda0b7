/**
 * Who waits for a run to move: `result()` callers, woken at once when an execution here
 * ends, or after a while to look at the store for a run executed elsewhere.
 */
export class RunWaiters {
  readonly #waiting = new Map<string, Set<() => void>>();

  /** Resolves when `runId` is notified, or after `ms`, whichever comes first. */
  next(runId: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#waiting.get(runId)?.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      const set = this.#waiting.get(runId) ?? new Set();
      set.add(wake);
      this.#waiting.set(runId, set);
    });
  }

  notify(runId: string): void {
    const set = this.#waiting.get(runId);
    this.#waiting.delete(runId);
    for (const wake of set ?? []) wake();
  }

  closeAll(): void {
    for (const runId of [...this.#waiting.keys()]) this.notify(runId);
  }
}
