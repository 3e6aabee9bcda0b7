/**
 * One change of shape per process at a time: a reload and a scale of the same process (or
 * two of either) would each stop instances the other counts on, so the second is refused.
 */
import { OverseerError } from '../../core/errors.js';

/** The processes being reloaded or scaled right now. */
export class ReshapeGuard {
  private readonly busy = new Set<string>();
  /** What waits for a process to be released, by process. */
  private readonly waiting = new Map<string, Array<() => void>>();

  /** Whether `family` is being reloaded or scaled right now. */
  holds(family: string): boolean {
    return this.busy.has(family);
  }

  /** Calls `then` once the reload or scale of `family` under way is over. */
  afterwards(family: string, then: () => void): void {
    const queue = this.waiting.get(family) ?? [];
    queue.push(then);
    this.waiting.set(family, queue);
  }

  /** Runs `work` holding `families`; throws `INVALID_STATE` if another holds one of them. */
  async run<T>(families: readonly string[], work: () => Promise<T>): Promise<T> {
    const held = families.find((family) => this.busy.has(family));
    if (held !== undefined) {
      throw new OverseerError(
        'INVALID_STATE',
        `${held} is being reloaded or scaled: try again once that is over`,
      );
    }
    const mine = [...new Set(families)];
    for (const family of mine) this.busy.add(family);
    try {
      return await work();
    } finally {
      for (const family of mine) this.release(family);
    }
  }

  private release(family: string): void {
    this.busy.delete(family);
    const queue = this.waiting.get(family) ?? [];
    this.waiting.delete(family);
    for (const then of queue) then();
  }
}
