/**
 * Requests that wait for the processes to get somewhere ("until every selected process is
 * at rest"): each holds a condition, checked again after every pass of the supervisor's loop.
 */

type Waiter = { readonly done: () => boolean; readonly resolve: () => void };

/** Promises resolved once their condition holds, checked each time the loop goes quiet. */
export class Waiters {
  private readonly waiting = new Set<Waiter>();

  /** Resolves once `done()` is true: now, or after a later `wake()`. */
  until(done: () => boolean): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve) => this.waiting.add({ done, resolve }));
  }

  /** Resolves every waiter whose condition now holds; the loop calls it after each pass. */
  wake(): void {
    for (const waiter of this.waiting) {
      if (!waiter.done()) continue;
      this.waiting.delete(waiter);
      waiter.resolve();
    }
  }
}
