/**
 * How long finished tasks ran, as a histogram over fixed buckets: what `/metrics` shows as
 * `overseer_task_duration_seconds`. A count per bucket, so it costs the same after a
 * million tasks as after one.
 */

/** Upper bounds of the buckets, in seconds: from a quick check to an hour-long job. */
export const TASK_DURATION_BUCKETS_S: readonly number[] = [
  0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600,
];

/** The histogram as reported: counts per bucket (each counting the tasks up to its bound). */
export interface TaskDurations {
  /** Cumulative, as Prometheus has them: `count` tasks ran at most `le` seconds. */
  readonly buckets: readonly { readonly le: number; readonly count: number }[];
  /** Seconds, all tasks together. */
  readonly sum: number;
  readonly count: number;
}

export class TaskDurationHistogram {
  private readonly counts = TASK_DURATION_BUCKETS_S.map(() => 0);
  private sum = 0;
  private count = 0;

  observe(ms: number): void {
    const seconds = ms / 1000;
    const bucket = TASK_DURATION_BUCKETS_S.findIndex((le) => seconds <= le);
    if (bucket >= 0) this.counts[bucket]! += 1;
    this.sum += seconds;
    this.count += 1;
  }

  snapshot(): TaskDurations {
    let below = 0;
    const buckets = TASK_DURATION_BUCKETS_S.map((le, index) => {
      below += this.counts[index]!;
      return { le, count: below };
    });
    return { buckets, sum: this.sum, count: this.count };
  }
}
