/**
 * A process's recent resource samples in a ring of typed arrays: pushing one allocates
 * nothing, so hundreds of processes sampled every few seconds make no garbage. Objects are
 * made only when someone reads the history.
 */
import type { ResourceSample } from '../core/resources.js';

export class ResourceHistory {
  private readonly at: Float64Array;
  private readonly cpu: Float64Array;
  private readonly memory: Float64Array;
  private readonly fds: Float64Array;
  private readonly threads: Float64Array;
  private readonly processes: Float64Array;
  /** Index of the oldest sample. */
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.at = new Float64Array(capacity);
    this.cpu = new Float64Array(capacity);
    this.memory = new Float64Array(capacity);
    this.fds = new Float64Array(capacity);
    this.threads = new Float64Array(capacity);
    this.processes = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Keeps a copy of `sample`, dropping the oldest when full. */
  push(sample: Readonly<ResourceSample>): void {
    const slot = (this.start + this.count) % this.capacity;
    this.at[slot] = sample.at;
    // NaN stands for null: no CPU figure yet, descriptors not countable.
    this.cpu[slot] = sample.cpuPercent ?? Number.NaN;
    this.memory[slot] = sample.memoryBytes;
    this.fds[slot] = sample.fds ?? Number.NaN;
    this.threads[slot] = sample.threads;
    this.processes[slot] = sample.processes;
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
    const cpu = this.cpu[slot]!;
    const fds = this.fds[slot]!;
    return {
      at: this.at[slot]!,
      cpuPercent: Number.isNaN(cpu) ? null : cpu,
      memoryBytes: this.memory[slot]!,
      fds: Number.isNaN(fds) ? null : fds,
      threads: this.threads[slot]!,
      processes: this.processes[slot]!,
    };
  }
}
