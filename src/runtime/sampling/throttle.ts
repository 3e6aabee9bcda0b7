/**
 * CPU throttling by duty cycle: in every period the tree runs for `duty × period`, then is
 * paused with SIGSTOP for the rest, and resumed with SIGCONT. The duty itself is decided in
 * core (`judgeLimits`) from what the tree used; this only keeps the beat.
 *
 * A paused tree must never be left paused: `release()` resumes it at once, and the
 * supervisor calls it before any stop signal, on exit and on shutdown.
 */

/** One pause-and-resume cycle: short enough that a throttled service still answers. */
export const THROTTLE_PERIOD_MS = 100;

/** Sends a signal to the whole tree (its process group and members that left it). */
export type TreeSignal = (signal: 'SIGSTOP' | 'SIGCONT') => void;

export class Throttle {
  private duty: number | null = null;
  private paused = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly send: TreeSignal,
    private readonly periodMs = THROTTLE_PERIOD_MS,
  ) {}

  /** The share of each period the tree runs; `null` or 1 and more: runs freely. */
  get current(): number | null {
    return this.duty;
  }

  /** Holds the tree to `duty` of each period from now on; `null` releases it. */
  setDuty(duty: number | null): void {
    if (duty === null || duty >= 1) return this.release();
    const cycling = this.duty !== null;
    this.duty = Math.max(0, duty);
    if (!cycling) this.run();
  }

  /** Resumes the tree now and stops cycling. Safe to call any time, any number of times. */
  release(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const wasCycling = this.duty !== null;
    this.duty = null;
    if (this.paused || wasCycling) this.send('SIGCONT');
    this.paused = false;
  }

  private run(): void {
    if (this.duty === null) return;
    if (this.paused) {
      this.send('SIGCONT');
      this.paused = false;
    }
    this.timer = setTimeout(() => this.pause(), this.duty * this.periodMs);
    this.timer.unref();
  }

  private pause(): void {
    if (this.duty === null) return;
    this.send('SIGSTOP');
    this.paused = true;
    this.timer = setTimeout(() => this.run(), (1 - this.duty) * this.periodMs);
    this.timer.unref();
  }
}
