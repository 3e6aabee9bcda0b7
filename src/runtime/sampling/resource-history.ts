/**
 * A process's recent resource samples in a ring kept in one typed array, a row of six
 * numbers per sample: pushing one allocates nothing, so hundreds of processes sampled every
 * few seconds make no garbage, and one array per process (made at the first sample) keeps
 * the cost of each supervised process small. Objects are made only when someone reads it.
 */
import type { ResourceSample } from '../../core/limits/resources.js';

/** The columns of a row. NaN stands for null: no CPU figure yet, descriptors not countable. */
const AT = 0;
const CPU = 1;
const MEMORY = 2;
const FDS = 3;
const THREADS = 4;
const PROCESSES = 5;
const ROW = 6;

export class ResourceHistory {
  private rows: Float64Array | undefined;
  /** Index of the oldest sample. */
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.count;
  }

  /** Keeps a copy of `sample`, dropping the oldest when full. */
  push(sample: Readonly<ResourceSample>): void {
    this.rows ??= new Float64Array(this.capacity * ROW);
    const row = ((this.start + this.count) % this.capacity) * ROW;
    this.rows[row + AT] = sample.at;
    this.rows[row + CPU] = sample.cpuPercent ?? Number.NaN;
    this.rows[row + MEMORY] = sample.memoryBytes;
    this.rows[row + FDS] = sample.fds ?? Number.NaN;
    this.rows[row + THREADS] = sample.threads;
    this.rows[row + PROCESSES] = sample.processes;
    if (this.count < this.capacity) this.count += 1;
    else this.start = (this.start + 1) % this.capacity;
  }

  clear(): void {
    this.start = 0;
    this.count = 0;
  }

  /** The newest sample, or `null` when there is none. */
  latest(): ResourceSample | null {
    return this.count === 0 ? null : this.sampleAt((this.start + this.count - 1) % this.capacity);
  }

  /** Every sample kept, oldest first. */
  toArray(): ResourceSample[] {
    return Array.from({ length: this.count }, (_, index) =>
      this.sampleAt((this.start + index) % this.capacity),
    );
  }

  private sampleAt(slot: number): ResourceSample {
    const rows = this.rows!;
    const row = slot * ROW;
    const cpu = rows[row + CPU]!;
    const fds = rows[row + FDS]!;
    return {
      at: rows[row + AT]!,
      cpuPercent: Number.isNaN(cpu) ? null : cpu,
      memoryBytes: rows[row + MEMORY]!,
      fds: Number.isNaN(fds) ? null : fds,
      threads: rows[row + THREADS]!,
      processes: rows[row + PROCESSES]!,
    };
  }
}
