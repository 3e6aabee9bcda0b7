/**
 * The recent resource samples of each process, as the dashboard saw them in its rows: a
 * ring of the last `limit` per process, so the details can draw how CPU and memory moved.
 * Bounded twice: by `limit` samples per process, and by the processes that still exist (a
 * process gone from the rows is forgotten with its samples).
 */
import type { ProcessInfo } from '../core/view.js';

/** CPU and memory of a process's tree at one refresh of the rows. */
export interface Sample {
  /** When the rows were read (epoch ms). */
  readonly at: number;
  readonly cpuPercent: number | null;
  readonly memoryBytes: number | null;
}

export interface SampleHistory {
  /**
   * Adds each running process's sample from one refresh of the rows, and forgets the
   * processes not among them. The same rows given again (one refresh seen twice) add nothing.
   */
  record(rows: readonly ProcessInfo[], at: number): void;
  /** A process's samples, oldest first; empty for one never sampled. */
  series(name: string): readonly Sample[];
}

/** Samples kept per process by default: two minutes at the dashboard's pace of one a second. */
export const DEFAULT_SAMPLES_KEPT = 120;

export function sampleHistory(limit: number = DEFAULT_SAMPLES_KEPT): SampleHistory {
  const byName = new Map<string, Sample[]>();
  let lastRows: readonly ProcessInfo[] | undefined;
  return {
    record(rows, at) {
      if (rows === lastRows) return;
      lastRows = rows;
      const present = new Set(rows.map((row) => row.name));
      for (const name of byName.keys()) if (!present.has(name)) byName.delete(name);
      for (const row of rows) {
        // A process that does not run has nothing to sample: its line keeps what it had.
        if (row.cpuPercent === null && row.memoryBytes === null) continue;
        const samples = byName.get(row.name) ?? [];
        samples.push({ at, cpuPercent: row.cpuPercent, memoryBytes: row.memoryBytes });
        if (samples.length > limit) samples.splice(0, samples.length - limit);
        byName.set(row.name, samples);
      }
    },
    series(name) {
      // A copy: the ring moves on, what was handed out does not.
      return [...(byName.get(name) ?? [])];
    },
  };
}
