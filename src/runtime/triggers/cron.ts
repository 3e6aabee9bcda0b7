/**
 * The clock of every schedule: one timer, armed for the nearest fire time of all of them
 * (not one per process), re-armed after each fire and whenever a fire time is armed or
 * dropped. Which time comes next is core's answer (`nextFire`); this only waits for it.
 */

/** The longest single wait: a timer set hours ahead would miss a clock step (NTP, a suspended host). */
export const MAX_WAIT_MS = 60_000;

/** Feeds each fire time that came, for the key it was armed for. */
export type FireListener<K> = (key: K, at: number) => void;

/**
 * Fire times by key (a process), one timer for the nearest. A wait never lasts more than
 * `maxWaitMs`: after it the wall clock is read again, so a fire time stays on time when the
 * clock jumps. A fire is fed only once the wall clock has reached it.
 */
export class CronClock<K> {
  private readonly due = new Map<K, number>();
  private timer: NodeJS.Timeout | undefined;
  /** The fire time the timer is armed for. */
  private armedFor: number | undefined;

  constructor(
    private readonly fire: FireListener<K>,
    private readonly maxWaitMs = MAX_WAIT_MS,
    /** Arms the one timer: a test hands its own to see the waits this clock asks for. */
    private readonly wait: (tick: () => void, ms: number) => NodeJS.Timeout = setTimeout,
  ) {}

  /** Feeds `key`'s fire once `at` (epoch ms) comes, replacing the fire armed for it before. */
  arm(key: K, at: number): void {
    this.due.set(key, at);
    this.rearm();
  }

  /** Feeds no fire for `key` any more. */
  disarm(key: K): void {
    if (this.due.delete(key)) this.rearm();
  }

  /** The fire time armed for `key`, if any. */
  armed(key: K): number | undefined {
    return this.due.get(key);
  }

  /** Drops every fire time and the timer. */
  close(): void {
    this.due.clear();
    this.rearm();
  }

  private rearm(): void {
    let nearest: number | undefined;
    // A scan, not a heap: re-arming happens once per fire, and stacks hold few schedules.
    for (const at of this.due.values()) if (nearest === undefined || at < nearest) nearest = at;
    if (this.timer !== undefined && this.armedFor === nearest) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = nearest;
    if (nearest === undefined) return;
    const waitMs = Math.min(Math.max(0, nearest - Date.now()), this.maxWaitMs);
    this.timer = this.wait(() => this.tick(), waitMs);
  }

  private tick(): void {
    this.timer = undefined;
    this.armedFor = undefined;
    const now = Date.now();
    // Earliest first, even when a late timer finds several due at once.
    const came = [...this.due].filter(([, at]) => at <= now).sort(([, a], [, b]) => a - b);
    for (const [key, at] of came) {
      // An earlier fire's listener may have re-armed or dropped this one meanwhile.
      if (this.due.get(key) !== at) continue;
      this.due.delete(key);
      this.fire(key, at);
    }
    this.rearm();
  }
}
