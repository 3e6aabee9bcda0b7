/**
 * One change of shape per process at a time: a reload and a scale of the same process (or
 * two of either) would each stop instances the other counts on, so the second is refused.
 */
import { OverseerError } from '../../core/errors.js';

/** The processes being reloaded or scaled right now. */
export class ReshapeGuard {
  private readonly busy = new Set<string>();

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
      for (const family of mine) this.busy.delete(family);
    }
  }
}
