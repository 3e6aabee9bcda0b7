/**
 * One change of shape per process at a time: a reload and a scale of the same process (or
 * two of either) would each stop instances the other counts on, so the second is refused.
 * A changed config being applied does not refuse: it waits its turn; nor does a burst of
 * file changes: it acts once the change under way is over.
 */
import { OverseerError } from '../../core/errors.js';

/** The processes being reloaded, scaled or recreated right now. */
export class ReshapeGuard {
  /** Each family held, with what resolves once it is let go. */
  private readonly busy = new Map<string, Promise<void>>();

  /** Whether `family` is being reloaded or scaled right now. */
  holds(family: string): boolean {
    return this.busy.has(family);
  }

  /** Calls `then` once the reload or scale of `family` under way is over. */
  afterwards(family: string, then: () => void): void {
    void this.busy.get(family)?.then(then);
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
    return this.hold(families, work);
  }

  /** Runs `work` holding `families`, once no other holds any of them. */
  async whenFree<T>(families: readonly string[], work: () => Promise<T>): Promise<T> {
    for (;;) {
      const held = families.flatMap((family) => this.busy.get(family) ?? []);
      if (held.length === 0) return this.hold(families, work);
      await Promise.all(held);
    }
  }

  private async hold<T>(families: readonly string[], work: () => Promise<T>): Promise<T> {
    const mine = [...new Set(families)];
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    for (const family of mine) this.busy.set(family, released);
    try {
      return await work();
    } finally {
      for (const family of mine) this.busy.delete(family);
      release();
    }
  }
}
